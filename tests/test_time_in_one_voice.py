"""One moment of a season in Asia/Yekaterinburg reads the same way wherever the portal hands it out: the teacher's
cabinet, the reminder letter, the KPI workbook and the management dashboard all say the local hour and whose
clock it is in words («время Екатеринбурга, МСК+2»), never «Asia/Yekaterinburg» or «UTC+5»."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.notifications import notifications_deliver
from participants.models import User
from participants.reminders import reminders_send
from reports.workbooks import kpi_workbook_build
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    SeasonFactory,
    UserFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db

YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")
WORDS = "время Екатеринбурга, МСК+2"
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря"]  # fmt: skip


@pytest.fixture
def world():
    # 15:00 in Yekaterinburg (13:00 in Moscow, 10:00 UTC) two days ahead: within the cabinet's nearest deadlines.
    local = timezone.localtime(timezone.now(), YEKATERINBURG).replace(hour=15, minute=0, second=0, microsecond=0)
    moment = local + timedelta(days=2)
    municipality = MunicipalityFactory(name="Октябрьский", time_zone="Asia/Yekaterinburg")
    season = SeasonFactory(
        program__municipality=municipality, time_zone="Asia/Yekaterinburg", reminder_offsets="7д, 2д, 3ч"
    )
    enrollment = EnrollmentFactory(season=season)
    assignment = VideoAssignmentFactory(
        activity=ActivityFactory(season=season, title="Открытый урок", kind="video_lesson"),
        opens_at=moment - timedelta(days=10),
        due_at=moment,
        cutoff_at=moment + timedelta(days=7),
    )
    return {
        "moment": moment,
        "text": f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, 15:00",
        "municipality": municipality,
        "enrollment": enrollment,
        "assignment": assignment,
    }


def test_the_cabinet_says_the_local_hour_and_whose_clock(client, world):
    client.force_login(world["enrollment"].person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert f"{world['text']}</time>" in html
    assert f"({WORDS})" in html
    assert "(Asia/Yekaterinburg)" not in html and "UTC+5" not in html


def test_the_letter_says_it_the_same_way(world):
    reminders_send(now=world["moment"] - timedelta(hours=2))
    assert notifications_deliver()["sent"] == 1

    (letter,) = mail.outbox
    assert f"{world['text']} ({WORDS})" in letter.subject
    assert f"{world['text']} ({WORDS})" in letter.body
    html = letter.alternatives[0][0] if letter.alternatives else ""
    assert not html or f"{world['text']} ({WORDS})" in html


def test_the_workbook_says_it_the_same_way(world):
    management = UserFactory(role=User.Role.MANAGEMENT, municipality=world["municipality"])
    moment = world["moment"]
    params = {"user": management.pk, "year": moment.year, "municipality": world["municipality"].pk}

    sheets, _rows = kpi_workbook_build(params, now=moment)

    assert f"Сформировано {moment:%d.%m.%Y} 15:00 ({WORDS})" in sheets[0].preamble


def test_the_management_dashboard_says_whose_clock_its_data_are_on(client, world):
    client.force_login(UserFactory(role=User.Role.MANAGEMENT, municipality=world["municipality"]))

    html = client.get(reverse("kpi_dashboard")).content.decode()

    assert "данные на " in html and f"({WORDS})" in html
