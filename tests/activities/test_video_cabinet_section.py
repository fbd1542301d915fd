"""The cabinet section «Видеоуроки»: every assignment of my current enrollments, its state and time left."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.cabinet_videos import videos_context
from activities.models import Submission, SubmissionExtension
from activities.video_state import assignment_state
from participants.cabinet import CabinetContext
from participants.models import Enrollment
from participants.selectors import person_enrollments
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    ReviewFactory,
    RubricFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db


def assignment_for(enrollment, *, opens=-10, due=10, cutoff=17, title="Видеоурок"):
    now = timezone.now()
    return VideoAssignmentFactory(
        activity=ActivityFactory(season=enrollment.season, kind="video_lesson", title=title),
        opens_at=now + timedelta(days=opens),
        due_at=now + timedelta(days=due),
        cutoff_at=now + timedelta(days=cutoff),
    )


def cabinet_rows(enrollment):
    person = enrollment.person
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())
    context = videos_context(ctx)
    return context["rows"] if context else []


def populate(enrollment, count):
    """`count` assignments, each with a submission, an extension and a returned version with a released review."""
    rubric = RubricFactory(program=enrollment.season.program)
    for i in range(count):
        assignment = assignment_for(enrollment, title=f"Видеоурок {i}")
        SubmissionExtension.objects.create(
            assignment=assignment, enrollment=enrollment, until=assignment.cutoff_at + timedelta(days=3), reason="—"
        )
        returned = SubmissionFactory(
            assignment=assignment, enrollment=enrollment, status=Submission.Status.RETURNED, topic=f"Тема {i}"
        )
        ReviewFactory(
            submission=returned,
            expert__season=enrollment.season,
            rubric=rubric,
            status="released",
            released_at=timezone.now(),
            recommendations=f"Переснимите урок {i} целиком",
        )


def test_query_count_is_the_same_for_one_and_three_assignments(client, django_assert_num_queries):
    counts = []
    for count in (1, 3):
        enrollment = EnrollmentFactory()
        populate(enrollment, count)
        client.force_login(enrollment.person.user)
        # The whole cabinet: 14 queries of every section (tests/test_query_budgets.py), plus the reason of the
        # returned lessons.
        with django_assert_num_queries(15) as captured:
            response = client.get(reverse("cabinet"))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("Переснимите урок") == count
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_section_links_each_assignment_and_shows_the_due_date_in_the_season_zone(client):
    enrollment = EnrollmentFactory()
    assignment = assignment_for(enrollment, title="Урок в формате обучения через вызов")
    client.force_login(enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert 'id="cabinet-videos"' in html
    assert f'href="{reverse("video_assignment", args=[assignment.pk])}"' in html
    due = timezone.localtime(assignment.due_at, enrollment.season.tz)
    assert f"{due:%H:%M} (время Екатеринбурга, МСК+2)" in html
    assert "осталось" in html


def test_only_current_enrollments_are_listed(client):
    enrollment = EnrollmentFactory(status=Enrollment.Status.WITHDRAWN)
    assignment_for(enrollment, title="Задание прошлого участия")
    client.force_login(enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "Задание прошлого участия" not in html and 'id="cabinet-videos"' not in html


def test_another_teachers_submission_does_not_change_my_state():
    enrollment = EnrollmentFactory()
    assignment = assignment_for(enrollment)
    SubmissionFactory(assignment=assignment, enrollment=EnrollmentFactory(season=enrollment.season))
    [row] = cabinet_rows(enrollment)
    assert row["state"].code == "open" and row["current"] is None


@pytest.mark.parametrize(
    "dates, submission, code",
    [
        ((2, 10, 17), None, "not_open"),
        ((-10, 10, 17), None, "open"),
        ((-10, 1, 17), None, "due_soon"),
        ((-10, -1, 17), None, "late"),
        ((-10, -5, -1), None, "closed"),
        ((-10, 10, 17), {"status": "submitted"}, "submitted"),
        ((-10, -1, 17), {"status": "submitted", "is_late": True}, "late_submitted"),
        ((-10, 10, 17), {"status": "in_review"}, "in_review"),
        ((-10, 10, 17), {"status": "returned"}, "returned"),
        ((-10, -5, -1), {"status": "reviewed"}, "reviewed"),
    ],
)
def test_every_state(dates, submission, code):
    enrollment = EnrollmentFactory()
    opens, due, cutoff = dates
    assignment = assignment_for(enrollment, opens=opens, due=due, cutoff=cutoff)
    if submission:
        SubmissionFactory(assignment=assignment, enrollment=enrollment, **submission)
    [row] = cabinet_rows(enrollment)
    assert row["state"].code == code


def test_a_personal_extension_keeps_the_window_open():
    enrollment = EnrollmentFactory()
    assignment = assignment_for(enrollment, opens=-10, due=-5, cutoff=-1)
    extension = SubmissionExtension(
        assignment=assignment, enrollment=enrollment, until=timezone.now() + timedelta(days=2), reason="—"
    )
    state = assignment_state(assignment=assignment, current=None, extension=extension, now=timezone.now())
    assert state.code == "late" and state.can_submit and state.deadline == extension.until
