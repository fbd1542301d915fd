"""The late joiner's cabinet section «До вашего зачисления» and the extension request form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityAudience, SubmissionExtensionRequest
from tests.activities.exclusion_fixtures import coordinator
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db

NOT_A_BREACH = "не считается нарушением: вы ещё не были участником"


def _lesson(season, *, days, title):
    cutoff = timezone.now() + timedelta(days=days)
    return VideoAssignmentFactory(
        activity=ActivityFactory(season=season, kind="video_lesson", title=title, is_mandatory=True),
        opens_at=cutoff - timedelta(days=30),
        due_at=cutoff - timedelta(days=5),
        cutoff_at=cutoff,
    )


def _late(n=1):
    """A teacher admitted two days ago, after the season started, with n mandatory sessions and n lessons that
    passed before the admission, one «по желанию» session before it and one lesson still ahead."""
    now = timezone.now()
    enrollment = EnrollmentFactory(status_changed_at=now - timedelta(days=2))
    season = enrollment.season
    lessons = []
    for i in range(n):
        starts = now - timedelta(days=10 + i)
        SessionFactory(
            activity=ActivityFactory(season=season, title=f"Обязательный семинар {i}", is_mandatory=True),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
        )
        lessons.append(_lesson(season, days=-5 - i, title=f"Пропущенный урок {i}"))
    starts = now - timedelta(days=9)
    SessionFactory(
        activity=ActivityFactory(
            season=season, title="Необязательный вебинар", is_mandatory=False, audience=ActivityAudience.OPEN
        ),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    _lesson(season, days=20, title="Будущий урок")
    coordinator(season.program.municipality)
    return enrollment, lessons


def test_the_section_lists_what_passed_before_admission_each_not_a_breach(client):
    enrollment, (lesson,) = _late()
    client.force_login(enrollment.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    section = html[html.index('id="cabinet-late-admission"') :]
    section = section[: section.index("</section>")]
    admitted = timezone.localtime(enrollment.status_changed_at, enrollment.season.tz)
    assert f"Вы присоединились к программе {admitted.day} " in section and "До этого прошли:" in section
    assert "Обязательный семинар 0" in section and "Пропущенный урок 0" in section
    assert section.count(NOT_A_BREACH) == 2
    assert "Необязательный вебинар" not in section and "Будущий урок" not in section
    assert reverse("extension_request_new", args=[enrollment.pk, lesson.pk]) in section
    # Nothing of it is offered as a risk of exclusion.
    assert "Пропущенный урок 0» не сдан" not in html


def test_no_section_for_a_teacher_admitted_before_the_season_or_with_everything_done(client):
    enrollment, (lesson,) = _late()
    SubmissionFactory(assignment=lesson, enrollment=enrollment)
    enrollment.status_changed_at = timezone.now() - timedelta(days=400)
    enrollment.save(update_fields=["status_changed_at"])
    client.force_login(enrollment.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert 'id="cabinet-late-admission"' not in html


def test_a_pending_request_is_shown_instead_of_the_button(client):
    enrollment, (lesson,) = _late()
    SubmissionExtensionRequest.objects.create(assignment=lesson, enrollment=enrollment, message="Прошу")
    client.force_login(enrollment.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert "Запрос на продление ждёт решения координатора" in html
    assert reverse("extension_request_new", args=[enrollment.pk, lesson.pk]) not in html


def test_cabinet_query_count_is_the_same_with_one_and_three_missed_items(client, django_assert_num_queries):
    counts = []
    for n in (1, 3):
        enrollment, lessons = _late(n)
        SubmissionExtensionRequest.objects.create(assignment=lessons[0], enrollment=enrollment, message="Прошу")
        client.force_login(enrollment.person.user)
        # The cabinet's 14 for this teacher (tests/test_query_budgets.py), and the extension requests of the missed
        # lessons: one query.
        with django_assert_num_queries(15) as captured:
            response = client.get(reverse("cabinet"))
        assert response.status_code == 200
        assert response.content.decode().count(NOT_A_BREACH) == 2 * n
        requests = [q for q in captured.captured_queries if "submissionextensionrequest" in q["sql"]]
        assert len(requests) == 1  # one query for the requests, shared by both sections
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- The request form ------------------------------------------------------------------------------------------


def _form_url(enrollment, lesson):
    return reverse("extension_request_new", args=[enrollment.pk, lesson.pk])


def test_the_owner_sends_a_request_and_returns_to_the_cabinet(client):
    enrollment, (lesson,) = _late()
    client.force_login(enrollment.person.user)

    page = client.get(_form_url(enrollment, lesson))
    assert page.status_code == 200
    assert "Он прошёл до вашего зачисления в программу: это не считается нарушением" in page.content.decode()
    response = client.post(_form_url(enrollment, lesson), {"message": "Зачислили после срока, прошу продлить"})

    assert response.status_code == 302 and response.url == reverse("cabinet")
    request = SubmissionExtensionRequest.objects.get()
    assert (request.enrollment, request.assignment, request.message) == (
        enrollment,
        lesson,
        "Зачислили после срока, прошу продлить",
    )


def test_an_empty_or_too_long_message_gets_a_russian_error_and_keeps_the_text(client):
    enrollment, (lesson,) = _late()
    client.force_login(enrollment.person.user)

    empty = client.post(_form_url(enrollment, lesson), {"message": ""})
    long = client.post(_form_url(enrollment, lesson), {"message": "Очень длинно " * 200})

    assert empty.status_code == 200 and "Напишите координатору, почему вам нужно продление." in empty.content.decode()
    assert long.status_code == 200 and "Сообщение длиннее 2000 знаков" in long.content.decode()
    assert "Очень длинно Очень длинно" in long.content.decode()
    assert not SubmissionExtensionRequest.objects.exists()


def test_a_duplicate_is_refused_at_the_form(client):
    enrollment, (lesson,) = _late()
    client.force_login(enrollment.person.user)
    client.post(_form_url(enrollment, lesson), {"message": "Первый"})

    page = client.get(_form_url(enrollment, lesson)).content.decode()
    again = client.post(_form_url(enrollment, lesson), {"message": "Второй"})

    assert "уже отправлен и ждёт решения координатора" in page and "<textarea" not in page
    assert again.status_code == 200 and "уже отправлен и ждёт решения координатора" in again.content.decode()
    assert SubmissionExtensionRequest.objects.count() == 1


def test_another_persons_enrollment_or_another_seasons_lesson_is_404(client):
    enrollment, (lesson,) = _late()
    stranger, (stranger_lesson,) = _late()
    client.force_login(enrollment.person.user)

    assert client.get(_form_url(stranger, stranger_lesson)).status_code == 404
    assert client.post(_form_url(stranger, lesson), {"message": "Чужое"}).status_code == 404
    assert client.post(_form_url(enrollment, stranger_lesson), {"message": "Чужое"}).status_code == 404
    assert client.get(reverse("extension_request_new", args=[enrollment.pk, 999_999])).status_code == 404
    assert not SubmissionExtensionRequest.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    enrollment, (lesson,) = _late()

    response = client.get(_form_url(enrollment, lesson))

    assert response.status_code == 302 and "login" in response.url
