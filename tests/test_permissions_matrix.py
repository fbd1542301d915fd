"""Every expert-facing URL × every kind of visitor (issue 4: "permissions are tested as a matrix").

One world is built once for the module (season A with its experts, season B with its own, two teachers, two
coordinators, a superuser); each case runs inside its own savepoint, so what a POST writes is undone.
A case names the roles that get in and with which status; every other signed-in role must get 404 (never 403,
never a page that reveals the object), and an anonymous visitor is sent to the login page. Where a page is
open to a wider circle (a list of one's own work), the case also names what only some roles may read on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from activities.models import RouteItem, Submission
from experts.models import (
    Consultation,
    EntryInterview,
    ExpertGroup,
    ExpertRole,
    GroupMember,
    IndividualRequest,
    LessonVisit,
    MentoringPair,
)
from participants.models import SubscriptionForm, User
from participants.roles import COORDINATORS, role_groups_ensure
from programs.models import Municipality
from ratings.models import Achievement, ReviewAssignment
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    RubricCriterionFactory,
    RubricFactory,
    SeasonFactory,
    SessionFactory,
    SubjectFactory,
    SubmissionFactory,
    UserFactory,
    VideoAssignmentFactory,
)

# What only some roles may read; a page shown to anyone else must not contain it.
TEACHER_NAME = "Первоучителева"
SUBMISSION_TOPIC = "Тема-маркер видеоурока"
SESSION_TITLE = "Занятие-маркер сезона А"
INTERVIEW_NOTES = "Заметка-маркер входного собеседования"
VISIT_LESSON = "Урок-маркер посещения"
SECRET_TOPIC = "Тема-маркер конфиденциальной консультации"
REQUEST_TOPIC = "Тема-маркер назначенного запроса"
NEW_REQUEST_TOPIC = "Тема-маркер нового запроса"
ACHIEVEMENT_TITLE = "Достижение-маркер"
VIDEO_NAME = "submissions/matrix/lesson.mp4"
PROOF_NAME = "achievements/matrix/proof.png"
VIDEO_BYTES = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
PROOF_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Season A's experts, named by the role they play towards the objects of the world.
A_CURATOR, A_CURATOR_2 = "curator", "curator_other"
A_METHODIST, A_METHODIST_2 = "methodist", "methodist_other_subject"
A_TUTOR, A_TUTOR_2 = "tutor", "tutor_other"
A_EXPERTS = {
    A_CURATOR,
    A_CURATOR_2,
    A_METHODIST,
    A_METHODIST_2,
    "psychologist",
    A_TUTOR,
    A_TUTOR_2,
    "mentor",
    "tech_specialist",
}
B_EXPERTS = {
    "curator_season_b",
    "methodist_season_b",
    "psychologist_season_b",
    "tutor_season_b",
    "mentor_season_b",
    "tech_specialist_season_b",
}
EXPERT_GROUP = {"curator", "methodist", "psychologist", "tutor", "mentor"}  # confirm achievements; not tech
TEACHERS = {"teacher", "teacher_other_season"}
COORDINATOR, COORDINATOR_OTHER = "coordinator", "coordinator_other_municipality"
# A staff user of the municipality in the «Координаторы» group whose main role was left as it was: a coordinator
# all the same, so every case expects for them what it expects for the coordinator.
COORDINATOR_BY_GROUP = "coordinator_by_group"
# A methodist of season A's subject who no longer works in the season (assigned to the lesson before that).
FORMER = "methodist_former"
ROLES = [
    "anonymous",
    *sorted(TEACHERS),
    *sorted(A_EXPERTS),
    FORMER,
    *sorted(B_EXPERTS),
    COORDINATOR,
    COORDINATOR_BY_GROUP,
    COORDINATOR_OTHER,
    "superuser",
]
ALIASES = {COORDINATOR_BY_GROUP: COORDINATOR}


def _of(roles: set[str], *kinds: str) -> set[str]:
    """The roles among `roles` whose name starts with one of the kinds (curator → curator, curator_other…)."""
    return {r for r in roles if r.split("_")[0] in kinds}


# --- The world ------------------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    season_a: object
    enrollment: object
    submission: Submission
    session: object
    group: ExpertGroup
    secret_consultation: Consultation
    open_consultation: Consultation
    request: IndividualRequest
    new_request: IndividualRequest
    route_item: RouteItem
    achievement: Achievement
    other: dict = field(default_factory=dict)


def _coordinator(municipality: Municipality, role=User.Role.COORDINATOR) -> User:
    user = UserFactory(is_staff=True, role=role, municipality=municipality)
    user.groups.add(role_groups_ensure()[COORDINATORS])
    return user


def _experts(season, subject, other_subject, suffix: str) -> dict:
    def make(role, subject=None, last_name=None):
        kwargs = {"person__user": UserFactory(role=User.Role.EXPERT)}
        if last_name:
            kwargs["person__last_name"] = last_name
        return ExpertAssignmentFactory(season=season, role=role, subject=subject, **kwargs)

    if suffix:  # season B: one expert of each role
        return {
            f"curator{suffix}": make(ExpertRole.CURATOR),
            f"methodist{suffix}": make(ExpertRole.METHODIST, subject),  # the same subject as in season A
            f"psychologist{suffix}": make(ExpertRole.PSYCHOLOGIST),
            f"tutor{suffix}": make(ExpertRole.TUTOR),
            f"mentor{suffix}": make(ExpertRole.MENTOR),
            f"tech_specialist{suffix}": make(ExpertRole.TECH_SPECIALIST),
        }
    return {
        A_CURATOR: make(ExpertRole.CURATOR),
        A_CURATOR_2: make(ExpertRole.CURATOR),
        A_METHODIST: make(ExpertRole.METHODIST, subject),
        A_METHODIST_2: make(ExpertRole.METHODIST, other_subject),
        "psychologist": make(ExpertRole.PSYCHOLOGIST),
        A_TUTOR: make(ExpertRole.TUTOR),
        A_TUTOR_2: make(ExpertRole.TUTOR),
        "mentor": make(ExpertRole.MENTOR),
        "tech_specialist": make(ExpertRole.TECH_SPECIALIST),
    }


def _build() -> World:
    now = timezone.now()
    town, elsewhere = MunicipalityFactory(), MunicipalityFactory()
    season_a = SeasonFactory(program__municipality=town, review_by_subject_methodist=True, review_by_curator=True)
    season_b = SeasonFactory(program__municipality=elsewhere)
    maths, physics = SubjectFactory(name="Математика"), SubjectFactory(name="Физика")
    experts_a = _experts(season_a, maths, physics, "")
    experts_b = _experts(season_b, maths, physics, "_season_b")

    enrollment = EnrollmentFactory(
        season=season_a, person__last_name=TEACHER_NAME, person__user=UserFactory(role=User.Role.TEACHER)
    )
    other_teacher = EnrollmentFactory(season=season_b, person__user=UserFactory(role=User.Role.TEACHER))

    group = ExpertGroup.objects.create(season=season_a, name="Группа 1", curator=experts_a[A_CURATOR])
    ExpertGroup.objects.create(season=season_a, name="Группа 2", curator=experts_a[A_CURATOR_2])
    GroupMember.objects.create(group=group, enrollment=enrollment)
    EntryInterview.objects.create(
        enrollment=enrollment, interviewer=experts_a[A_CURATOR], held_on=now.date(), notes=INTERVIEW_NOTES
    )
    LessonVisit.objects.create(
        enrollment=enrollment, expert=experts_a[A_CURATOR], visited_on=now.date(), lesson=VISIT_LESSON
    )

    rubric = RubricFactory(program=season_a.program)
    RubricCriterionFactory(rubric=rubric, order=1, max_points=3, weight=Decimal("1.00"))
    submission = SubmissionFactory(
        assignment=VideoAssignmentFactory(activity__season=season_a),
        enrollment=enrollment,
        subject=maths,
        topic=SUBMISSION_TOPIC,
        video_url="",
        video_file=VIDEO_NAME,
        submitted_at=now - timedelta(days=1),
    )
    ReviewAssignment.objects.create(submission=submission, expert=experts_a[A_METHODIST], is_manual=True)
    former = ExpertAssignmentFactory(
        season=season_a, role=ExpertRole.METHODIST, subject=maths, is_active=False, person__user__role=User.Role.EXPERT
    )
    ReviewAssignment.objects.create(submission=submission, expert=former, is_manual=True)
    LessonVisit.objects.create(enrollment=enrollment, expert=former, visited_on=now.date(), lesson="Урок до ухода")

    session = SessionFactory(
        activity=ActivityFactory(season=season_a),
        title=SESSION_TITLE,
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(minutes=90),
    )

    secret = Consultation.objects.create(
        season=season_a,
        expert=experts_a["psychologist"],
        held_at=now - timedelta(days=2),
        topic=SECRET_TOPIC,
        content="Содержание конфиденциальной консультации",
        is_confidential=True,
    )
    secret.participants.add(enrollment)
    open_consultation = Consultation.objects.create(
        season=season_a, expert=experts_a[A_CURATOR], held_at=now - timedelta(days=3), topic="Открытая консультация"
    )
    open_consultation.participants.add(enrollment)

    request = IndividualRequest.objects.create(
        enrollment=enrollment,
        deficit="Формирующее оценивание",
        topic=REQUEST_TOPIC,
        preferred_form=SubscriptionForm.values[0],
        status=IndividualRequest.Status.ASSIGNED,
        tutor=experts_a[A_TUTOR],
    )
    new_request = IndividualRequest.objects.create(
        enrollment=enrollment,
        deficit="Работа с родителями",
        topic=NEW_REQUEST_TOPIC,
        preferred_form=SubscriptionForm.values[0],
    )
    route_item = RouteItem.objects.create(enrollment=enrollment, order=1, title="Вебинар по оцениванию")
    RouteItem.objects.create(enrollment=enrollment, order=2, title="Практикум")
    MentoringPair.objects.create(
        season=season_a, mentor=experts_a["mentor"], mentee=enrollment, started_on=now.date() - timedelta(days=5)
    )
    achievement = Achievement.objects.create(
        enrollment=enrollment,
        title=ACHIEVEMENT_TITLE,
        kind=Achievement.Kind.CONTEST,
        level=Achievement.Level.REGIONAL,
        happened_on=now.date() - timedelta(days=10),
        proof_file=PROOF_NAME,
    )

    users = {role: a.person.user for role, a in {**experts_a, **experts_b}.items()}
    users["teacher"] = enrollment.person.user
    users["teacher_other_season"] = other_teacher.person.user
    users[COORDINATOR] = _coordinator(town)
    users[COORDINATOR_OTHER] = _coordinator(elsewhere)
    users[COORDINATOR_BY_GROUP] = _coordinator(town, role=User.Role.TEACHER)
    users[FORMER] = former.person.user
    users["superuser"] = UserFactory(is_staff=True, is_superuser=True)
    return World(
        users=users,
        season_a=season_a,
        enrollment=enrollment,
        submission=submission,
        session=session,
        group=group,
        secret_consultation=secret,
        open_consultation=open_consultation,
        request=request,
        new_request=new_request,
        route_item=route_item,
        achievement=achievement,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture
def files(_media_in_tmp):
    """The stored video and proof, in this test's media folder."""
    for name, content in ((VIDEO_NAME, VIDEO_BYTES), (PROOF_NAME, PROOF_BYTES)):
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


# --- The table ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    url: Callable[[World], str]
    method: str
    allowed: dict[str, int]  # role → status; every other signed-in role gets 404
    data: Callable[[World], dict] = lambda w: {}
    # (text, roles that may read it): a 200 answer to anyone else must not contain the text.
    secrets: tuple[tuple[str, frozenset[str]], ...] = ()
    # (text, roles): the page shows it to them (so that the secrets' checks look at a page that has it).
    shows: tuple[tuple[str, frozenset[str]], ...] = ()
    # What a permitted POST changes; checked to be changed for `allowed` roles only.
    effect: Callable[[World], bool] | None = None


def ok(roles, status=200) -> dict[str, int]:
    return {role: status for role in roles}


def url(name, *args, query="") -> Callable[[World], str]:
    def build(w: World) -> str:
        return reverse(name, args=[arg(w) if callable(arg) else arg for arg in args]) + query

    return build


def url_q(name, query: Callable[[World], str]) -> Callable[[World], str]:
    return lambda w: reverse(name) + query(w)


submission_pk = lambda w: w.submission.pk  # noqa: E731
session_pk = lambda w: w.session.pk  # noqa: E731
request_pk = lambda w: w.request.pk  # noqa: E731

EVERYONE = set(ROLES) - {"anonymous"} - set(ALIASES)
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


def _lock_taken(w: World) -> bool:
    return Submission.objects.get(pk=w.submission.pk).status == Submission.Status.IN_REVIEW


def _all_present(w: World) -> bool:
    return w.session.attendance.exists()


def _code_given(w: World) -> bool:
    w.session.refresh_from_db(fields=["checkin_code"])
    return bool(w.session.checkin_code)


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
    Case(
        "session_attendance_all_present",
        url("session_attendance_all_present", session_pk),
        "post",
        ok(ATTENDANCE, 302),
        effect=_all_present,
    ),
    Case("session_attendance_import", url("session_attendance_import", session_pk), "post", ok(ATTENDANCE)),
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
    ),
    # The season's rating: its participants, experts and coordinators.
    Case(
        "season_leaderboard",
        lambda w: reverse("season_leaderboard", args=[w.season_a.program.slug, w.season_a.pk]),
        "get",
        ok(A_EXPERTS | {"teacher", COORDINATOR, "superuser"}),
    ),
    # Protected files.
    Case(
        "submission_file",
        url("submission_file", submission_pk),
        "get",
        ok(A_EXPERTS | {"teacher", COORDINATOR, "superuser"}),
    ),
    Case(
        "achievement_proof",
        url("achievement_proof", lambda w: w.achievement.pk),
        "get",
        ok(_of(A_EXPERTS, *EXPERT_GROUP) | {"teacher", COORDINATOR, "superuser"}),
    ),
]

# The effect must happen for these roles only; a POST answered 302 to others (the achievement queue) changes nothing.
EFFECT_ROLES = {"expert_achievements_decide": ACHIEVEMENT_DECIDERS}


def _params():
    for case in CASES:
        for role in ROLES:
            yield pytest.param(case, role, id=f"{case.name}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "role"), list(_params()))
def test_permission(client, world, files, case: Case, role: str):
    if role != "anonymous":
        client.force_login(world.users[role])
    address = case.url(world)
    response = getattr(client, case.method)(address, case.data(world)) if case.method == "post" else client.get(address)

    as_role = ALIASES.get(role, role)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        expected = None
    else:
        expected = case.allowed.get(as_role, 404)
        assert response.status_code == expected, f"{role} on {address}: {response.status_code}, expected {expected}"
    if response.status_code == 200 and not response.streaming:
        body = response.content.decode()
        for text, readers in case.secrets:
            if as_role not in readers:
                assert text not in body, f"{role} reads «{text}» on {address}"
        for text, readers in case.shows:
            if as_role in readers:
                assert text in body, f"{role} should read «{text}» on {address}"
    if case.effect is not None:
        allowed = EFFECT_ROLES.get(case.name, set(case.allowed))
        assert case.effect(world) is (as_role in allowed), f"{role} on {address}: effect {case.effect.__name__}"


# --- Wrong methods: an action is a POST; a GET is refused before anything is looked up -------------------------

POST_ONLY = [
    ("review_take", url("review_take", submission_pk), A_METHODIST),
    ("review_lock_release", url("review_lock_release", submission_pk), A_METHODIST),
    ("session_attendance_all_present", url("session_attendance_all_present", session_pk), COORDINATOR),
    ("session_attendance_import", url("session_attendance_import", session_pk), COORDINATOR),
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
    client.force_login(world.users[role])
    assert client.get(address(world)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("review_page", url("review_page", 999_999)),
        ("session_attendance", url("session_attendance", 999_999)),
        ("expert_group", url("expert_group", 999_999)),
        ("expert_consultation", url("expert_consultation", 999_999)),
        ("tutor_request_detail", url("tutor_request_detail", 999_999)),
        ("route_builder", url("route_builder", 999_999)),
        ("submission_file", url("submission_file", 999_999)),
        ("achievement_proof", url("achievement_proof", 999_999)),
    ],
)
def test_a_guessed_id_is_404_even_for_the_superuser(client, world, name, address):
    client.force_login(world.users["superuser"])
    assert client.get(address(world)).status_code == 404
