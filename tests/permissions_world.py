"""The world every permissions matrix runs in (tests/test_permissions_matrix*.py), and the matrix's runner.

One world is built once per test module (season A in town with its experts, season B elsewhere with its own,
two teachers, coordinators, management, two school directors, a superuser); each case runs inside its own
savepoint, so what a POST writes is undone. A case names the roles that get in and with which status; every
other signed-in role gets `others` (404 unless the page is open to everyone: never 403, never a page that
reveals the object), and an anonymous visitor is sent to the login page unless the case says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance, Certificate, ExclusionCase, RouteItem, Submission
from core.models import BackgroundJob, Notification
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
from participants.roles import COORDINATORS, MANAGEMENT, role_groups_ensure
from programs.models import Municipality, Program
from ratings.models import Achievement, Review, ReviewAssignment
from reports.models import KpiSnapshot, MonitoringRecommendation, MonitoringReport
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    ReviewFactory,
    RubricCriterionFactory,
    RubricFactory,
    SeasonFactory,
    SessionFactory,
    SubjectFactory,
    SubmissionFactory,
    UserFactory,
    VideoAssignmentFactory,
)
from tests.projects.communities_fixtures import matrix_communities

# What only some roles may read; a page shown to anyone else must not contain it.
TEACHER_NAME = "Первоучителева"
SCHOOL_NAME = "Школа-маркер № 1"
OTHER_SCHOOL_NAME = "Школа-маркер № 2"
SCHOOL_PAIR_LEADER = "Школа-лидер-маркер"
SUBMISSION_TOPIC = "Тема-маркер видеоурока"
SESSION_TITLE = "Занятие-маркер сезона А"
INTERVIEW_NOTES = "Заметка-маркер входного собеседования"
VISIT_LESSON = "Урок-маркер посещения"
SECRET_TOPIC = "Тема-маркер конфиденциальной консультации"
SECRET_CONTENT = "Содержание конфиденциальной консультации"
OPEN_TOPIC = "Открытая консультация"
REQUEST_TOPIC = "Тема-маркер назначенного запроса"
NEW_REQUEST_TOPIC = "Тема-маркер нового запроса"
ACHIEVEMENT_TITLE = "Достижение-маркер"
NOTIFICATION_TITLE = "Уведомление-маркер педагогу"
JOB_TITLE = "Выгрузка-маркер директора"
REVIEW_STRENGTHS = "Сильные-стороны-маркер рецензии"
EXCLUSION_REASON = "Обоснование-маркер исключения"
CERTIFICATE_NUMBER = "MATRIX-2026-0001"
CERTIFICATE_CODE = "matrixcode0001"
CALENDAR_TOKEN = "matrix-calendar-token-0123456789abcdef"
MONITORING_PERIOD = "Полугодие-маркер мониторинга"
RECOMMENDATION_TEXT = "Рекомендация-маркер мониторинга"
VIDEO_NAME = "submissions/matrix/lesson.mp4"
PROOF_NAME = "achievements/matrix/proof.png"
CERTIFICATE_PDF = "certificates/matrix/certificate.pdf"
JOB_RESULT = "jobs/matrix/result.xlsx"
VIDEO_BYTES = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
PROOF_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.4\n%matrix\n"
XLSX_BYTES = b"PK\x03\x04" + b"\x00" * 64

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
# Management of season A's municipality (User.Role.MANAGEMENT), and a teacher-role user of the «Руководство»
# group of the same municipality: management all the same.
MANAGER, MANAGER_BY_GROUP = "management", "management_by_group"
OFFICE_PROJECT = "Проект-маркер проектного офиса"
TRAJECTORY_COMMUNITY = "Сообщество-маркер наставников школы"
MENTORING_PRACTICE = "Практика-маркер наставничества"
# The director of the teacher's school, and the director of another school of the same municipality.
DIRECTOR, DIRECTOR_OTHER = "director", "director_other_school"
ROLES = [
    "anonymous",
    *sorted(TEACHERS),
    *sorted(A_EXPERTS),
    FORMER,
    *sorted(B_EXPERTS),
    COORDINATOR,
    COORDINATOR_BY_GROUP,
    COORDINATOR_OTHER,
    MANAGER,
    MANAGER_BY_GROUP,
    DIRECTOR,
    DIRECTOR_OTHER,
    "superuser",
]
ALIASES = {COORDINATOR_BY_GROUP: COORDINATOR, MANAGER_BY_GROUP: MANAGER}
EVERYONE = set(ROLES) - {"anonymous"} - set(ALIASES)
# The roles whose account has a person record (a cabinet, «my data», achievements of their own).
WITH_PERSON = TEACHERS | A_EXPERTS | B_EXPERTS | {FORMER, DIRECTOR, DIRECTOR_OTHER}
# Staff accounts: they see the admin; everyone else is sent to its login page.
STAFF = {COORDINATOR, COORDINATOR_OTHER, "superuser"}


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
    # role → the key of a session signed in once for the module (sign_in).
    sessions: dict[str, str] = field(default_factory=dict)


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


def _school_pairs(town: Municipality, school, season_a) -> dict:
    """«Школа – Школе» (сид 001): a leader school of town paired with the teacher's school, one planned item."""
    from projects.models import PairPlanItem, SchoolPair

    leader = OrganisationFactory(municipality=town, short_name=SCHOOL_PAIR_LEADER)
    # Made directly: the teacher's school is not marked as a school of low results in the other cases' world.
    pair = SchoolPair.objects.create(season=season_a, leader=leader, partner=school, starts_on=season_a.starts_on)
    item = PairPlanItem.objects.create(
        pair=pair, kind="seminar", title="Семинар-маркер пары", planned_on=season_a.starts_on
    )
    return {"school_pair": pair, "school_pair_item": item}


def _monitoring(town: Municipality, school, now) -> dict:
    """A half-year snapshot of town with its draft report (an analysis and one recommendation to the school)."""
    snapshot = KpiSnapshot.objects.create(
        kind=KpiSnapshot.Kind.PERIOD,
        automatic=True,
        taken_on=now.date(),
        taken_at=now,
        period=MONITORING_PERIOD,
        year=2025,
        half=1,
        municipality=town,
        values={"attendance_rate": {"name": "Посещаемость", "value": 75.0, "numerator": 3, "denominator": 4}},
    )
    report = MonitoringReport.objects.create(snapshot=snapshot, analysis="Анализ полугодия")
    recommendation = MonitoringRecommendation.objects.create(
        report=report, organisation=school, text=RECOMMENDATION_TEXT, due_on=now.date(), responsible="Методист"
    )
    return {"monitoring_snapshot": snapshot, "monitoring_report": report, "recommendation": recommendation}


def _build() -> World:  # noqa: PLR0915 — one world, built in one place
    now = timezone.now()
    town, elsewhere = MunicipalityFactory(), MunicipalityFactory()
    school = OrganisationFactory(municipality=town, short_name=SCHOOL_NAME)
    other_school = OrganisationFactory(municipality=town, short_name=OTHER_SCHOOL_NAME)
    season_a = SeasonFactory(
        program__municipality=town,
        review_by_subject_methodist=True,
        review_by_curator=True,
        chat_url="https://t.me/+season_a_chat",
    )
    season_b = SeasonFactory(program__municipality=elsewhere)
    subscription = SeasonFactory(program__municipality=town, program__kind=Program.Kind.SUBSCRIPTION)
    maths, physics = SubjectFactory(name="Математика"), SubjectFactory(name="Физика")
    experts_a = _experts(season_a, maths, physics, "")
    experts_b = _experts(season_b, maths, physics, "_season_b")

    teacher_user = UserFactory(role=User.Role.TEACHER)
    enrollment = EnrollmentFactory(
        season=season_a,
        person__last_name=TEACHER_NAME,
        person__user=teacher_user,
        person__organisation=school,
        person__calendar_token=CALENDAR_TOKEN,
        # Admitted before the world's past session: a participant is expected only at sessions after admission.
        status_changed_at=timezone.now() - timedelta(days=30),
    )
    # Admitted by the coordinator although the school's request is still pending (seed 004, §III.2).
    subscription_enrollment = EnrollmentFactory(
        season=subscription,
        person=enrollment.person,
        school_gate_override_reason="Обращение школы поступило на бумаге",
        school_gate_override_at=timezone.now(),
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
    # A review of another participant's lesson of season A, for the admin's matrix (it touches nobody's queue).
    review = ReviewFactory(
        submission=SubmissionFactory(
            assignment=VideoAssignmentFactory(activity__season=season_a),
            enrollment=EnrollmentFactory(season=season_a, person__organisation=other_school),
            submitted_at=now - timedelta(days=4),
        ),
        expert=former,
        rubric=rubric,
        status=Review.Status.SUBMITTED,
        strengths=REVIEW_STRENGTHS,
        submitted_at=now - timedelta(days=2),
    )

    activity = ActivityFactory(season=season_a)
    session = SessionFactory(
        activity=activity,
        title=SESSION_TITLE,
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(minutes=90),
    )
    past_session = SessionFactory(activity=activity, starts_at=now - timedelta(days=7))
    attendance = AttendanceFactory(session=past_session, enrollment=enrollment, status=Attendance.Status.PRESENT)

    secret = Consultation.objects.create(
        season=season_a,
        expert=experts_a["psychologist"],
        held_at=now - timedelta(days=2),
        topic=SECRET_TOPIC,
        content=SECRET_CONTENT,
        is_confidential=True,
    )
    secret.participants.add(enrollment)
    open_consultation = Consultation.objects.create(
        season=season_a, expert=experts_a[A_CURATOR], held_at=now - timedelta(days=3), topic=OPEN_TOPIC
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
    certificate = Certificate.objects.create(
        number=CERTIFICATE_NUMBER,
        code=CERTIFICATE_CODE,
        enrollment=enrollment,
        activity=activity,
        title="Вебинар по оцениванию",
        hours=Decimal("4"),
        pdf=CERTIFICATE_PDF,
    )
    exclusion_case = ExclusionCase.objects.create(
        enrollment=enrollment,
        status=ExclusionCase.Status.DISMISSED,
        decision_reason=EXCLUSION_REASON,
        decided_at=now - timedelta(days=1),
    )
    notification = Notification.objects.create(user=teacher_user, title=NOTIFICATION_TITLE, url=reverse("cabinet"))

    users = {role: a.person.user for role, a in {**experts_a, **experts_b}.items()}
    users["teacher"] = teacher_user
    users["teacher_other_season"] = other_teacher.person.user
    users[COORDINATOR] = _coordinator(town)
    users[COORDINATOR_OTHER] = _coordinator(elsewhere)
    users[COORDINATOR_BY_GROUP] = _coordinator(town, role=User.Role.TEACHER)
    users[FORMER] = former.person.user
    users[MANAGER] = UserFactory(role=User.Role.MANAGEMENT, municipality=town)
    users[MANAGER_BY_GROUP] = UserFactory(role=User.Role.TEACHER, municipality=town)
    users[MANAGER_BY_GROUP].groups.add(Group.objects.get(name=MANAGEMENT))
    users[DIRECTOR] = PersonFactory(organisation=school, is_manager=True, user__role=User.Role.DIRECTOR).user
    users[DIRECTOR_OTHER] = PersonFactory(
        organisation=other_school, is_manager=True, user__role=User.Role.DIRECTOR
    ).user
    users["superuser"] = UserFactory(is_staff=True, is_superuser=True)
    # The director's finished KPI workbook: a job's page and its file belong to whoever started it.
    job = BackgroundJob.objects.create(
        kind="matrix",
        title=JOB_TITLE,
        started_by=users[DIRECTOR],
        status=BackgroundJob.Status.DONE,
        total=1,
        done=1,
        result_file=JOB_RESULT,
        finished_at=now,
    )
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
        other={
            "school": school,
            "other_school": other_school,
            "subscription": subscription,
            "subscription_enrollment": subscription_enrollment,
            "review": review,
            "past_session": past_session,
            "attendance": attendance,
            "certificate": certificate,
            "exclusion_case": exclusion_case,
            "notification": notification,
            "job": job,
            **_monitoring(town, school, now),
            **matrix_communities(season_a, enrollment, PROOF_NAME),
            **_office(town, now),
            **_school_pairs(town, school, season_a),
            **_trajectory(town, school, now),
        },
    )


def _trajectory(town: Municipality, school, now) -> dict:
    """«Траектория развития» (сид 001) in town: the project's season around today, an informal mentor community
    inside the teacher's school and a colleague's mentoring practice submitted for review."""
    from projects.models import Community, Practice

    program = ProgramFactory(municipality=town, slug="traektoriya-razvitiya", title="Траектория развития")
    season = SeasonFactory(
        program=program, starts_on=now.date() - timedelta(days=200), ends_on=now.date() + timedelta(days=200)
    )
    community = Community.objects.create(
        season=season, name=TRAJECTORY_COMMUNITY, kind=Community.Kind.SCHOOL_MENTORS, organisation=school
    )
    author = EnrollmentFactory(season=season, person=PersonFactory(organisation=school))
    practice = Practice.objects.create(
        community=community,
        author=author,
        kind=Practice.Kind.MENTORING,
        review=Practice.Review.SUBMITTED,
        title=MENTORING_PRACTICE,
        description="Описание",
        link="https://example.ru/mentoring",
    )
    return {"trajectory_season": season, "mentoring_practice": practice}


def _office(town: Municipality, now) -> dict:
    """A project of town's project office (сид 001) with one stage and one event under way."""
    from projects.models.office import Project, ProjectEvent, ProjectStage, StageKind

    today = now.date()
    project = Project.objects.create(municipality=town, slug="office-matrix", title=OFFICE_PROJECT)
    stage = ProjectStage.objects.create(
        project=project, kind=StageKind.MAIN, starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30)
    )
    event = ProjectEvent.objects.create(
        project=project, stage=stage, number="1", title="Семинар-маркер", starts_on=today, ends_on=today
    )
    return {"office_project": project, "office_event": event}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        sign_in_every_role(built)
        yield built
        transaction.set_rollback(True)


def sign_in_every_role(world: World) -> None:
    """Each role signs in once, when the world is built: a sign-in costs as much as the case's own request (the
    user_logged_in receivers compute the header's menu and the time zone, projects.navigation.on_login), and a case
    would repeat it thousands of times for the same session. Each case's savepoint undoes what its request writes
    to the session row (django.contrib.sessions.backends.db), so every case starts from the same signed-in session
    that Client.force_login made."""
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value


def sign_in(client, world: World, role: str) -> None:
    """The client carries the role's session of the world (sign_in_every_role), as after client.force_login."""
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]


@pytest.fixture
def files(_media_in_tmp):
    """The stored video, proof, certificate and job result, in this test's media folder."""
    stored = (
        (VIDEO_NAME, VIDEO_BYTES),
        (PROOF_NAME, PROOF_BYTES),
        (CERTIFICATE_PDF, PDF_BYTES),
        (JOB_RESULT, XLSX_BYTES),
    )
    for name, content in stored:
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


# --- The table and its runner -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    url: Callable[[World], str]
    method: str
    allowed: dict[str, int]  # role → status; every other signed-in role gets `others`
    data: Callable[[World], dict] = lambda w: {}
    # (text, roles that may read it): a 200 answer to anyone else must not contain the text.
    secrets: tuple[tuple[str, frozenset[str]], ...] = ()
    # (text, roles): the page shows it to them (so that the secrets' checks look at a page that has it).
    shows: tuple[tuple[str, frozenset[str]], ...] = ()
    # What a permitted POST changes; checked to be changed for `effect_roles` (default: `allowed`) only.
    effect: Callable[[World], bool] | None = None
    effect_roles: frozenset[str] | None = None
    others: int = 404
    # None: an anonymous visitor is sent to the login page; a number: the status a public page answers.
    anonymous: int | None = None


def ok(roles, status=200) -> dict[str, int]:
    return {role: status for role in roles}


def url(name, *args, query="") -> Callable[[World], str]:
    def build(w: World) -> str:
        return reverse(name, args=[arg(w) if callable(arg) else arg for arg in args]) + query

    return build


def url_q(name, query: Callable[[World], str]) -> Callable[[World], str]:
    return lambda w: reverse(name) + query(w)


def params(cases: list[Case]):
    for case in cases:
        for role in ROLES:
            yield pytest.param(case, role, id=f"{case.name}-{role}")


def run_case(client, world: World, case: Case, role: str) -> None:
    """Ask the case's address as the role; check the status, what the page shows and what the POST changed."""
    if role != "anonymous":
        sign_in(client, world, role)
    address = case.url(world)
    response = getattr(client, case.method)(address, case.data(world)) if case.method == "post" else client.get(address)

    as_role = ALIASES.get(role, role)
    if role == "anonymous" and case.anonymous is None:
        assert response.status_code == 302, f"anonymous on {address}: {response.status_code}"
        assert response.url.startswith(reverse("login"))
    elif role == "anonymous":
        assert response.status_code == case.anonymous, f"anonymous on {address}: {response.status_code}"
    else:
        expected = case.allowed.get(as_role, case.others)
        assert response.status_code == expected, f"{role} on {address}: {response.status_code}, expected {expected}"
    if response.status_code in (200, 400, 403) and not response.streaming:
        body = response.content.decode(errors="replace")
        for text, readers in case.secrets:
            if as_role not in readers:
                assert text not in body, f"{role} reads «{text}» on {address}"
        for text, readers in case.shows:
            if as_role in readers:
                assert text in body, f"{role} should read «{text}» on {address}"
    if case.effect is not None:
        allowed = case.effect_roles if case.effect_roles is not None else set(case.allowed)
        assert case.effect(world) is (as_role in allowed), f"{role} on {address}: effect {case.effect.__name__}"
