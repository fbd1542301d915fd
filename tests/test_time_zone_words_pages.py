"""The pages that showed a bare hour now say whose clock it is on, for a season or a municipality in Asia/Yekaterinburg:
«6 декабря 2026, 14:05 (время Екатеринбурга, МСК+2)» (core.zones, |when). A time of no season or municipality is on
the page's clock, and says so: «московское время» for a teacher, the municipality's for its coordinator."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from experts.models import Consultation, ExpertRole
from experts.services import consultation_log
from participants.models import Enrollment, FeedbackQuestion, User
from participants.roles import COORDINATORS, role_groups_ensure
from participants.services import enrollment_exclude
from ratings.models import ParticipantRating
from reports.models import KpiSnapshot
from reports.monitoring import kpi_half_year_snapshots_take, monitoring_analysis_save
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    PersonFactory,
    SeasonFactory,
    UserFactory,
)
from tests.reports.dashboard_world import build_world, coordinator

pytestmark = pytest.mark.django_db

YEKT = ZoneInfo("Asia/Yekaterinburg")
WORDS = "(время Екатеринбурга, МСК+2)"
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря"]  # fmt: skip


def text(moment: datetime, zone=YEKT, words=WORDS) -> str:
    """The expected words, written out here rather than through the helper under test."""
    local = moment.astimezone(zone)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M} {words}"


@pytest.fixture
def season():
    today = timezone.localdate()
    municipality = MunicipalityFactory(time_zone="Asia/Yekaterinburg")
    return SeasonFactory(
        program__municipality=municipality,
        time_zone="Asia/Yekaterinburg",
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=200),
    )


def test_the_cabinet_rating_says_when_it_was_recounted_on_the_seasons_clock(client, season):
    enrollment = EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE, person__user=UserFactory())
    computed = datetime(2026, 12, 6, 9, 5, tzinfo=UTC)
    ParticipantRating.objects.create(enrollment=enrollment, season=season, total=5, computed_at=computed)
    client.force_login(enrollment.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert f"Пересчитан {text(computed)}." in html
    assert "6 декабря 2026, 14:05 (время Екатеринбурга, МСК+2)" == text(computed)


def test_the_experts_quarterly_answers_say_when_they_were_saved(client, season):
    question = FeedbackQuestion.objects.create(season=season, order=1, text="Нагрузка", kind="scale")
    expert = ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST, person__user=UserFactory())
    client.force_login(expert.person.user)
    url = reverse("expert_feedback", args=[season.pk])
    client.post(url, {f"f-q_{question.pk}": "4"})
    saved = expert.feedback_responses.get().updated_at

    html = client.get(url).content.decode()

    assert f"Ответы за этот квартал сохранены ({text(saved)})." in html


def test_a_consultation_list_and_page_say_the_seasons_clock(client, season):
    psychologist = ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST, person__user=UserFactory())
    held = (timezone.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    consultation = consultation_log(
        expert=psychologist,
        kind=Consultation.Kind.INDIVIDUAL,
        held_at=held,
        topic="Тревога перед аттестацией",
        participants=[EnrollmentFactory(season=season)],
    )
    client.force_login(psychologist.person.user)

    assert text(held) in client.get(reverse("expert_consultations")).content.decode()
    assert text(held) in client.get(reverse("expert_consultation", args=[consultation.pk])).content.decode()


def test_the_monitoring_report_says_when_it_was_changed_on_the_municipalitys_clock(client):
    world = build_world()
    world["home"].time_zone = "Asia/Yekaterinburg"
    world["home"].save(update_fields=["time_zone"])
    kpi_half_year_snapshots_take(now=datetime(2025, 7, 1, 0, 30, tzinfo=UTC))
    snapshot = KpiSnapshot.objects.get(municipality=world["home"], automatic=True)
    changed = datetime(2025, 7, 2, 9, 5, tzinfo=UTC)
    user = coordinator(world["home"])
    monitoring_analysis_save(snapshot=snapshot, analysis="Доля выросла.", by=user, now=changed)
    client.force_login(user)

    html = client.get(reverse("monitoring_detail", args=[snapshot.pk])).content.decode()

    assert f"Изменён {text(changed)}." in html
    assert "2 июля 2025, 14:05 (время Екатеринбурга, МСК+2)" == text(changed)


def test_the_enrollment_journal_says_the_seasons_clock(client, season):
    enrollment = EnrollmentFactory(
        season=season, status=Enrollment.Status.ACTIVE, status_changed_at=timezone.now() - timedelta(days=30)
    )
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=season.program.municipality)
    user.groups.add(role_groups_ensure()[COORDINATORS])
    enrollment_exclude(enrollment=enrollment, actor=user, reason="Пропуски")
    changed = Enrollment.objects.get(pk=enrollment.pk).status_changed_at
    client.force_login(user)

    html = client.get(reverse("admin:participants_enrollment_journal", args=[enrollment.pk])).content.decode()

    assert html.count(WORDS) >= 2  # the entry's moment, and the status change's moment among the changes
    assert text(changed) in html
    assert "московское время" not in html


def test_notifications_are_on_the_readers_clock_and_say_so(client, season):
    moment = datetime(2026, 12, 6, 9, 5, tzinfo=UTC)
    teacher = PersonFactory(user=UserFactory()).user
    Notification.objects.create(user=teacher, title="Новое задание", created_at=moment)
    client.force_login(teacher)
    html = client.get(reverse("notifications")).content.decode()
    # A teacher's notification belongs to no season: the portal's clock, saying it is Moscow's.
    assert f"{text(moment, ZoneInfo('Europe/Moscow'), '(московское время)')}</time>" in html

    staff = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=season.program.municipality)
    Notification.objects.create(user=staff, title="Импорт завершён", created_at=moment)
    client.force_login(staff)  # the sign-in remembers the municipality's zone (participants.middleware)
    html = client.get(reverse("notifications")).content.decode()
    assert f"{text(moment)}</time>" in html


def test_the_registration_page_says_the_seasons_clock_for_its_closing(client, season):
    closes = (timezone.now() + timedelta(days=5)).replace(minute=5, second=0, microsecond=0)
    season.registration_opens_at = timezone.now() - timedelta(days=1)
    season.registration_closes_at = closes
    season.save()

    html = client.get(
        reverse("season_register", kwargs={"slug": season.program.slug, "season_id": season.pk})
    ).content.decode()

    assert f"Регистрация открыта до {text(closes)}." in " ".join(html.split())
