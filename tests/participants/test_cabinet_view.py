from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance, Certificate
from participants.cabinet import registered_sections
from participants.models import Enrollment
from ratings.services import rating_recompute
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    RoadmapModuleFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db


def test_sections_are_registered_in_order():
    keys = [s.key for s in registered_sections()]

    assert keys[0] == "risks"
    for key in ("programs", "deadlines", "roadmap", "rating", "certificates"):
        assert key in keys
    assert keys.index("programs") < keys.index("deadlines") < keys.index("roadmap")


def _fill(enrollment, n: int, k: int):
    """k of everything the cabinet shows in the enrollment's season."""
    season = enrollment.season
    module = RoadmapModuleFactory(season=season)
    for i in range(k):
        activity = ActivityFactory(season=season, module=module)
        past = SessionFactory(activity=activity, starts_at=timezone.now() - timedelta(days=i + 1))
        SessionFactory(activity=activity, starts_at=timezone.now() + timedelta(days=i + 1))
        AttendanceFactory(session=past, enrollment=enrollment, status=Attendance.Status.ABSENT)
        assignment = VideoAssignmentFactory(activity__season=season, activity__module=module)
        if i % 2:
            SubmissionFactory(assignment=assignment, enrollment=enrollment)
        certificate = Certificate(
            number=f"ПП-{n}-{i}", code=f"c-{n}-{i}", enrollment=enrollment, activity=activity, hours=4
        )
        certificate.pdf.save(f"{n}-{i}.pdf", ContentFile(b"%PDF-1.4"), save=False)
        certificate.save()
    rating_recompute(season=season)


@pytest.mark.parametrize("count", [1, 3])
def test_whole_cabinet_query_count_does_not_grow(client, django_assert_num_queries, count):
    first = EnrollmentFactory(season__chat_join_days=3, status_changed_at=timezone.now() - timedelta(days=10))
    person = first.person
    enrollments = [first] + [EnrollmentFactory(person=person) for _ in range(count - 1)]
    for n, enrollment in enumerate(enrollments):
        _fill(enrollment, n, count)
    client.force_login(person.user)

    # Session, user; enrollments with the person, the organisation, the publication consent and the latest
    # feedback; modules, activities with my submissions and extensions, sessions with my marks; my rating
    # rows with the ranked counts; my achievements; lesson visits; consultations; certificates; the cascade's
    # community memberships and personnel-reserve memberships (seed 001; one query each when there are none).
    with django_assert_num_queries(14):
        response = client.get(reverse("cabinet"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("risk-list__item") == count * count + 1  # every absence, and the chat
    assert html.count('class="timeline__item"') == count


def test_owner_sees_every_section_another_teacher_sees_their_own(client):
    enrollment = EnrollmentFactory()
    _fill(enrollment, 0, 1)
    client.force_login(enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    for heading in ("Мои программы", "Ближайшие сроки", "Моя дорожная карта", "Мой рейтинг", "Мои сертификаты"):
        assert heading in html, heading
    assert "ПП-0-0" in html
    nav = html.split('aria-label="Разделы кабинета"')[1].split("</nav>")[0]
    for anchor in (
        "cabinet-programs",
        "cabinet-deadlines",
        "cabinet-roadmap",
        "cabinet-rating",
        "cabinet-certificates",
    ):
        assert f'href="#{anchor}"' in nav, anchor
        assert f'id="{anchor}"' in html, anchor
    assert ">Мои программы</a>" in nav

    other = EnrollmentFactory()
    client.force_login(other.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "ПП-0-0" not in html
    assert "риск исключения" not in html
    assert enrollment.season.program.title not in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("cabinet"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_finished_participation_keeps_certificates_and_rating_only(client):
    enrollment = EnrollmentFactory(status=Enrollment.Status.COMPLETED)
    _fill(enrollment, 0, 1)
    client.force_login(enrollment.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert "Мои сертификаты" in html and "Мой рейтинг" in html
    assert "Моя дорожная карта" not in html
    assert "Ближайшие сроки" not in html
    assert "риск исключения" not in html


def test_the_long_cabinet_has_an_in_page_navigation_to_its_sections():
    class _Section:
        def __init__(self, key):
            self.template = f"test_{key}.html"

    from django.template import Context, Engine

    engine = Engine(
        libraries={"cabinet_nav": "participants.templatetags.cabinet_nav"},
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {
                    f"test_{key}.html": f'<section aria-labelledby="cabinet-{key}"><h2 id="cabinet-{key}" class="h3">'
                    f"<span>{{{{ ctx.title }}}}</span></h2></section>"
                    for key in ("a", "b", "c")
                },
            )
        ],
    )
    page = engine.from_string("{% load cabinet_nav %}{% cabinet_sections sections %}")
    sections = [(_Section(key), {"title": f"Раздел <{key}>"}) for key in ("a", "b", "c")]

    html = page.render(Context({"sections": sections}))

    nav = html.split("</nav>")[0]
    assert 'aria-label="Разделы кабинета"' in nav
    for key in ("a", "b", "c"):
        assert f'<a class="nav-link" href="#cabinet-{key}">Раздел &lt;{key}&gt;</a>' in nav
        assert f'<h2 id="cabinet-{key}"' in html.split("</nav>")[1]
    assert html.index("</nav>") < html.index("<section")
