"""Every expert-facing URL × every kind of visitor (a rule that lets the wrong visitor in fails here).

The world and the runner are in tests/permissions_world.py (shared with the teacher's, management's and admin's
matrices); each case runs inside its own savepoint, so what a POST writes is undone.
A case names the roles that get in and with which status; every other signed-in role must get 404 (never 403,
never a page that reveals the object), and an anonymous visitor is sent to the login page. Where a page is
open to a wider circle (a list of one's own work), the case also names what only some roles may read on it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import RouteItem, Submission
from experts.models import IndividualRequest, MentoringMeeting, MentoringPair
from participants.models import Enrollment
from programs.models import Season
from ratings.models import Achievement
from tests import permissions_world
from tests.permissions_world import (
    A_CURATOR,
    A_EXPERTS,
    A_METHODIST,
    A_METHODIST_2,
    A_TUTOR,
    A_TUTOR_2,
    ACHIEVEMENT_TITLE,
    B_EXPERTS,
    COORDINATOR,
    COORDINATOR_OTHER,
    EVERYONE,
    EXPERT_GROUP,
    FORMER,
    INTERVIEW_NOTES,
    NEW_REQUEST_TOPIC,
    REQUEST_TOPIC,
    SECRET_TOPIC,
    SESSION_TITLE,
    SUBMISSION_TOPIC,
    TEACHER_NAME,
    VISIT_LESSON,
    Case,
    World,
    _of,
    ok,
    params,
    run_case,
    url,
    url_q,
)

world, files = permissions_world.world, permissions_world.files  # the shared fixtures

submission_pk = lambda w: w.submission.pk  # noqa: E731
session_pk = lambda w: w.session.pk  # noqa: E731
request_pk = lambda w: w.request.pk  # noqa: E731
pair_pk = lambda w: MentoringPair.objects.get(mentee=w.enrollment).pk  # noqa: E731

REVIEWERS = {A_METHODIST, A_CURATOR}  # assigned to it; the curator of the participant's group by the season's rules
ATTENDANCE = A_EXPERTS | {COORDINATOR, "superuser"}
VISITORS = {A_CURATOR, A_METHODIST, A_METHODIST_2}  # the participant's curator and any methodist of the season
CONSULTING = _of(A_EXPERTS | B_EXPERTS, "curator", "methodist", "psychologist")
ACHIEVEMENT_DECIDERS = _of(A_EXPERTS, *EXPERT_GROUP) | {COORDINATOR, "superuser"}
ROUTE = {A_TUTOR, COORDINATOR, "superuser"}


def _achievement_confirmed(w: World) -> bool:
    return Achievement.objects.get(pk=w.achievement.pk).status == Achievement.Status.CONFIRMED


def _route_moved(w: World) -> bool:
    return RouteItem.objects.get(pk=w.route_item.pk).order != 1


def _route_edited(w: World) -> bool:
    return RouteItem.objects.get(pk=w.route_item.pk).title == "Разбор урока с тьютором"


def _lock_taken(w: World) -> bool:
    return Submission.objects.get(pk=w.submission.pk).status == Submission.Status.IN_REVIEW


def _all_present(w: World) -> bool:
    return w.session.attendance.exists()


def _code_given(w: World) -> bool:
    w.session.refresh_from_db(fields=["checkin_code"])
    return bool(w.session.checkin_code)


def _chat_confirmed(w: World) -> bool:
    return Enrollment.objects.get(pk=w.enrollment.pk).chat_joined_at is not None


CHAT_CONFIRMERS = {"tech_specialist", COORDINATOR, "superuser"}  # season A's technical specialist


def _meeting_logged(w: World) -> bool:
    return MentoringMeeting.objects.filter(pair__mentee=w.enrollment, topic="Встреча по матрице").exists()


def _request_in_work(w: World) -> bool:
    return IndividualRequest.objects.get(pk=w.request.pk).status == IndividualRequest.Status.IN_WORK


CASES = [
    # The workspace and the review queue answer everyone signed in: experts with their panels, the others with
    # the "no assignments" page; neither shows season A's participant or lesson to those outside it.
    Case(
        "expert_workspace",
        url("expert_workspace"),
        "get",
        ok(EVERYONE),
        secrets=((SUBMISSION_TOPIC, frozenset(REVIEWERS)), (SECRET_TOPIC, frozenset())),
    ),
    Case(
        "review_queue",
        url("review_queue"),
        "get",
        ok(EVERYONE),
        secrets=((SUBMISSION_TOPIC, frozenset(REVIEWERS)), (TEACHER_NAME, frozenset(REVIEWERS | {"teacher"}))),
        shows=((SUBMISSION_TOPIC, frozenset(REVIEWERS)),),
    ),
    Case("review_page", url("review_page", submission_pk), "get", ok(REVIEWERS)),
    Case("review_page_post", url("review_page", submission_pk), "post", ok(REVIEWERS, 302)),
    Case("review_take", url("review_take", submission_pk), "post", ok(REVIEWERS, 302), effect=_lock_taken),
    Case("review_lock_release", url("review_lock_release", submission_pk), "post", ok(REVIEWERS, 302)),
    # Attendance: the season's experts, its coordinators and superusers.
    Case(
        "attendance_sessions",
        url("attendance_sessions"),
        "get",
        ok(A_EXPERTS | B_EXPERTS | {COORDINATOR, COORDINATOR_OTHER, "superuser"}),
        secrets=((SESSION_TITLE, frozenset(ATTENDANCE)),),
        shows=((SESSION_TITLE, frozenset(ATTENDANCE)),),
    ),
    Case("session_attendance", url("session_attendance", session_pk), "get", ok(ATTENDANCE)),
    # The season's chat members (seed 000 §4.4): its technical specialist and coordinators confirm membership.
    Case(
        "expert_chat_members",
        url("expert_chat_members", lambda w: w.season_a.pk),
        "get",
        ok(CHAT_CONFIRMERS),
        shows=((TEACHER_NAME, frozenset(CHAT_CONFIRMERS)),),
    ),
    Case(
        "expert_chat_members_post",
        url("expert_chat_members", lambda w: w.season_a.pk),
        "post",
        ok(CHAT_CONFIRMERS, 302),
        data=lambda w: {"enrollment": [w.enrollment.pk]},
        effect=_chat_confirmed,
    ),
    # The expert's quarterly feedback (seed 000 §2.2): season A's active experts, nobody else, not even a coordinator.
    Case("expert_feedback", url("expert_feedback", lambda w: w.season_a.pk), "get", ok(A_EXPERTS)),
    Case("expert_feedback_post", url("expert_feedback", lambda w: w.season_a.pk), "post", ok(A_EXPERTS)),
    Case(
        "session_attendance_all_present",
        url("session_attendance_all_present", session_pk),
        "post",
        ok(ATTENDANCE, 302),
        effect=_all_present,
    ),
    Case("session_attendance_import", url("session_attendance_import", session_pk), "post", ok(ATTENDANCE)),
    # Turning default marks into real ones is the coordinator's act (defaults are not evidence until then).
    Case(
        "session_attendance_confirm_defaults",
        url("session_attendance_confirm_defaults", session_pk),
        "post",
        ok({COORDINATOR, "superuser"}, 302),
    ),
    Case(
        "session_checkin_open",
        url("session_checkin_open", session_pk),
        "post",
        ok(ATTENDANCE, 302),
        effect=_code_given,
    ),
    # The curator's group: its curator and the coordinator read the interview notes; methodists read it without.
    Case(
        "expert_group",
        url("expert_group", lambda w: w.group.pk),
        "get",
        ok({A_CURATOR, A_METHODIST, A_METHODIST_2, COORDINATOR}),
        secrets=((INTERVIEW_NOTES, frozenset({A_CURATOR, COORDINATOR})),),
        shows=((INTERVIEW_NOTES, frozenset({A_CURATOR, COORDINATOR})), (TEACHER_NAME, frozenset({A_METHODIST}))),
    ),
    Case(
        "expert_visits",
        url("expert_visits"),
        "get",
        ok(_of(A_EXPERTS | B_EXPERTS, "curator", "methodist") | {FORMER}),  # their own records
        secrets=((VISIT_LESSON, frozenset({A_CURATOR})), (TEACHER_NAME, frozenset({A_CURATOR, FORMER}))),
        shows=((VISIT_LESSON, frozenset({A_CURATOR})),),
    ),
    Case(
        "expert_visit_create",
        url_q("expert_visit_create", lambda w: f"?enrollment={w.enrollment.pk}"),
        "get",
        ok(VISITORS),
    ),
    Case(
        "expert_visit_create_post",
        url_q("expert_visit_create", lambda w: f"?enrollment={w.enrollment.pk}"),
        "post",
        ok(VISITORS),  # an empty form comes back with its errors
    ),
    # Consultations: the list and the form for consulting experts; the psychologist's content for its author only.
    Case(
        "expert_consultations",
        url("expert_consultations"),
        "get",
        ok(CONSULTING | {FORMER}),
        secrets=((SECRET_TOPIC, frozenset({"psychologist"})),),
        shows=((SECRET_TOPIC, frozenset({"psychologist"})),),
    ),
    Case("expert_consultation_create", url("expert_consultation_create"), "get", ok(CONSULTING)),
    Case(
        "expert_consultation_confidential",
        url("expert_consultation", lambda w: w.secret_consultation.pk),
        "get",
        ok({"psychologist"}),
    ),
    Case(
        "expert_consultation_open",
        url("expert_consultation", lambda w: w.open_consultation.pk),
        "get",
        ok({A_CURATOR}),  # coordinators read a non-confidential one in the admin, not here
    ),
    # Mentoring and the tutor's bank of requests.
    Case(
        "expert_mentoring",
        url("expert_mentoring"),
        "get",
        ok({"mentor", "mentor_season_b"}),
        secrets=((TEACHER_NAME, frozenset({"mentor"})),),
        shows=((TEACHER_NAME, frozenset({"mentor"})),),
    ),
    # A pair's meetings: its own mentor only (season A's); the coordinator reads them in the admin.
    Case(
        "expert_mentoring_meetings",
        url("expert_mentoring_meetings", pair_pk),
        "get",
        ok({"mentor"}),
        shows=((TEACHER_NAME, frozenset({"mentor"})),),
    ),
    Case(
        "expert_mentoring_meetings_post",
        url("expert_mentoring_meetings", pair_pk),
        "post",
        ok({"mentor"}, 302),
        data=lambda w: {
            "held_on": timezone.localdate(timezone=w.season_a.tz).isoformat(),
            "form": "in_person",
            "topic": "Встреча по матрице",
        },
        effect=_meeting_logged,
    ),
    Case(
        "tutor_requests",
        url("tutor_requests"),
        "get",
        ok({A_TUTOR, A_TUTOR_2, "tutor_season_b"}),
        secrets=(
            (REQUEST_TOPIC, frozenset({A_TUTOR})),
            (NEW_REQUEST_TOPIC, frozenset({A_TUTOR, A_TUTOR_2})),
        ),
        shows=((REQUEST_TOPIC, frozenset({A_TUTOR})), (NEW_REQUEST_TOPIC, frozenset({A_TUTOR, A_TUTOR_2}))),
    ),
    Case("tutor_request_detail", url("tutor_request_detail", request_pk), "get", ok({A_TUTOR})),
    Case(
        "tutor_request_detail_post",
        url("tutor_request_detail", request_pk),
        "post",
        ok({A_TUTOR}, 302),
        data=lambda w: {"to_status": IndividualRequest.Status.IN_WORK, "reason": ""},
        effect=_request_in_work,
    ),
    Case(
        "tutor_request_detail_new",
        url("tutor_request_detail", lambda w: w.new_request.pk),
        "get",
        ok({A_TUTOR, A_TUTOR_2}),  # a new request of the season waits for a tutor: any tutor of it reads it
    ),
    Case(
        "tutor_request_detail_new_post",
        url("tutor_request_detail", lambda w: w.new_request.pk),
        "post",
        {},  # but nobody changes it there
        data=lambda w: {"to_status": IndividualRequest.Status.IN_WORK, "reason": ""},
    ),
    Case("route_builder", url("route_builder", request_pk), "get", ok(ROUTE)),
    Case("route_builder_post", url("route_builder", request_pk), "post", ok(ROUTE)),  # empty form: its errors
    Case(
        "route_item_action",
        lambda w: reverse("route_item_action", args=[w.request.pk, w.route_item.pk, "down"]),
        "post",
        ok(ROUTE, 302),
        effect=_route_moved,
    ),
    Case(
        "route_item_edit",
        lambda w: reverse("route_item_edit", args=[w.request.pk, w.route_item.pk]),
        "get",
        ok(ROUTE),
    ),
    Case(
        "route_item_edit_post",
        lambda w: reverse("route_item_edit", args=[w.request.pk, w.route_item.pk]),
        "post",
        # The world's teacher is not in the Methodical Subscription: the service refuses in Russian, nothing saved
        # (tests/activities/test_route_item_edit.py saves real edits).
        ok(ROUTE),
        data=lambda w: {"title": "Разбор урока с тьютором", "note": ""},
        effect=_route_edited,
        effect_roles=frozenset(),
    ),
    # Achievements: the season's expert group (not the technical specialist) and its coordinators decide.
    Case(
        "expert_achievements",
        url("expert_achievements"),
        "get",
        ok(_of(A_EXPERTS | B_EXPERTS, *EXPERT_GROUP) | {COORDINATOR, COORDINATOR_OTHER, "superuser"}),
        secrets=((ACHIEVEMENT_TITLE, frozenset(ACHIEVEMENT_DECIDERS)), (TEACHER_NAME, frozenset(ACHIEVEMENT_DECIDERS))),
        shows=((ACHIEVEMENT_TITLE, frozenset(ACHIEVEMENT_DECIDERS)),),
    ),
    Case(
        "expert_achievements_decide",
        url("expert_achievements"),
        "post",
        # Outside the season the queue is open but the achievement is not theirs: nothing changes.
        ok(_of(A_EXPERTS | B_EXPERTS, *EXPERT_GROUP) | {COORDINATOR, COORDINATOR_OTHER, "superuser"}, 302),
        data=lambda w: {"confirm_one": str(w.achievement.pk), f"comment_{w.achievement.pk}": "Подтверждаю"},
        effect=_achievement_confirmed,
        effect_roles=frozenset(ACHIEVEMENT_DECIDERS),
    ),
    # The season's rating: its participants, experts and coordinators.
    Case(
        "season_leaderboard",
        lambda w: reverse("season_leaderboard", args=[w.season_a.program.slug, w.season_a.pk]),
        "get",
        ok(A_EXPERTS | {"teacher", COORDINATOR, "superuser"}),
    ),
    # Protected files. A lesson's video: its reviewers and the group's curator, not every expert of the season
    # (the psychologist, the technical specialist and another subject's methodist get the 404 of a missing id).
    Case(
        "submission_file",
        url("submission_file", submission_pk),
        "get",
        ok(REVIEWERS | {"teacher", COORDINATOR, "superuser"}),
    ),
    Case(
        "achievement_proof",
        url("achievement_proof", lambda w: w.achievement.pk),
        "get",
        ok(_of(A_EXPERTS, *EXPERT_GROUP) | {"teacher", COORDINATOR, "superuser"}),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "role"), list(params(CASES)))
def test_permission(client, world, files, case: Case, role: str):
    run_case(client, world, case, role)


# A season that opens its lessons to its whole team (Season.videos_open_to_experts, with its reason): every active
# expert of that season then opens the file; another season's experts and one who left still get 404.
OPENED_SEASON_CASES = [
    Case(
        "submission_file_opened_season",
        url("submission_file", submission_pk),
        "get",
        ok(A_EXPERTS | {"teacher", COORDINATOR, "superuser"}),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "role"), list(params(OPENED_SEASON_CASES)))
def test_permission_in_a_season_that_opens_its_videos(client, world, files, case: Case, role: str):
    Season.objects.filter(pk=world.season_a.pk).update(
        videos_open_to_experts=True, videos_open_reason="Технический специалист собирает материалы от участников"
    )  # undone with the test's transaction
    run_case(client, world, case, role)


# --- Wrong methods: an action is a POST; a GET is refused before anything is looked up -------------------------

POST_ONLY = [
    ("review_take", url("review_take", submission_pk), A_METHODIST),
    ("review_lock_release", url("review_lock_release", submission_pk), A_METHODIST),
    ("session_attendance_all_present", url("session_attendance_all_present", session_pk), COORDINATOR),
    ("session_attendance_import", url("session_attendance_import", session_pk), COORDINATOR),
    ("session_attendance_confirm_defaults", url("session_attendance_confirm_defaults", session_pk), COORDINATOR),
    ("session_checkin_open", url("session_checkin_open", session_pk), "tech_specialist"),
    (
        "route_item_action",
        lambda w: reverse("route_item_action", args=[w.request.pk, w.route_item.pk, "up"]),
        A_TUTOR,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "address", "role"), POST_ONLY, ids=[f"{n}-get-{r}" for n, _a, r in POST_ONLY])
def test_get_on_an_action_is_405(client, world, name, address, role):
    permissions_world.sign_in(client, world, role)
    assert client.get(address(world)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("review_page", url("review_page", 999_999)),
        ("session_attendance", url("session_attendance", 999_999)),
        ("expert_group", url("expert_group", 999_999)),
        ("expert_chat_members", url("expert_chat_members", 999_999)),
        ("expert_feedback", url("expert_feedback", 999_999)),
        ("expert_consultation", url("expert_consultation", 999_999)),
        ("tutor_request_detail", url("tutor_request_detail", 999_999)),
        ("expert_mentoring_meetings", url("expert_mentoring_meetings", 999_999)),
        ("route_builder", url("route_builder", 999_999)),
        ("route_item_edit", lambda w: reverse("route_item_edit", args=[w.request.pk, 999_999])),
        ("submission_file", url("submission_file", 999_999)),
        ("achievement_proof", url("achievement_proof", 999_999)),
    ],
)
def test_a_guessed_id_is_404_even_for_the_superuser(client, world, name, address):
    permissions_world.sign_in(client, world, "superuser")
    assert client.get(address(world)).status_code == 404
