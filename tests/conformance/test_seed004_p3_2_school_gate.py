"""Seed 004 (приказ № 18 от 10.02.2021, «Методический абонемент»), Положение, раздел III, п. 2 «Алгоритм
деятельности»: «на уровне муниципалитета: … согласование письменного обращения общеобразовательной организации
о включении в программу педагогического коллектива в проект «Методический абонемент»; формирование банка
запросов от тьюторантов»; «на уровне общеобразовательной организации: официальный запрос в МКУ … о включении
в проект». A teacher joins — and files a request into the bank — only from a school whose request was approved
for the season; a coordinator of the season may admit a teacher without it, with a written reason, recorded."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from experts.models import IndividualRequest
from experts.services import individual_request_submit
from participants.journal import enrollment_journal
from participants.models import Enrollment, SchoolApplication, SubscriptionForm, User
from participants.services import (
    ImportRejected,
    ImportRow,
    RegistrationData,
    enrollment_apply,
    enrollment_approve,
    enrollment_school_gate_override,
    enrollments_set_status,
    registration_submit,
    registrations_import,
)
from programs.models import Program
from tests.factories import (
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Enrollment.Status
SA = SchoolApplication.Status
REFUSAL = (
    "Ваша школа ещё не подала заявку на участие в «Методическом абонементе» или заявка не одобрена "
    "(Положение, раздел III, п. 2). Обратитесь к координатору."
)
# The school's application: none, under consideration, rejected — each refuses; approved admits.
NOT_ADMITTED = [None, SA.APPLIED, SA.REJECTED]


def _season(**kwargs):
    return SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION), **kwargs)


def _school(season, application: str | None):
    school = OrganisationFactory(municipality=season.program.municipality)
    if application is not None:
        director = PersonFactory(organisation=school, is_manager=True, position="Директор")
        SchoolApplication.objects.create(
            season=season,
            organisation=school,
            applicant=director,
            grounds=[SchoolApplication.Ground.OWN_REQUEST],
            status=application,
        )
    return school


def _coordinator(municipality):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["participants", "programs", "experts", "activities"])
    )
    return user


def _registration(school, email="teacher@school.ru"):
    return RegistrationData(
        email=email,
        password="Vernyi-Parol-2026",
        last_name="Петрова",
        first_name="Анна",
        middle_name="Сергеевна",
        birth_date=date(1990, 4, 12),
        phone="",
        organisation=school,
        position="Учитель математики",
        education_level="higher",
        consent_personal_data=True,
    )


# The admin's add form posts its inline of status changes too (empty).
INLINE = {"status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0"}


def _import_row(school, n=2):
    return ImportRow(
        row_number=n,
        email=f"row{n}@school.ru",
        last_name=f"Фамилия{n}",
        first_name="Имя",
        middle_name="",
        organisation=school,
        consent_at=datetime.fromisoformat("2021-02-20T09:00:00+00:00"),
        birth_date=date(1980, 1, n),
    )


def _file_request(enrollment):
    return individual_request_submit(
        enrollment=enrollment,
        deficit="Не умею строить урок по ФГОС",
        topic="Современный урок",
        preferred_form=SubscriptionForm.PRACTICUM,
    )


# --- refused on every path while the school is not admitted ---------------------------------------------


@pytest.mark.parametrize("application", NOT_ADMITTED, ids=["no-application", "pending", "rejected"])
def test_p3_2_registration_refused_without_approved_school_application(application):
    season = _season()
    with pytest.raises(ValidationError) as exc:
        registration_submit(season=season, data=_registration(_school(season, application)))
    assert exc.value.message_dict == {"organisation": [REFUSAL]}
    assert not Enrollment.objects.exists() and not User.objects.filter(email="teacher@school.ru").exists()


@pytest.mark.parametrize("application", NOT_ADMITTED, ids=["no-application", "pending", "rejected"])
def test_p3_2_apply_from_account_refused_without_approved_school_application(application):
    season = _season()
    teacher = PersonFactory(organisation=_school(season, application))
    with pytest.raises(ValidationError) as exc:
        enrollment_apply(person=teacher, season=season, consent_given=True)
    assert exc.value.messages == [REFUSAL]
    assert not Enrollment.objects.filter(person=teacher).exists()


@pytest.mark.parametrize("application", NOT_ADMITTED, ids=["no-application", "pending", "rejected"])
def test_p3_2_admin_approval_refused_without_approved_school_application(application):
    season = _season()
    enrollment = EnrollmentFactory(
        season=season, status=S.APPLIED, person=PersonFactory(organisation=_school(season, application))
    )
    coordinator = _coordinator(season.program.municipality)
    with pytest.raises(ValidationError) as exc:
        enrollment_approve(enrollment=enrollment, actor=coordinator)
    assert exc.value.messages == [REFUSAL]
    changed, skipped = enrollments_set_status(enrollments=[enrollment], to_status=S.ACTIVE, actor=coordinator)
    assert changed == 0 and [why for _e, why in skipped] == [REFUSAL]
    enrollment.refresh_from_db()
    assert enrollment.status == S.APPLIED


def test_p3_2_bulk_approval_reads_the_schools_once_whatever_the_number_of_teachers():
    """The approval action over a season's applications: one query for the approved schools, not one a teacher;
    an admitted and a refused school in the same batch each get their verdict."""
    season = _season()
    admitted, refused = _school(season, SA.APPROVED), _school(season, SA.APPLIED)
    coordinator = _coordinator(season.program.municipality)

    def approve(n: int) -> tuple[int, int, int]:
        batch = [
            EnrollmentFactory(season=season, status=S.APPLIED, person=PersonFactory(organisation=school))
            for school in [admitted] * n + [refused]
        ]
        with CaptureQueriesContext(connection) as queries:
            changed, skipped = enrollments_set_status(enrollments=batch, to_status=S.ACTIVE, actor=coordinator)
        assert [why for _e, why in skipped] == [REFUSAL]
        return changed, len(skipped), len(queries)

    one, three = approve(1), approve(3)
    assert (one[:2], three[:2]) == ((1, 1), (3, 1))
    assert one[2] == three[2], f"{one[2]} queries for 1 teacher, {three[2]} for 3"


@pytest.mark.parametrize("application", NOT_ADMITTED, ids=["no-application", "pending", "rejected"])
def test_p3_2_import_refused_without_approved_school_application(application):
    season = _season()
    admitted = _school(season, SA.APPROVED)
    refused = _school(season, application)
    with pytest.raises(ImportRejected) as exc:
        registrations_import(
            season=season, rows=[_import_row(admitted, 2), _import_row(refused, 3)], actor=UserFactory()
        )
    assert [(p.row_number, p.column, p.message) for p in exc.value.problems] == [(3, "organisation", REFUSAL)]
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("application", NOT_ADMITTED, ids=["no-application", "pending", "rejected"])
def test_p3_2_request_into_the_bank_refused_without_approved_school_application(application):
    """The case of the report: a teacher of a school with no application enrolled and filed into the bank."""
    season = _season()
    enrollment = EnrollmentFactory(
        season=season, status=S.APPLIED, person=PersonFactory(organisation=_school(season, application))
    )
    with pytest.raises(ValidationError) as exc:
        _file_request(enrollment)
    assert exc.value.messages == [REFUSAL]
    assert not IndividualRequest.objects.exists()


def test_p3_2_request_page_shows_the_refusal(client):
    season = _season()
    enrollment = EnrollmentFactory(season=season, person=PersonFactory(organisation=_school(season, None)))
    client.force_login(enrollment.person.user)
    url = reverse("individual_request_create", args=[enrollment.pk])
    response = client.post(url, {"deficit": "x", "topic": "y", "preferred_form": SubscriptionForm.PRACTICUM})
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not IndividualRequest.objects.exists()


def test_p3_2_admin_add_form_refuses_a_hand_made_enrollment(client):
    season = _season()
    teacher = PersonFactory(organisation=_school(season, None))
    client.force_login(_coordinator(season.program.municipality))
    response = client.post(
        reverse("admin:participants_enrollment_add"),
        {"person": teacher.pk, "season": season.pk, "applied_at_0": "20.02.2021", "applied_at_1": "10:00:00", **INLINE},
    )
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Enrollment.objects.exists()


# --- approved school: every path admits ----------------------------------------------------------------


def test_p3_2_approved_school_admits_on_every_path():
    season = _season()
    school = _school(season, SA.APPROVED)
    registered = registration_submit(season=season, data=_registration(school))
    assert registered.status == S.APPLIED
    applied = enrollment_apply(person=PersonFactory(organisation=school), season=season, consent_given=True)
    approved = enrollment_approve(enrollment=applied, actor=_coordinator(season.program.municipality))
    assert approved.status == S.ACTIVE
    imported = registrations_import(season=season, rows=[_import_row(school)], actor=UserFactory())
    assert len(imported) == 1
    assert _file_request(approved).status == IndividualRequest.Status.NEW


def test_p3_2_other_programs_are_not_gated():
    season = SeasonFactory(program=ProgramFactory(kind=Program.Kind.PROJECT))
    enrollment = registration_submit(season=season, data=_registration(OrganisationFactory()))
    assert enrollment.status == S.APPLIED


# --- the coordinator's override ------------------------------------------------------------------------


def test_p3_2_override_with_reason_admits_and_is_recorded():
    season = _season()
    enrollment = EnrollmentFactory(
        season=season, status=S.APPLIED, person=PersonFactory(organisation=_school(season, SA.APPLIED))
    )
    coordinator = _coordinator(season.program.municipality)
    at = timezone.now() - timedelta(minutes=5)
    reason = "Школа подала обращение на бумаге 15.02.2021, согласование в работе"
    enrollment_school_gate_override(enrollment=enrollment, actor=coordinator, reason=f"  {reason} ", now=at)
    enrollment.refresh_from_db()
    assert (
        enrollment.school_gate_override_reason,
        enrollment.school_gate_override_at,
        enrollment.school_gate_override_by,
    ) == (reason, at, coordinator)
    assert enrollment_approve(enrollment=enrollment, actor=coordinator).status == S.ACTIVE
    assert _file_request(enrollment).status == IndividualRequest.Status.NEW
    _page, entries = enrollment_journal(enrollment=enrollment)
    override = [e for e in entries if any(c.new == reason for c in e.changes)]
    assert len(override) == 1
    assert override[0].who == coordinator.get_full_name()
    assert override[0].reason == "Допуск без одобренной заявки школы (Положение, раздел III, п. 2)"


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_p3_2_override_without_reason_refused(reason):
    season = _season()
    enrollment = EnrollmentFactory(season=season, status=S.APPLIED, person=PersonFactory(organisation=None))
    with pytest.raises(ValidationError) as exc:
        enrollment_school_gate_override(
            enrollment=enrollment, actor=_coordinator(season.program.municipality), reason=reason
        )
    assert "reason" in exc.value.message_dict
    enrollment.refresh_from_db()
    assert enrollment.school_gate_override_at is None
    with pytest.raises(ValidationError):
        enrollment_approve(enrollment=enrollment, actor=_coordinator(season.program.municipality))


@pytest.mark.parametrize("who", ["other-municipality", "management", "teacher"])
def test_p3_2_only_the_seasons_coordinator_may_override(who):
    season = _season()
    enrollment = EnrollmentFactory(
        season=season, status=S.APPLIED, person=PersonFactory(organisation=_school(season, None))
    )
    actor = {
        "other-municipality": lambda: _coordinator(MunicipalityFactory()),
        "management": lambda: UserFactory(
            is_staff=True, role=User.Role.MANAGEMENT, municipality=season.program.municipality
        ),
        "teacher": lambda: enrollment.person.user,
    }[who]()
    with pytest.raises(ValidationError) as exc:
        enrollment_school_gate_override(enrollment=enrollment, actor=actor, reason="Решение управления образования")
    assert exc.value.code == "not_season_coordinator" or "not_season_coordinator" in str(exc.value.error_list)
    enrollment.refresh_from_db()
    assert enrollment.school_gate_override_at is None


def test_p3_2_admin_action_admits_with_reason_and_shows_it(client):
    season = _season()
    enrollment = EnrollmentFactory(
        season=season, status=S.APPLIED, person=PersonFactory(organisation=_school(season, None))
    )
    coordinator = _coordinator(season.program.municipality)
    client.force_login(coordinator)
    changelist = reverse("admin:participants_enrollment_changelist")
    form = client.post(
        changelist, {"action": "approve_without_school_application", "_selected_action": [enrollment.pk]}
    )
    assert form.status_code == 200 and "Положение, раздел III, п. 2" in form.content.decode()
    empty = client.post(
        changelist,
        {"action": "approve_without_school_application", "_selected_action": [enrollment.pk], "apply": "1"},
    )
    assert empty.status_code == 200
    enrollment.refresh_from_db()
    assert enrollment.status == S.APPLIED and enrollment.school_gate_override_at is None
    done = client.post(
        changelist,
        {
            "action": "approve_without_school_application",
            "_selected_action": [enrollment.pk],
            "apply": "1",
            "reason": "Решение рабочей группы от 18.02.2021",
        },
    )
    assert done.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == S.ACTIVE
    assert enrollment.school_gate_override_by == coordinator
    change = client.get(reverse("admin:participants_enrollment_change", args=[enrollment.pk]))
    assert "Решение рабочей группы от 18.02.2021" in change.content.decode()
    journal = client.get(reverse("admin:participants_enrollment_journal", args=[enrollment.pk]))
    assert "Решение рабочей группы от 18.02.2021" in journal.content.decode()


def test_p3_2_admin_add_form_with_reason_admits_and_records(client):
    season = _season()
    teacher = PersonFactory(organisation=_school(season, SA.APPLIED))
    coordinator = _coordinator(season.program.municipality)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:participants_enrollment_add"),
        {
            "person": teacher.pk,
            "season": season.pk,
            "applied_at_0": "20.02.2021",
            "applied_at_1": "10:00:00",
            "school_gate_reason": "Обращение школы согласовано устно, письмо в пути",
            **INLINE,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    enrollment = Enrollment.objects.get(person=teacher)
    assert enrollment.school_gate_override_reason == "Обращение школы согласовано устно, письмо в пути"
    assert enrollment.school_gate_override_by == coordinator


# --- an approved school opens the way for its teachers while the season runs ---------------------------


def _running_season_after_registration():
    now = timezone.now()
    return _season(registration_opens_at=now - timedelta(days=90), registration_closes_at=now - timedelta(days=30))


def test_p3_2_approved_school_teachers_join_while_the_season_runs():
    season = _running_season_after_registration()
    approved = _school(season, SA.APPROVED)
    enrollment = registration_submit(season=season, data=_registration(approved))
    assert enrollment.status == S.APPLIED
    applied = enrollment_apply(person=PersonFactory(organisation=approved), season=season, consent_given=True)
    assert applied.status == S.APPLIED


@pytest.mark.parametrize("application", NOT_ADMITTED, ids=["no-application", "pending", "rejected"])
def test_p3_2_past_the_window_other_schools_are_still_refused(application):
    season = _running_season_after_registration()
    with pytest.raises(ValidationError) as exc:
        registration_submit(season=season, data=_registration(_school(season, application)))
    assert exc.value.message_dict == {"organisation": [REFUSAL]}
    with pytest.raises(ValidationError) as exc:
        enrollment_apply(person=PersonFactory(organisation=_school(season, application)), season=season)
    assert exc.value.messages == [REFUSAL]


def test_p3_2_past_the_window_other_programs_stay_closed():
    now = timezone.now()
    season = SeasonFactory(
        program=ProgramFactory(kind=Program.Kind.PROJECT),
        registration_opens_at=now - timedelta(days=90),
        registration_closes_at=now - timedelta(days=30),
    )
    with pytest.raises(ValidationError) as exc:
        registration_submit(season=season, data=_registration(OrganisationFactory()))
    assert exc.value.code == "registration_closed"


def test_p3_2_registration_page_offers_approved_schools_while_the_season_runs(client):
    season = _running_season_after_registration()
    approved = _school(season, SA.APPROVED)
    pending = _school(season, SA.APPLIED)
    url = reverse("season_register", kwargs={"slug": season.program.slug, "season_id": season.pk})
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "чья заявка на участие одобрена координатором" in html
    assert f'value="{approved.pk}"' in html and f'value="{pending.pk}"' not in html
    assert "Регистрация на этот сезон завершена" not in html


def test_p3_2_program_kind_shows_the_rule_and_its_source_in_the_admin(client):
    season = _season()
    client.force_login(_coordinator(season.program.municipality))
    page = client.get(reverse("admin:programs_program_change", args=[season.program.pk])).content.decode()
    assert "педагоги участвуют только от школ, чья заявка на сезон одобрена" in page
    assert "Положение, раздел III, п. 2" in page
