"""Every relation field of every admin form offers and accepts only the coordinator's municipality (docs/decisions/0001).

A coordinator created an Attendance with another municipality's session and enrollment, and read names by
stepping ids in add-page prefills (`?enrollment=443` printed the person's name in the raw-id widget). This test
walks admin.site._registry itself: for every registered admin, the add page and the change page of a row of
the coordinator's municipality, it takes the relation fields of the form and of each inline formset as the admin
built them (a field added later is probed with no change here) and, as the coordinator of municipality A:
- posts a row of another municipality into each one: the field must answer with a Russian error, nothing written;
- opens the add page with `?<field>=<outside id>`: nothing of the outside row may be printed;
- reads the choices each field renders and every autocomplete the form uses: no outside row in them.
A relation to a model that belongs to no municipality must be listed in UNSCOPED_RELATIONS with its reason;
a relation to a model this world has no outside row of fails the test until one is added to `outside`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin, RelatedFieldWidgetWrapper
from django.forms import ModelChoiceField
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from activities.models import ActivityKind, Certificate, SubmissionExtension, SubmissionExtensionRequest
from experts.models import ExpertGroup, ExpertRole, MentoringPair
from participants.models import Enrollment, ManagementTeamMember, User
from programs.admin_mixins import OUTSIDE_CHOICE, UNSCOPED_RELATIONS
from programs.models import Program
from ratings.models import RubricCriterion
from tests import permissions_world
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    RoadmapModuleFactory,
    RubricFactory,
    SeasonFactory,
    SessionFactory,
    SubmissionFactory,
    UserFactory,
    VideoAssignmentFactory,
)
from tests.permissions_world import COORDINATOR
from tests.projects.communities_fixtures import community_rows_of

world = permissions_world.world
MARKERS = ("Чужбин", "chuzhbin", "CHUZHBIN")  # every outside row's name has one of them


@pytest.fixture(scope="module")
def outside(world, django_db_blocker):
    """Rows of municipality «Чужбинский район» of every model an admin form may refer to, by model label."""
    with django_db_blocker.unblock():
        town = MunicipalityFactory(name="Чужбинский район")
        school = OrganisationFactory(municipality=town, short_name="Чужбинская школа")
        rows: dict[str, list] = {}

        def add(*objs):
            for obj in objs:
                rows.setdefault(obj._meta.label, []).append(obj)
            return objs[0]

        add(town, school)
        seasons = []
        for kind in (Program.Kind.SUBSCRIPTION, Program.Kind.PROJECT):
            season = SeasonFactory(
                program__municipality=town,
                program__organiser=school,
                program__kind=kind,
                program__title=f"Чужбинская программа {kind}",
                title=f"Чужбинский сезон {kind}",
            )
            seasons.append(season)
            add(season.program, season)
            module = add(RoadmapModuleFactory(season=season, title="Чужбинский модуль"))
            activity = add(ActivityFactory(season=season, module=module, title="Чужбинское мероприятие"))
            add(SessionFactory(activity=activity, title="Чужбинское занятие"))
            person = PersonFactory(
                organisation=school, last_name="Чужбинова", user__email=f"chuzhbin-{kind}@example.ru"
            )
            enrollment = add(EnrollmentFactory(season=season, person=person))
            add(person, person.user)
            add(ManagementTeamMember.objects.create(organisation=school, person=person, role="Чужбинский завуч"))
            for role in (ExpertRole.CURATOR, ExpertRole.METHODIST, ExpertRole.TUTOR, ExpertRole.MENTOR):
                expert = add(
                    ExpertAssignmentFactory(
                        season=season, role=role, person__organisation=school, person__last_name="Чужбинов"
                    )
                )
            add(ExpertGroup.objects.create(season=season, name="Чужбинская группа", curator=expert))
            add(
                MentoringPair.objects.create(
                    season=season, mentor=expert, mentee=enrollment, started_on=season.starts_on
                )
            )
            video = add(
                VideoAssignmentFactory(
                    activity__season=season,
                    activity__title="Чужбинский видеоурок",
                    activity__kind=ActivityKind.VIDEO_LESSON,
                )
            )
            add(SubmissionFactory(assignment=video, enrollment=enrollment, topic="Чужбинская тема"))
            rubric = add(RubricFactory(program=season.program, title="Чужбинские критерии"))
            add(RubricCriterion.objects.create(rubric=rubric, title="Чужбинский критерий", max_points=3))
            add(
                Certificate.objects.create(
                    number=f"CHUZHBIN-{kind}",
                    code=f"chuzhbin{kind}",
                    enrollment=enrollment,
                    activity=activity,
                    title="Чужбинский сертификат",
                    hours=4,
                )
            )
            chuzhbin_rows = community_rows_of(season, enrollment)
            add(chuzhbin_rows["community"], chuzhbin_rows["practice"])
        add(UserFactory(email="chuzhbin-coordinator@example.ru", is_staff=True, municipality=town))
        # The project office (сид 001): a project of the other municipality and its stage.
        from projects.models.office import Project, ProjectStage, StageKind

        chuzhbin_project = add(Project.objects.create(municipality=town, slug="chuzhbin", title="Чужбинский проект"))
        add(
            ProjectStage.objects.create(
                project=chuzhbin_project,
                kind=StageKind.MAIN,
                starts_on=date(2026, 9, 1),
                ends_on=date(2027, 8, 31),
            )
        )
        _rows_of_a(world)
        yield rows


def _rows_of_a(world):
    """A row of municipality A for each admin the shared world has none of, so its change form is probed too."""
    from experts.models import CompetenceTest, MentoringMeeting, SeasonExpertRole
    from participants.models import (
        CompetenceDiagnostic,
        FeedbackQuestion,
        ManagementTeamProgramme,
        ProfessionalDevelopment,
        SchoolApplication,
        StaffHeadcount,
        StaffRosterEntry,
    )
    from programs.models import MunicipalEvent, OrganisationYearFacts, Subject
    from projects.models import AssessmentResult, CompetenceTheme, MentoringFormsReport
    from projects.models.school_pairs import Assessment
    from reports.models import KpiBaseline, KpiTarget

    school, subscription = world.other["school"], world.other["subscription"]
    person, town = world.enrollment.person, school.municipality
    today = timezone.localdate()
    OrganisationYearFacts.objects.create(organisation=school, year=today.year)
    MunicipalEvent.objects.create(municipality=town, organisation=school, title="Семинар", held_on=today)
    SchoolApplication.objects.create(
        season=subscription, organisation=school, applicant=person, grounds=["own_request"]
    )
    FeedbackQuestion.objects.create(season=world.season_a, text="Как вам занятия?")
    ProfessionalDevelopment.objects.create(
        person=person, course_title="Курс", provider="ИРО", hours=36, starts_on=today, ends_on=today
    )
    CompetenceDiagnostic.objects.create(person=person, taken_on=today, platform="ЭОР")
    deputy = ManagementTeamMember.objects.create(organisation=school, person=person, role="Заместитель директора")
    ManagementTeamProgramme.objects.create(organisation=school, title="Программа команды", ends_on=today).members.add(
        deputy
    )
    StaffRosterEntry.objects.create(
        organisation=school,
        year=today.year,
        last_name="Работница",
        first_name="Анна",
        position="Учитель",
        person=person,
    )
    StaffHeadcount.objects.create(
        organisation=school,
        year=today.year,
        pedagogical_total=10,
        teachers=8,
        higher_education=9,
        teachers_under_5_years=2,
    )
    SeasonExpertRole.objects.create(season=world.season_a, role=ExpertRole.CURATOR)
    CompetenceTest.objects.create(enrollment=world.enrollment, platform="ЭОР", taken_on=today)
    MentoringMeeting.objects.create(
        pair=MentoringPair.objects.get(mentee=world.enrollment), held_on=today, topic="Встреча сезона А"
    )
    RoadmapModuleFactory(season=world.season_a, title="Модуль сезона А")
    SubmissionExtension.objects.create(
        assignment=world.submission.assignment,
        enrollment=world.enrollment,
        until=timezone.now() + timedelta(days=20),
        reason="Болезнь",
    )
    SubmissionExtensionRequest.objects.create(
        assignment=world.submission.assignment, enrollment=world.enrollment, message="Присоединилась после срока"
    )
    AssessmentResult.objects.create(
        organisation=school,
        year=today.year,
        assessment=Assessment.VPR,
        subject=Subject.objects.get_or_create(name="Математика")[0],
        grade=5,
        participants=30,
        average=Decimal("3.50"),
        low_share=Decimal("10.00"),
    )
    KpiTarget.objects.create(code="kpi", title="Показатель", municipality=town, year=today.year, value=50)
    KpiBaseline.objects.create(code="methodical-associations", municipality=town, year=2020, value=7, source="Отчёт")
    community_rows_of(world.season_a, world.enrollment)
    CompetenceTheme.objects.create(municipality=town, title="Тема лаборатории района А")
    MentoringFormsReport.objects.create(
        season=world.other["trajectory_season"], organisation=school, year=today.year, half=1, pupil_pupil=2
    )


class FormReader(HTMLParser):
    """What a browser would post from the admin's main form: every input, select and textarea by name."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data, self.options = form_id, False, [], {}
        self._select, self._selected, self._textarea = None, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((name, a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._selected, self._first = (name, "multiple" in a), [], None
            self.options[name] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self.options[self._select[0]].append(value)
            if self._first is None:
                self._first = value
            if "selected" in a:
                self._selected.append(value)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = self._selected or ([] if multiple or self._first is None else [self._first])
            self.data.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append(tuple(self._textarea))
            self._textarea = None


def _read(response, model) -> FormReader:
    reader = FormReader(f"{model._meta.model_name}_form")
    reader.feed(response.content.decode())
    return reader


def _as_dict(pairs) -> dict:
    data: dict[str, list] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def _relation_fields(form_fields: dict):
    return {n: f for n, f in form_fields.items() if isinstance(f, ModelChoiceField)}


def _autocomplete(field):
    widget = field.widget.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field.widget
    return widget if isinstance(widget, AutocompleteMixin) else None


def _error_at(response, prefix: str | None, index: int | None, name: str) -> list[str] | None:
    """The errors the re-rendered form shows at the field (None: the page is no form page)."""
    if response.context is None or "adminform" not in response.context:
        return None
    if prefix is None:
        return list(response.context["adminform"].form.errors.get(name, []))
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            forms = inline.formset.forms
            return list(forms[index].errors.get(name, [])) if index < len(forms) else []
    return []


def _snapshot(model, pk, inline_models) -> tuple:
    rows = {m._meta.label: sorted(model_to_dict(o).__repr__() for o in m.objects.all()) for m in inline_models}
    main = model_to_dict(model.objects.get(pk=pk)) if pk is not None else None
    return model.objects.count(), repr(main), rows


class Figures:
    def __init__(self):
        self.forms = self.fields = self.accepted = self.server_errors = 0
        self.prefills = self.autocompletes = self.choice_lists = 0
        self.problems: list[str] = []

    def problem(self, text: str):
        self.problems.append(text)


def _coordinator_object(model_admin, request):
    for obj in model_admin.get_queryset(request)[:30]:
        if model_admin.has_change_permission(request, obj):
            return obj
    return None


def _outside_row(outside, superuser_field, model):
    """An outside row the field would take but for the municipality (the superuser's choices), else any."""
    candidates = outside.get(model._meta.label, [])
    if superuser_field is not None:
        allowed = set(superuser_field.queryset.filter(pk__in=[c.pk for c in candidates]).values_list("pk", flat=True))
        for candidate in candidates:
            if candidate.pk in allowed:
                return candidate, True
    return (candidates[0] if candidates else None), False


def _superuser_fields(client, url) -> dict:
    response = client.get(url)
    if response.status_code != 200 or "adminform" not in (response.context or {}):
        return {}
    fields = {(None, n): f for n, f in _relation_fields(response.context["adminform"].form.fields).items()}
    for inline in response.context["inline_admin_formsets"]:
        for n, f in _relation_fields(inline.formset.form.base_fields).items():
            fields[(inline.formset.prefix, n)] = f
    return fields


def _probe_page(coordinator, superuser, model, model_admin, url, pk, outside, figures, *, add: bool):  # noqa: C901, PLR0912, PLR0915
    page = coordinator.get(url)
    if page.status_code != 200 or page.context is None or "adminform" not in page.context:
        return
    figures.forms += 1
    body = page.content.decode()
    for marker in MARKERS:
        if marker in body:
            figures.problem(f"{url}: prints «{marker}…» of another municipality")
    reader = _read(page, model)
    form = page.context["adminform"].form
    targets = [(None, None, n, f) for n, f in _relation_fields(form.fields).items()]
    inline_models = []
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        inline_models.append(formset.model)
        fields = _relation_fields(formset.form.base_fields)
        if formset.initial_form_count():
            targets += [(formset.prefix, 0, n, f) for n, f in fields.items()]
        elif inline.has_add_permission:
            targets += [(formset.prefix, formset.total_form_count(), n, f) for n, f in fields.items()]
    if not targets:
        return
    su_fields = _superuser_fields(superuser, url)
    for prefix, index, name, field in targets:
        related = field.queryset.model
        label = related._meta.label
        where = f"{model._meta.label} {'add' if add else 'change'} {prefix + '-' if prefix else ''}{name} → {label}"
        if label in UNSCOPED_RELATIONS:
            continue
        row, attributable = _outside_row(outside, su_fields.get((prefix, name)), related)
        if row is None:
            figures.problem(f"{where}: no outside row of {label} in this world: add one to `outside`")
            continue
        figures.fields += 1
        key = name if prefix is None else f"{prefix}-{index}-{name}"
        # What the page offers: no outside row among the field's choices, nor in its autocomplete.
        figures.choice_lists += 1
        if str(row.pk) in reader.options.get(key, []) and prefix is None:
            figures.problem(f"{where}: offers the outside row #{row.pk}")
        widget = _autocomplete(field)
        if widget is not None:
            figures.autocompletes += 1
            source = model if prefix is None else field_model(page, prefix)
            found = coordinator.get(
                widget.get_url(),
                {
                    "app_label": source._meta.app_label,
                    "model_name": source._meta.model_name,
                    "field_name": name,
                    "term": "",
                },
            )
            if found.status_code == 200:
                ids = {str(r["id"]) for r in found.json()["results"]}
                if ids & {str(o.pk) for o in outside.get(label, [])}:
                    figures.problem(f"{where}: the autocomplete lists another municipality's rows")
            elif found.status_code >= 500:
                figures.server_errors += 1
                figures.problem(f"{where}: the autocomplete answered {found.status_code}")
        # The prefill of an add page prints nothing of the outside row.
        if add and prefix is None:
            figures.prefills += 1
            filled = coordinator.get(url, {name: row.pk})
            if filled.status_code >= 500:
                figures.server_errors += 1
                figures.problem(f"{where}: ?{name}={row.pk} answered {filled.status_code}")
            elif any(m in filled.content.decode() for m in MARKERS):
                figures.problem(f"{where}: ?{name}={row.pk} prints the outside row")
        # The post: the outside id is refused at the field and nothing is written.
        data = _as_dict(p for p in reader.data if "__prefix__" not in p[0])
        if prefix is not None and index >= int(data.get(f"{prefix}-INITIAL_FORMS", ["0"])[0]):
            data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
            for n, v in reader.data:
                if n.startswith(f"{prefix}-__prefix__-"):
                    data.setdefault(n.replace("__prefix__", str(index)), []).append(v)
        data[key] = [str(row.pk)]
        data["_save"] = ["1"]
        before = _snapshot(model, pk, inline_models)
        response = coordinator.post(url, data)
        after = _snapshot(model, pk, inline_models)
        if response.status_code >= 500:
            figures.server_errors += 1
            figures.problem(f"{where}: answered {response.status_code}")
            continue
        errors = _error_at(response, prefix, index, name)
        if response.status_code != 200 or not errors or before != after:
            figures.accepted += 1
            figures.problem(f"{where}: the outside row #{row.pk} was accepted ({response.status_code}, {errors})")
        elif attributable and str(OUTSIDE_CHOICE) not in errors:
            figures.problem(f"{where}: refused, but not as another municipality's row: {errors}")
        elif not re.search(r"[А-Яа-яЁё]", " ".join(errors)):
            figures.problem(f"{where}: the refusal is not in Russian: {errors}")


def field_model(page, prefix):
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return inline.formset.model
    raise LookupError(prefix)


@pytest.mark.django_db
def test_every_relation_field_refuses_another_municipality(world, outside, capsys):
    coordinator_user = world.users[COORDINATOR]
    coordinator = Client(raise_request_exception=False)
    coordinator.force_login(coordinator_user)
    superuser = Client(raise_request_exception=False)
    superuser.force_login(world.users["superuser"])
    request = RequestFactory().get("/admin/")
    request.user = coordinator_user
    figures = Figures()
    unprobed_changes = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        try:
            add_url = reverse("admin:{}_{}_add".format(*info))
        except NoReverseMatch:
            continue
        if model_admin.has_add_permission(request):
            _probe_page(coordinator, superuser, model, model_admin, add_url, None, outside, figures, add=True)
        if model_admin.has_change_permission(request):
            obj = _coordinator_object(model_admin, request)
            if obj is None:
                unprobed_changes.append(model._meta.label)
                continue
            url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            _probe_page(coordinator, superuser, model, model_admin, url, obj.pk, outside, figures, add=False)
    with capsys.disabled():
        print(
            f"\nadmin relation probes: {figures.forms} forms, {figures.fields} relation fields probed with an "
            f"outside id, accepted: {figures.accepted}, server errors: {figures.server_errors}; "
            f"prefills: {figures.prefills}; choice lists: {figures.choice_lists}; autocompletes: "
            f"{figures.autocompletes}; change forms without a row of A to probe: {unprobed_changes}"
        )
    assert figures.problems == []
    assert unprobed_changes == [], "add a row of municipality A of these models to _rows_of_a"
    assert (figures.accepted, figures.server_errors) == (0, 0)
    assert figures.fields >= 40  # the walk found the forms' fields: it is not vacuous


def test_every_unscoped_relation_says_why():
    assert UNSCOPED_RELATIONS
    for label, reason in UNSCOPED_RELATIONS.items():
        assert len(reason) > 20, label


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "field", "related"),
    [
        ("activities_attendance", "enrollment", "participants.Enrollment"),
        ("ratings_achievement", "enrollment", "participants.Enrollment"),
        ("ratings_review", "expert", "experts.ExpertAssignment"),
        ("ratings_reviewassignment", "expert", "experts.ExpertAssignment"),
        ("ratings_review", "submission", "activities.Submission"),
    ],
)
def test_add_page_prefills_print_nothing_of_another_municipality(client, world, outside, model, field, related):
    row = outside[related][0]
    client.force_login(world.users[COORDINATOR])
    response = client.get(reverse(f"admin:{model}_add"), {field: row.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert not any(marker in body for marker in MARKERS)
    # The row of the coordinator's own municipality is still named (the widget works).
    own = {"participants.Enrollment": world.enrollment}.get(related)
    if own is not None:
        mine = client.get(reverse(f"admin:{model}_add"), {field: own.pk}).content.decode()
        assert permissions_world.TEACHER_NAME in mine


@pytest.mark.django_db
def test_the_session_page_lists_only_own_activities(client, world, outside):
    client.force_login(world.users[COORDINATOR])
    response = client.get(reverse("admin:activities_session_change", args=[world.session.pk]))
    choices = response.context["adminform"].form.fields["activity"].queryset
    assert set(choices.values_list("season__program__municipality", flat=True)) == {
        world.season_a.program.municipality_id
    }
    assert "Чужбинское мероприятие" not in response.content.decode()


@pytest.mark.django_db
def test_an_outside_attendance_is_not_written(client, world, outside):
    """The reported attack: an Attendance with another municipality's session and enrollment."""
    session, enrollment = outside["activities.Session"][0], outside["participants.Enrollment"][0]
    client.force_login(world.users[COORDINATOR])
    before = enrollment.attendance.count()
    response = client.post(
        reverse("admin:activities_attendance_add"),
        {
            "session": session.pk,
            "enrollment": enrollment.pk,
            "status": "present",
            "marked_at_0": timezone.localdate().strftime("%d.%m.%Y"),
            "marked_at_1": "10:00",
            "source": "manual",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert str(OUTSIDE_CHOICE) in errors["session"] and str(OUTSIDE_CHOICE) in errors["enrollment"]
    assert enrollment.attendance.count() == before


@pytest.mark.django_db
def test_a_superuser_still_chooses_any_municipality(client, world, outside):
    session, enrollment = outside["activities.Session"][0], outside["participants.Enrollment"][0]
    client.force_login(world.users["superuser"])
    response = client.get(reverse("admin:activities_attendance_add"), {"enrollment": enrollment.pk})
    assert "Чужбинова" in response.content.decode()
    assert Enrollment.objects.filter(pk=enrollment.pk).exists() and session.pk
    assert User.objects.filter(email="chuzhbin-coordinator@example.ru").exists()
