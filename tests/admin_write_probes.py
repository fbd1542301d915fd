"""What the admin's write matrices share (tests/test_permissions_matrix_admin_writes*.py): a row of municipality A
for every registered model, the form data an A coordinator would post, and a fingerprint of the database.

The world is tests/permissions_world.py's; `rows_of_a` adds, inside the same module-wide transaction, a row of A
for each registered model the world does not hold. A model registered later without an entry in `A_ROWS` (or,
for a dictionary shared by every municipality, in `SHARED`) fails tests/test_permissions_matrix_admin_writes.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.forms import CheckboxInput, ClearableFileInput, FileInput, ModelChoiceField, ModelMultipleChoiceField
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, RouteItem, SubmissionExtension, SubmissionExtensionRequest, VideoAssignment
from core.models import BackgroundJob, JobRun, Notification, OutgoingEmail
from experts.models import (
    CompetenceTest,
    EntryInterview,
    ExpertAssignment,
    GroupMember,
    IndividualRequest,
    MentoringMeeting,
    MentoringPair,
    SeasonExpertRole,
)
from participants.models import (
    CompetenceDiagnostic,
    FeedbackQuestion,
    ManagementTeamMember,
    ManagementTeamProgramme,
    Person,
    PersonalDataRequest,
    ProfessionalDevelopment,
    SchoolApplication,
    StaffHeadcount,
    StaffRosterEntry,
    SubscriptionForm,
    User,
)
from participants.roles import COORDINATORS
from programs.models import MunicipalEvent, OrganisationYearFacts, RoadmapModule, Subject
from projects.models import (
    AssessmentResult,
    CompetenceTheme,
    LabSurvey,
    LearnerRequest,
    MentoringFormsReport,
    MentorOffer,
    SchoolPair,
)
from projects.models.reserve import ReserveMember
from projects.models.school_pairs import Assessment
from ratings.models import Achievement, ReviewAssignment, Rubric
from reports.models import KpiBaseline, KpiSnapshot, KpiTarget
from tests import permissions_world
from tests.factories import OrganisationFactory
from tests.permissions_world import A_CURATOR, A_METHODIST, A_TUTOR, World
from tests.projects.communities_fixtures import community_rows_of

# Models whose rows belong to no municipality: every coordinator keeps the one list (not an outsider's write).
SHARED = {
    "programs.Subject": "the school subjects are one dictionary of the whole portal",
}


def _season(w: World):
    return w.season_a


def _school(w: World):
    return w.other["school"]


# label → a row of municipality A (or, for the job log and the staff groups, a row no coordinator may touch).
A_ROWS: dict[str, Callable[[World], models.Model]] = {
    "auth.Group": lambda w: Group.objects.get(name=COORDINATORS),
    "programs.Municipality": lambda w: w.season_a.program.municipality,
    "programs.Organisation": _school,
    "programs.OrganisationYearFacts": lambda w: w.other["facts"],
    "programs.MunicipalEvent": lambda w: w.other["event"],
    "programs.Program": lambda w: w.season_a.program,
    "programs.Season": _season,
    "programs.RoadmapModule": lambda w: w.other["module"],
    "participants.User": lambda w: w.users["teacher"],
    "participants.Person": lambda w: w.enrollment.person,
    "participants.Enrollment": lambda w: w.enrollment,
    "participants.SchoolApplication": lambda w: w.other["application"],
    "participants.FeedbackQuestion": lambda w: w.other["question"],
    "participants.PersonalDataRequest": lambda w: w.other["personal_data_request"],
    "participants.ProfessionalDevelopment": lambda w: w.other["development"],
    "participants.CompetenceDiagnostic": lambda w: w.other["diagnostic"],
    "participants.ManagementTeamMember": lambda w: w.other["team_member"],
    "participants.ManagementTeamProgramme": lambda w: w.other["team_programme"],
    "participants.StaffRosterEntry": lambda w: w.other["roster_entry"],
    "participants.StaffHeadcount": lambda w: w.other["headcount"],
    "core.JobRun": lambda w: w.other["job_run"],
    "core.BackgroundJob": lambda w: w.other["job"],
    "core.Notification": lambda w: w.other["notification"],
    "core.OutgoingEmail": lambda w: w.other["outgoing_email"],
    "axes.AccessAttempt": lambda w: w.other["access_attempt"],
    "axes.AccessFailureLog": lambda w: w.other["access_failure"],
    "axes.AccessLog": lambda w: w.other["access_log"],
    "experts.SeasonExpertRole": lambda w: w.other["season_role"],
    "experts.ExpertAssignment": lambda w: ExpertAssignment.objects.get(person__user=w.users[A_CURATOR]),
    "experts.IndividualRequest": lambda w: w.other["subscription_request"],
    "experts.ExpertGroup": lambda w: w.group,
    "experts.GroupMember": lambda w: GroupMember.objects.get(group=w.group, enrollment=w.enrollment),
    "experts.CompetenceTest": lambda w: w.other["competence_test"],
    "experts.EntryInterview": lambda w: EntryInterview.objects.get(enrollment=w.enrollment),
    "experts.Consultation": lambda w: w.open_consultation,
    "experts.MentoringPair": lambda w: MentoringPair.objects.get(mentee=w.enrollment),
    "experts.MentoringMeeting": lambda w: w.other["mentoring_meeting"],
    "projects.ReserveMember": lambda w: w.other["reserve_member"],
    "activities.Activity": lambda w: w.session.activity,
    "activities.Session": lambda w: w.session,
    "activities.Attendance": lambda w: w.other["attendance"],
    "activities.VideoAssignment": lambda w: w.submission.assignment,
    "activities.SubmissionExtension": lambda w: w.other["extension"],
    "activities.SubmissionExtensionRequest": lambda w: w.other["extension_request"],
    "activities.Submission": lambda w: w.submission,
    "activities.Certificate": lambda w: w.other["certificate"],
    "activities.ExclusionCase": lambda w: w.other["exclusion_case"],
    "activities.RouteItem": lambda w: w.other["subscription_route_item"],
    "ratings.Rubric": lambda w: Rubric.objects.get(program=w.season_a.program),
    "ratings.Review": lambda w: w.other["review"],
    "ratings.ReviewAssignment": lambda w: ReviewAssignment.objects.filter(submission=w.submission).first(),
    "ratings.Achievement": lambda w: w.other["achievement_by_url"],
    "projects.SchoolPair": lambda w: w.other["admin_school_pair"],
    "projects.AssessmentResult": lambda w: w.other["assessment_result"],
    "reports.KpiTarget": lambda w: w.other["kpi_target"],
    "reports.KpiBaseline": lambda w: w.other["kpi_baseline"],
    "reports.KpiSnapshot": lambda w: w.other["kpi_snapshot"],
    "projects.Community": lambda w: w.other["communities"]["community"],
    "projects.Practice": lambda w: w.other["communities"]["practice"],
    "projects.PracticeRating": lambda w: w.other["communities"]["practice_rating"],
    "projects.CascadeTraining": lambda w: w.other["communities"]["cascade_training"],
    "projects.AcceleratorSupport": lambda w: w.other["communities"]["accelerator_support"],
    "projects.MotivationScale": lambda w: w.other["communities"]["motivation_scale"],
    "projects.CompetenceTheme": lambda w: w.other["lab_theme"],
    "projects.MentorOffer": lambda w: w.other["lab_offer"],
    "projects.LearnerRequest": lambda w: w.other["lab_request"],
    "projects.LabSurvey": lambda w: w.other["lab_survey"],
    "projects.Project": lambda w: w.other["office_project"],
    "projects.MentoringFormsReport": lambda w: w.other["mentoring_forms_report"],
}


def registered() -> list[tuple[str, admin.ModelAdmin]]:
    return sorted((model._meta.label, model_admin) for model, model_admin in admin.site._registry.items())


def admin_of(label: str) -> admin.ModelAdmin:
    return admin.site._registry[apps.get_model(label)]


def base_actions(label: str) -> list[str]:
    """Every action of the model's admin, the site-wide delete_selected included, before any permission filter."""
    return [name for _func, name, _desc in admin_of(label)._get_base_actions()]


def url_name(label: str, view: str) -> str:
    opts = apps.get_model(label)._meta
    return f"admin:{opts.app_label}_{opts.model_name}_{view}"


# --- The rows the world lacks ---------------------------------------------------------------------------------


def add_rows_of_a(w: World) -> None:  # noqa: PLR0915 — one row per model, in one place
    now = timezone.now()
    season, school, person = w.season_a, w.other["school"], w.enrollment.person
    town = season.program.municipality
    teacher_email = w.users["teacher"].email
    # Accounts and people the add probes copy belong to A by themselves: the control removes the row it copies
    # (the person, the expert assignment), which would otherwise take their only link to A with it.
    User.objects.filter(pk__in=[person.user_id, w.users[A_CURATOR].pk]).update(municipality=town)
    Person.objects.filter(user=w.users[A_CURATOR]).update(organisation=school)
    w.other["facts"] = OrganisationYearFacts.objects.create(organisation=school, year=now.year)
    w.other["event"] = MunicipalEvent.objects.create(
        municipality=town, title="Событие-маркер", held_on=now.date() - timedelta(days=3)
    )
    w.other["module"] = RoadmapModule.objects.create(
        season=season,
        order=7,
        title="Модуль-маркер",
        starts_on=season.starts_on,
        ends_on=season.starts_on + timedelta(days=20),
    )
    subscription = w.other["subscription"]
    w.other["application"] = SchoolApplication.objects.create(
        season=subscription, organisation=school, applicant=person, grounds=[SchoolApplication.Ground.VPR]
    )
    w.other["question"] = FeedbackQuestion.objects.create(season=season, text="Вопрос-маркер")
    w.other["personal_data_request"] = PersonalDataRequest.objects.create(
        person=person, person_ref=str(person.pk), kind=PersonalDataRequest.Kind.ERASURE
    )
    w.other["development"] = ProfessionalDevelopment.objects.create(
        person=person, course_title="Курс-маркер", provider="ИРО", hours=36, ends_on=now.date() - timedelta(days=30)
    )
    w.other["diagnostic"] = CompetenceDiagnostic.objects.create(
        person=person, taken_on=now.date() - timedelta(days=20), platform="Платформа"
    )
    w.other["team_member"] = ManagementTeamMember.objects.create(organisation=school, person=person, role="Зам")
    w.other["team_programme"] = ManagementTeamProgramme.objects.create(
        organisation=school, title="Программа-маркер", ends_on=now.date() - timedelta(days=25)
    )
    w.other["team_programme"].members.add(w.other["team_member"])
    w.other["roster_entry"] = StaffRosterEntry.objects.create(
        organisation=school,
        year=now.year,
        last_name="Работница-маркер",
        first_name="Анна",
        position="Учитель",
        is_teacher=True,
        person=person,
    )
    w.other["headcount"] = StaffHeadcount.objects.create(
        organisation=school,
        year=now.year - 1,
        pedagogical_total=10,
        teachers=8,
        higher_education=9,
        teachers_under_5_years=2,
    )
    # A pair whose partner is marked as a school of low results, so that A's own add form of a copy is valid.
    w.other["admin_school_pair"] = SchoolPair.objects.create(
        season=season,
        leader=w.other["other_school"],
        partner=OrganisationFactory(
            municipality=town, short_name="Школа ШНОР-маркер", name="Школа ШНОР-маркер", low_results=True
        ),
        starts_on=season.starts_on,
    )
    w.other["assessment_result"] = AssessmentResult.objects.create(
        organisation=school,
        year=now.year - 1,
        assessment=Assessment.VPR,
        subject=Subject.objects.get_or_create(name="Математика")[0],
        grade=5,
        participants=40,
        average=Decimal("3.40"),
        low_share=Decimal("12.50"),
    )
    w.other["mentoring_forms_report"] = MentoringFormsReport.objects.create(
        season=w.other["trajectory_season"], organisation=school, year=now.year - 1, half=2, teacher_pupil=3
    )
    w.other["job_run"] = JobRun.objects.create(job="matrix_probe")
    w.other["notification"] = Notification.objects.create(user=w.users["teacher"], title="Уведомление-маркер")
    w.other["outgoing_email"] = OutgoingEmail.objects.create(
        recipient=teacher_email, template="registration_confirm", status=OutgoingEmail.Status.FAILED
    )
    w.other["access_attempt"] = AccessAttempt.objects.create(
        username=teacher_email,
        ip_address="10.0.0.1",
        user_agent="probe",
        http_accept="*/*",
        path_info="/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )
    w.other["access_failure"] = AccessFailureLog.objects.create(
        username=teacher_email, ip_address="10.0.0.1", user_agent="probe", http_accept="*/*", path_info="/login/"
    )
    w.other["access_log"] = AccessLog.objects.create(
        username=teacher_email, ip_address="10.0.0.1", user_agent="probe", http_accept="*/*", path_info="/login/"
    )
    w.other["season_role"] = SeasonExpertRole.objects.create(season=season, role="psychologist")
    w.other["competence_test"] = CompetenceTest.objects.create(
        enrollment=w.enrollment, platform="Платформа", taken_on=now.date() - timedelta(days=15)
    )
    assignment = VideoAssignment.objects.filter(activity__season=season).first()
    w.other["extension"] = SubmissionExtension.objects.create(
        assignment=assignment,
        enrollment=w.enrollment,
        until=assignment.cutoff_at + timedelta(days=5),
        reason="Болезнь",
    )
    w.other["extension_request"] = SubmissionExtensionRequest.objects.create(
        assignment=assignment, enrollment=w.enrollment, message="Присоединилась после срока"
    )
    w.other["kpi_target"] = KpiTarget.objects.create(
        code="probe", title="Цель-маркер", municipality=town, year=now.year, value=Decimal("50")
    )
    w.other["kpi_baseline"] = KpiBaseline.objects.create(
        code="methodical-associations", municipality=town, year=2020, value=Decimal("7"), source="Отчёт-маркер"
    )
    w.other["kpi_snapshot"] = KpiSnapshot.objects.create(taken_on=now.date(), season=season, municipality=town)
    # The tutors' requests and the route are the methodical subscription's: A's teacher is enrolled there too.
    subscribed = w.other["subscription_enrollment"]
    w.other["subscription_request"] = IndividualRequest.objects.create(
        enrollment=subscribed,
        deficit="Дефицит-маркер",
        topic="Запрос-маркер",
        preferred_form=SubscriptionForm.values[0],
    )
    w.other["subscription_route_item"] = RouteItem.objects.create(enrollment=subscribed, order=1, title="Пункт-маркер")
    # A proof by link: the add form's copy of it needs no file.
    w.other["achievement_by_url"] = Achievement.objects.create(
        enrollment=w.enrollment,
        title="Достижение по ссылке",
        kind=Achievement.Kind.CONTEST,
        level=Achievement.Level.MUNICIPAL,
        happened_on=now.date() - timedelta(days=12),
        proof_url="https://example.org/proof",
    )
    w.other["mentoring_meeting"] = MentoringMeeting.objects.create(
        pair=MentoringPair.objects.get(mentee=w.enrollment),
        held_on=now.date() - timedelta(days=1),
        topic="Встреча-маркер",
    )
    w.other["communities"] = community_rows_of(season, w.enrollment)
    # The lab of professional competences (seed 001): a theme of A with a mentor's offer, a request, a survey.
    w.other["lab_theme"] = CompetenceTheme.objects.create(municipality=town, title="Тема-маркер лаборатории")
    w.other["lab_offer"] = MentorOffer.objects.create(
        person=person, theme=w.other["lab_theme"], organisation=school, format="consultation", capacity=1
    )
    w.other["lab_request"] = LearnerRequest.objects.create(
        person=w.users[A_CURATOR].person, theme=w.other["lab_theme"], organisation=school
    )
    w.other["lab_survey"] = LabSurvey.objects.create(municipality=town, year=now.year, opened_at=now)
    w.other["reserve_member"] = ReserveMember.objects.create(
        municipality=town,
        person=person,
        organisation=school,
        source="contest",
        listed_on=now.date() - timedelta(days=30),
        status_changed_on=now.date() - timedelta(days=30),
    )
    # Ensure the activity of season A exists for the activities admin (the world's session belongs to one).
    assert Activity.objects.filter(season=season).exists()
    assert BackgroundJob.objects.filter(pk=w.other["job"].pk).exists()


# --- What a coordinator of A would post ------------------------------------------------------------------------


def _widget(field):
    widget = field.widget
    while hasattr(widget, "widget") and not hasattr(widget, "widgets"):  # RelatedFieldWidgetWrapper
        widget = widget.widget
    return widget


_FORM_DATA: dict[tuple[str, int, int, bool], tuple[dict[str, list[str]], bool]] = {}


def form_data(label: str, obj, user, *, change: bool = False) -> tuple[dict[str, list[str]], bool]:
    """`_form_data`, once per module's world (its rows do not change between the cases)."""
    key = (label, obj.pk, user.pk, change)
    if key not in _FORM_DATA:
        _FORM_DATA[key] = _form_data(label, obj, user, change)
    data, has_relation = _FORM_DATA[key]
    return {name: list(values) for name, values in data.items()}, has_relation


def _form_data(label: str, obj, user, change: bool) -> tuple[dict[str, list[str]], bool]:
    """The admin's add form (or the row's change form) filled with the row's own values, as a browser would post
    it (inline formsets empty), and whether the form has a relation field (so that the row's ids are posted)."""
    model_admin = admin_of(label)
    request = RequestFactory().get("/")
    request.user = user
    form_class = model_admin.get_form(request, obj if change else None)
    form = form_class(instance=obj)
    data: dict[str, list[str]] = {}
    has_relation = False
    for bound in form:
        field = bound.field
        if field.disabled:
            continue
        widget = _widget(field)
        value = bound.value()
        if isinstance(field, ModelChoiceField | ModelMultipleChoiceField) and value not in (None, "", []):
            has_relation = True
        if isinstance(widget, ClearableFileInput | FileInput):
            continue
        if isinstance(widget, CheckboxInput):
            if value:
                data[bound.html_name] = ["on"]
            continue
        context = widget.get_context(bound.html_name, value, {})["widget"]
        for sub in context.get("subwidgets") or [context]:
            sub_value = sub.get("value")
            if sub_value is None:
                continue
            data[sub["name"]] = [str(v) for v in sub_value] if isinstance(sub_value, list) else [str(sub_value)]
    prefixes: dict[str, int] = {}
    for formset, _inline in model_admin.get_formsets_with_inlines(request, obj if change else None):
        prefix = formset.get_default_prefix()
        prefixes[prefix] = prefixes.get(prefix, 0) + 1
        if prefixes[prefix] != 1 or not prefix:
            prefix = f"{prefix}-{prefixes[prefix]}"
        data.update({f"{prefix}-TOTAL_FORMS": ["0"], f"{prefix}-INITIAL_FORMS": ["0"]})
        data.update({f"{prefix}-MIN_NUM_FORMS": ["0"], f"{prefix}-MAX_NUM_FORMS": ["1000"]})
    return data, has_relation


def action_data(w: World, action: str, pks: list[int]) -> dict:
    """A bulk action as its confirmation page re-posts it, with what its forms ask filled with A's rows."""
    return {
        "action": action,
        "_selected_action": [str(pk) for pk in pks],
        "index": "0",
        "post": "yes",  # delete_selected's confirmation
        "apply": "1",  # every intermediate form of the portal's actions
        "reason": "Проба записи",
        "comment": "Проба записи",
        "tutor": str(ExpertAssignment.objects.get(person__user=w.users[A_TUTOR]).pk),
        "expert": str(ExpertAssignment.objects.get(person__user=w.users[A_METHODIST]).pk),
        "group": str(w.group.pk),
        "status": "done",
    }


# --- The database's fingerprint --------------------------------------------------------------------------------

# Written by signing in and by the request itself, whoever asks: not what a probe may or may not change.
_NOT_STATE = {"django_session"}


def _tables() -> list[tuple[str, str]]:
    seen, tables = set(), []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.proxy or not model._meta.managed or table in seen or table in _NOT_STATE:
            continue
        seen.add(table)
        tables.append((table, model._meta.pk.column))
    return sorted(tables)


def fingerprint() -> dict[str, str]:
    """Every table's rows, hashed: a probe that changes, adds or removes anything anywhere shows here."""
    result = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY {connection.ops.quote_name(pk)}")
            result[table] = hashlib.sha1(repr(cursor.fetchall()).encode(), usedforsecurity=False).hexdigest()
    return result


def changed_tables(before: dict[str, str]) -> list[str]:
    after = fingerprint()
    return sorted(table for table in after if after[table] != before.get(table))


class _Undo(Exception):
    pass


@contextmanager
def savepoint():
    """Whatever runs inside is undone at the end (the case's own savepoint, nested in the test's)."""
    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


def admin_log_count() -> int:
    return LogEntry.objects.count()


@pytest.fixture(scope="module")
def rows_of_a(world, django_db_blocker):
    """The world with a row of A for every registered model (inside the world's module-wide transaction)."""
    with django_db_blocker.unblock():
        add_rows_of_a(world)
        # Signed in again over the added rows: the session's menu is what a sign-in now would compute.
        permissions_world.sign_in_every_role(world)
    yield world
    _FORM_DATA.clear()  # the next module's world has other ids


def missing_redirect(client, label: str, view: str) -> tuple[int, str | None]:
    """What the admin answers this user for an id that does not exist (its "no such object" redirect)."""
    response = client.post(reverse(url_name(label, view), args=[999_999_999]), {"post": "yes"})
    return response.status_code, response.get("Location")
