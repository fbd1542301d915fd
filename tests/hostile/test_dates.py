"""Every date and date-time field of every portal form under hostile dates: the year 1 and 9999 (an aware
datetime there overflows when converted to UTC: a 500), years just outside 1900–2100, impossible days, the
Moscow clock changes, explicit offsets. Never a 500; a refusal says why in Russian and writes nothing; what is
saved lies within the bounds. The forms are found by walking the apps' form classes, so one added later
without a case here fails `test_every_portal_date_field_has_a_case`."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django_filters import FilterSet
from hypothesis import given

from activities.models import RouteItem
from core.dates import DATE_MAX, DATE_MIN
from experts.models import Consultation, ExpertGroup, ExpertRole, GroupMember, LessonVisit, VisitMode
from experts.services import individual_request_assign_tutor, individual_request_submit
from participants.imports import parse_date, parse_timestamp
from participants.models import Person, SubscriptionForm
from programs.models import Organisation, Program
from ratings.models import Achievement
from tests.factories import (
    AdmittedEnrollmentFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    OrganisationFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)
from tests.hostile.helpers import assert_russian, form_errors, hostile_date, rolled_back, row_counts
from tests.programs.test_dates import APPS, DATE_FIELDS, date_fields, project_form_classes

pytestmark = pytest.mark.django_db


def _in_bounds(value) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return DATE_MIN <= day <= DATE_MAX


def _answered(client, url, data, models, saved):
    """Posts a hostile date: a 200 with a Russian refusal and no write, or a redirect with one row in bounds."""
    with rolled_back():
        before = row_counts(models)
        response = client.post(url, data)
        assert response.status_code in (200, 302), data
        if response.status_code == 200:
            assert_russian(form_errors(response))
            assert row_counts(models) == before, data
        else:
            value = saved()
            assert value is None or _in_bounds(value), (data, value)


# --- lesson visit (experts.forms.LessonVisitForm.visited_on) -------------------------------------------------


@pytest.fixture
def season():
    today = timezone.localdate()
    return SeasonFactory(starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=200))


@pytest.fixture
def curator(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)


@pytest.fixture
def member(season, curator):
    group = ExpertGroup.objects.create(season=season, name="Группа 1", curator=curator)
    enrollment = EnrollmentFactory(season=season)
    GroupMember.objects.create(group=group, enrollment=enrollment)
    return enrollment


@given(value=hostile_date())
def test_lesson_visit_date(client, member, curator, value):
    client.force_login(curator.person.user)
    url = f"{reverse('expert_visit_create')}?enrollment={member.pk}"
    data = {"visited_on": value, "mode": VisitMode.RECORDING, "lesson": "Решение задач", "grade": "5 «А»"}
    _answered(client, url, data, ["experts.LessonVisit"], lambda: LessonVisit.objects.latest("pk").visited_on)


# --- consultation (experts.forms.ConsultationForm.held_at) ---------------------------------------------------


@pytest.fixture
def psychologist(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST)


@given(value=hostile_date(with_time=True))
def test_consultation_moment(client, member, psychologist, value):
    client.force_login(psychologist.person.user)
    data = {"kind": "individual", "held_at": value, "topic": "Нагрузка", "participants": [member.pk]}
    models = ["experts.Consultation"]
    _answered(client, reverse("expert_consultation_create"), data, models, lambda: Consultation.objects.get().held_at)


def test_consultation_at_the_year_1_is_refused_in_russian(client, member, psychologist):
    """The issue's probe: `held_at=0001-01-01T00:00` answered 500 (OverflowError)."""
    client.force_login(psychologist.person.user)
    for value in ("0001-01-01T00:00", "9999-12-31T23:59"):
        data = {"kind": "individual", "held_at": value, "topic": "Нагрузка", "participants": [member.pk]}
        response = client.post(reverse("expert_consultation_create"), data)
        assert response.status_code == 200
        assert response.context["form"].errors["held_at"] == ["Укажите дату между 01.01.1900 и 31.12.2100."]
        assert not Consultation.objects.exists()


@given(value=hostile_date())
def test_consultation_list_days(client, psychologist, value):
    """experts.filters.ConsultationFilterSet.held_from / held_to: whatever is typed, a list or a Russian refusal."""
    client.force_login(psychologist.person.user)
    for key in ("held_from", "held_to"):
        response = client.get(reverse("expert_consultations"), {key: value})
        assert response.status_code == 200, value
        errors = response.context["filters"].errors
        if errors:
            assert_russian(errors[key])


# --- the tutor's route step (activities.route_builder.RouteItemForm.planned_on) ----------------------------------


@pytest.fixture
def route_request():
    season = SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION))
    item = individual_request_submit(
        enrollment=AdmittedEnrollmentFactory(season=season),
        deficit="Дефицит",
        topic="Проектная деятельность",
        preferred_form=SubscriptionForm.MASTER_CLASS,
    )
    tutor = ExpertAssignmentFactory(season=season, role=ExpertRole.TUTOR, person__user=UserFactory())
    individual_request_assign_tutor(requests=[item], tutor=tutor)
    item.refresh_from_db()
    return item


@given(value=hostile_date())
def test_route_step_date(client, route_request, value):
    client.force_login(route_request.tutor.person.user)
    data = {"form": SubscriptionForm.PRACTICUM, "title": "Разбор урока", "planned_on": value, "note": ""}
    url = reverse("route_builder", args=[route_request.pk])
    _answered(client, url, data, ["activities.RouteItem"], lambda: RouteItem.objects.get().planned_on)


# --- achievement (ratings.forms_achievements.AchievementForm.happened_on) ------------------------------------


@given(value=hostile_date())
def test_achievement_date(client, value):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.person.user)
    data = {
        "enrollment": enrollment.pk,
        "title": "Вебинар",
        "kind": Achievement.Kind.WEBINAR,
        "level": Achievement.Level.FEDERAL,
        "result": "Ведущий",
        "happened_on": value,
        "proof_url": "https://webinar.example.ru/records/15",
    }
    models = ["ratings.Achievement"]
    _answered(client, reverse("achievement_create"), data, models, lambda: Achievement.objects.get().happened_on)


# --- registration (participants.forms.RegistrationForm.birth_date) -------------------------------------------


@pytest.fixture
def open_season():
    return SeasonFactory(program=ProgramFactory(slug="progressive"))


@given(value=hostile_date())
def test_registration_birth_date(client, open_season, value):
    season = open_season
    school, _ = Organisation.objects.get_or_create(
        municipality=season.program.municipality, short_name="МБОУ СОШ № 5", defaults={"name": "Школа № 5"}
    )
    data = {
        "last_name": "Петрова",
        "first_name": "Анна",
        "middle_name": "Сергеевна",
        "birth_date": value,
        "email": "petrova@school5.ru",
        "phone": "+7 900 123-45-67",
        "organisation": str(school.pk),
        "position": "Учитель математики",
        "education_level": "higher",
        "experience_years": "12",
        "category": "first",
        "password1": "Vernyi-Parol-2026",
        "password2": "Vernyi-Parol-2026",
        "consent_personal_data": "on",
    }
    url = reverse("season_register", kwargs={"slug": season.program.slug, "season_id": season.pk})
    _answered(client, url, data, ["participants.Person"], lambda: Person.objects.latest("pk").birth_date)


# --- a mentor's meeting (experts.forms.MentoringMeetingForm.held_on) -----------------------------------------


@pytest.fixture
def mentoring_pair(season):
    from experts.services import mentoring_pair_create

    mentor = ExpertAssignmentFactory(season=season, role=ExpertRole.MENTOR, person__user=UserFactory())
    return mentoring_pair_create(
        season=season,
        mentor=mentor,
        mentee=EnrollmentFactory(season=season),
        goals="",
        started_on=timezone.localdate(timezone=season.tz) - timedelta(days=40),
        by=None,
    )


@given(value=hostile_date())
def test_mentoring_meeting_date(client, mentoring_pair, value):
    from experts.models import MentoringMeeting

    client.force_login(mentoring_pair.mentor.person.user)
    data = {"held_on": value, "form": "in_person", "topic": "План на месяц", "notes": ""}
    url = reverse("expert_mentoring_meetings", args=[mentoring_pair.pk])
    models = ["experts.MentoringMeeting"]
    _answered(client, url, data, models, lambda: MentoringMeeting.objects.get().held_on)


# --- a monitoring recommendation (reports.forms_monitoring.MonitoringRecommendationForm.due_on) -----------------


@pytest.fixture
def monitoring_snapshot():
    from reports.models import KpiSnapshot

    school = OrganisationFactory()
    snapshot = KpiSnapshot.objects.create(
        kind=KpiSnapshot.Kind.PERIOD, taken_on=date(2025, 7, 1), year=2025, half=1, municipality=school.municipality
    )
    coordinator = UserFactory(role="coordinator", is_staff=True, municipality=school.municipality)
    return snapshot, school, coordinator


@given(value=hostile_date())
def test_monitoring_recommendation_due_date(client, monitoring_snapshot, value):
    from reports.models import MonitoringRecommendation

    snapshot, school, coordinator = monitoring_snapshot
    client.force_login(coordinator)
    data = {"organisation": school.pk, "text": "Открытые уроки", "due_on": value, "responsible": "Методист"}
    url = reverse("monitoring_recommendation_new", args=[snapshot.pk])
    models = ["reports.MonitoringRecommendation"]
    with rolled_back():  # as _answered, the page's form being «recommendation_form»
        before = row_counts(models)
        response = client.post(url, data)
        assert response.status_code in (200, 302), data
        if response.status_code == 200:
            assert_russian(form_errors(response, "recommendation_form"))
            assert row_counts(models) == before, data
        else:
            assert _in_bounds(MonitoringRecommendation.objects.get().due_on), data


# --- the projects' forms (projects.forms_*): each posted through its page -----------------------------------------


def _lab_match(name):
    from projects.services_competence_lab import learner_request_create, mentor_offer_create, mentor_offer_decide
    from tests.projects.lab_world import coordinator, kindergarten, lab_municipality, now, teacher, theme

    town = lab_municipality(starts_on=date(2000, 1, 1), ends_on=date(2100, 1, 1))
    coord, topic = coordinator(town), theme(town)
    a, b = kindergarten(town, "ГБДОУ детский сад № 1"), kindergarten(town, "ГБДОУ детский сад № 2")
    offer = mentor_offer_create(person=teacher(a, "Наставникова"), theme=topic, format="consultation", capacity=2)
    offer = mentor_offer_decide(offer=offer, approve=True, by=coord, now=now())
    request = learner_request_create(person=teacher(b, "Ученикова"), theme=topic)
    url = reverse("lab_request_match", args=[request.pk])
    return coord, url, {"offer": offer.pk}, ["started_on"], ["projects.LearnerRequest", "projects.MentorOffer"]


def _community(name):
    from projects.models import CommunityMember, CommunityRole
    from tests.projects.communities_fixtures import JOINED, community_with, coordinator_of, season_of

    season = season_of()
    community, members = community_with(season, 5)
    leader, url = members[0].enrollment.person.user, reverse(name, args=[community.pk])
    models = ["projects.CascadeTraining", "projects.CommunityReport", "activities.Activity", "activities.Session"]
    if name == "community_meeting_new":
        return leader, url, {"title": "Встреча"}, ["starts_at", "ends_at"], models
    if name == "community_report_plan":
        return coordinator_of(season), url, {"year": "2030", "half": "1"}, ["due_on"], models
    tutor = CommunityMember.objects.create(
        community=community, enrollment=EnrollmentFactory(season=season), role=CommunityRole.TUTOR, joined_on=JOINED
    )
    data = {
        "trainer": tutor.enrollment_id,
        "title": "Разбор заданий",
        "place": "ГБОУ Школа № 1",
        "trainees": [EnrollmentFactory(season=season).pk],
    }
    return leader, url, data, ["starts_at", "ends_at"], models


RESERVE_MODELS = [
    "projects.ReserveMember",
    "projects.ReserveStatusChange",
    "projects.ReserveReview",
    "projects.ReserveReviewEntry",
    "projects.TrajectoryItem",
    "projects.ReserveAnalysis",
    "projects.ReserveDiagnostic",
]


def _reserve(name):
    from tests.factories import PersonFactory
    from tests.projects.reserve_world import member_in, reserve_world

    w = reserve_world()
    if name == "reserve_member_new":
        person = PersonFactory(organisation=w.school, last_name="Новикова")
        data = {"person": person.pk, "status": "in_reserve", "source": "contest", "decision": "Распоряжение № 12"}
        return w.coordinator, reverse(name), data, ["listed_on"], RESERVE_MODELS
    member = member_in(w, last_name="Резервова")
    if name == "reserve_review":
        data = {"decision": "Распоряжение № 3", f"outcome_{member.pk}": "kept"}
        return w.coordinator, reverse(name), data, ["held_on"], RESERVE_MODELS
    url = reverse(name, args=[member.pk])
    if name == "reserve_diagnostic_new":
        data = {"year": "2025", "strengths": "Стратегическое мышление", "deficits": "Делегирование"}
        return w.psychologist.person.user, url, data, ["held_on"], RESERVE_MODELS
    cases = {
        "reserve_member_status": ({"to_status": "excluded", "reason": "Переход в другой район"}, "on"),
        "reserve_item_new": ({"kind": "mentoring", "title": "Менторинг", "state": "planned"}, "due_on"),
        "reserve_analysis_new": ({"year": "2025", "analysis": "План выполнен на 80 %"}, "consulted_on"),
    }
    data, key = cases[name]
    return w.coordinator, url, data, [key], RESERVE_MODELS


def _school_pair(name):
    from projects.services_school_pairs import plan_item_add, school_pair_create
    from tests.projects.school_pairs_world import build_world

    w = build_world()
    pair = school_pair_create(season=w["season"], leader=w["leader"], partner=w["weak"], starts_on=date(2025, 9, 1))
    models = ["projects.SchoolPair", "projects.PairPlanItem", "activities.Activity", "activities.Session"]
    user = w["users"]["coordinator"]
    if name == "school_pair_new":
        data = {"season": w["season"].pk, "leader": w["leader"].pk, "leader_role": "master", "partner": w["weak2"].pk}
        return user, reverse(name), data, ["starts_on", "ends_on"], models
    url = reverse(name, args=[pair.pk])
    if name == "school_pair_plan_add":
        return user, url, {"kind": "seminar", "title": "Семинар"}, ["planned_on"], models
    item = plan_item_add(pair=pair, kind="seminar", title="Семинар", planned_on=date(2026, 2, 12))
    return user, url, {"item": item.pk, "place": "ГБОУ школа № 358"}, ["starts_at", "ends_at"], models


PROJECT_PAGES = {
    "community_meeting_new": _community,
    "community_training_new": _community,
    "community_report_plan": _community,
    "lab_request_match": _lab_match,
    "reserve_member_new": _reserve,
    "reserve_member_status": _reserve,
    "reserve_item_new": _reserve,
    "reserve_analysis_new": _reserve,
    "reserve_diagnostic_new": _reserve,
    "reserve_review": _reserve,
    "school_pair_new": _school_pair,
    "school_pair_plan_add": _school_pair,
    "school_pair_plan_hold": _school_pair,
}


def _date_errors(response, keys) -> list[str]:
    """The refusals of the date fields, from whichever form of the page holds them."""
    found = []
    for context in response.context or []:
        for value in context.flatten().values():
            errors = getattr(value, "errors", None)
            if isinstance(errors, dict):
                found += [str(e) for key in keys for e in errors.get(key, [])]
    return found


@pytest.mark.parametrize("name", PROJECT_PAGES)
def test_project_page_dates(client, name):
    user, url, data, keys, models = PROJECT_PAGES[name](name)
    client.force_login(user)
    for day in ("0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"):
        values = {key: f"{day}T10:00" if key.endswith("_at") else day for key in keys}
        with rolled_back():
            before = row_counts(models)
            response = client.post(url, data | values)
            assert response.status_code in (200, 400), (name, day, response.status_code)
            errors = _date_errors(response, keys)
            assert_russian(errors)
            assert "Укажите дату между 01.01.1900 и 31.12.2100." in errors, (name, day, errors)
            assert row_counts(models) == before, (name, day)


# --- completeness ------------------------------------------------------------------------------------------

COVERED = {
    "experts.forms.LessonVisitForm": {"visited_on"},
    "experts.forms.ConsultationForm": {"held_at"},
    "activities.route_builder.RouteItemForm": {"planned_on"},
    "ratings.forms_achievements.AchievementForm": {"happened_on"},
    "participants.forms.RegistrationForm": {"birth_date"},
    "experts.forms.MentoringMeetingForm": {"held_on"},
    "reports.forms_monitoring.MonitoringRecommendationForm": {"due_on"},
    "projects.forms_communities.MeetingForm": {"starts_at", "ends_at"},
    "projects.forms_communities.CascadeTrainingForm": {"starts_at", "ends_at"},
    "projects.forms_communities.ReportPlanForm": {"due_on"},
    "projects.forms_competence_lab.MatchForm": {"started_on"},
    "projects.forms_reserve.ReserveMemberForm": {"listed_on"},
    "projects.forms_reserve.ReserveStatusForm": {"on"},
    "projects.forms_reserve.TrajectoryItemForm": {"due_on"},
    "projects.forms_reserve.ReserveAnalysisForm": {"consulted_on"},
    "projects.forms_reserve.ReserveDiagnosticForm": {"held_on"},
    "projects.forms_reserve.ReserveReviewForm": {"held_on"},
    "projects.forms_school_pairs.SchoolPairForm": {"starts_on", "ends_on"},
    "projects.forms_school_pairs.PlanItemForm": {"planned_on"},
    "projects.forms_school_pairs.PlanItemHoldForm": {"starts_at", "ends_at"},
    # List filters (django-filter): their forms are built at run time, so the FilterSets are walked instead.
    "experts.filters.ConsultationFilterSet": {"held_from", "held_to"},
}


def project_filtersets() -> list[type[FilterSet]]:
    """Every FilterSet defined in the apps (their modules are imported by project_form_classes)."""
    found, stack = [], [FilterSet]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                found.append(sub)
    return found


def filter_date_fields(cls: type[FilterSet]) -> set[str]:
    return {name for name, f in cls.base_filters.items() if issubclass(f.field_class, DATE_FIELDS)}


def test_every_portal_date_field_has_a_case():
    admin_forms = set()
    for model_admin in admin.site._registry.values():
        admin_forms.add(model_admin.form)
        admin_forms.update(inline.form for inline in model_admin.inlines)
    found = {
        f"{cls.__module__}.{cls.__qualname__}": set(date_fields(cls))
        for cls in project_form_classes()
        if date_fields(cls) and cls not in admin_forms and ".admin" not in cls.__module__
    }
    found.update({f"{cls.__module__}.{cls.__qualname__}": filter_date_fields(cls) for cls in project_filtersets()})
    assert {name: fields for name, fields in found.items() if fields} == COVERED


@pytest.mark.parametrize("text", ["2011-03-27T02:30", "2014-10-26T01:30"])
def test_a_moscow_clock_change_is_answered(client, member, psychologist, text):
    client.force_login(psychologist.person.user)
    data = {"kind": "individual", "held_at": text, "topic": "Нагрузка", "participants": [member.pk]}
    response = client.post(reverse("expert_consultation_create"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert_russian(form_errors(response))


# --- spreadsheets: a date in a cell ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["01.01.0001", "0001-01-01", "31.12.9999 23:59:59", "01.01.1899", "2958465"])
def test_an_imported_date_out_of_range_is_not_a_date(text):
    """A registrations sheet's «0001-01-01» was saved as an aware moment (OverflowError, a 500); now the row is
    refused with the importer's «— не дата» message like any text that is not a date."""
    with pytest.raises(ValueError):
        parse_timestamp(text, ZoneInfo("Europe/Moscow"))
    with pytest.raises(ValueError):
        parse_date(text)
    assert parse_date("01.01.1900") == date(1900, 1, 1)


# --- years and dates in query strings --------------------------------------------------------------------

YEARS = ["1", "0", "9999", "99999", "-1", "²", "1899", "2101", "2025-13-01", "0001-01-01"]


def test_every_page_reading_a_year_from_the_query_answers_any_year(admin_client):
    season = SeasonFactory()
    pages = {
        reverse("kpi_dashboard"): ("year",),
        reverse("admin:experts_visit_coverage", args=[season.pk]): ("year",),
        reverse("admin:participants_professionaldevelopment_changelist"): ("year",),
        reverse("admin:participants_competencediagnostic_changelist"): ("year",),
        reverse("admin:programs_municipalevent_changelist"): ("year",),
        reverse("admin:programs_organisationyearfacts_changelist"): ("year",),
    }
    for url, keys in pages.items():
        for value in YEARS:
            response = admin_client.get(url, dict.fromkeys(keys, value))
            assert response.status_code in (200, 302, 404), (url, value, response.status_code)
