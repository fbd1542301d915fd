"""No admin select offers two choices with the same label: a roadmap repeats titles («Практическая часть» in
October and February, положение «Прогрессивный педагог», п. 3) and a relaunch repeats the whole roadmap, so
activities, video assignments and sessions are named with program, season and dates (core.admin_choices)."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from activities.choice_labels import assignment_choice_label
from activities.models import ActivityKind
from participants.models import User
from programs.admin_mixins import ScopedRelationsMixin
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    RoadmapModuleFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = set(settings.PORTAL_APPS) - {"core"}
YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=YEKATERINBURG)


def _season(program, title: str, year: int):
    """A season of «Прогрессивный педагог»-like roadmap: two modules, each with a «Практическая часть» lesson
    assignment and an intensive of two meetings with the same topics as every other season's."""
    season = SeasonFactory(program=program, title=title, time_zone="Asia/Yekaterinburg")
    for order, (month, due_day) in enumerate([(10, 25), (2, 20)], 1):
        first_year = year if month >= 9 else year + 1
        module = RoadmapModuleFactory(
            season=season,
            order=order,
            starts_on=date(first_year, month, 1),
            ends_on=date(first_year, month, 28),
        )
        practical = ActivityFactory(
            season=season, module=module, title="Практическая часть", kind=ActivityKind.VIDEO_LESSON
        )
        VideoAssignmentFactory(
            activity=practical,
            opens_at=_at(date(first_year, month, 1), 9),
            due_at=_at(date(first_year, month, due_day), 23),
            cutoff_at=_at(date(first_year, month, 28), 23),
        )
        intensive = ActivityFactory(season=season, module=module, title="Интенсив")
        for day, topic in ((5, "Знакомство с форматом"), (12, "Практикум")):
            SessionFactory(activity=intensive, title=topic, starts_at=_at(date(first_year, month, day), 15))
        SessionFactory(activity=intensive, title="", starts_at=_at(date(first_year, month, 19), 15))
    return season


@pytest.fixture
def region():
    municipality = MunicipalityFactory(name="Октябрьский район")
    organiser = OrganisationFactory(municipality=municipality, short_name="МКУ «ЦРО»")
    progressive = ProgramFactory(municipality=municipality, organiser=organiser, title="Прогрессивный педагог")
    subscription = ProgramFactory(municipality=municipality, organiser=organiser, title="Методический абонемент")
    seasons = [
        _season(progressive, "2024/25", 2024),
        _season(progressive, "2025/26", 2025),
        _season(subscription, "2025/26", 2025),
    ]
    school = OrganisationFactory(municipality=municipality, short_name="МБОУ СОШ № 2")
    for season in seasons:
        EnrollmentFactory(season=season, person=PersonFactory(organisation=school))
        ExpertAssignmentFactory(season=season, person=PersonFactory(organisation=organiser))
    coordinator = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    coordinator.user_permissions.set(Permission.objects.filter(content_type__app_label__in=OUR_APPS))
    return coordinator


def _choice_fields(model_admin, request):
    """(where, field) for every model choice field of the admin's add form and of its inlines' forms."""
    form = model_admin.get_form(request, None, change=False)
    for name, field in form.base_fields.items():
        yield f"{model_admin.model._meta.label}.{name}", field
    for formset, inline in model_admin.get_formsets_with_inlines(request, None):
        for name, field in formset.form.base_fields.items():
            yield f"{inline.model._meta.label}.{name}", field


def test_no_admin_select_offers_two_choices_with_the_same_label(region):
    request = RequestFactory().get("/admin/")
    request.user = region
    checked, ambiguous = 0, {}
    for model_admin in admin.site._registry.values():
        if not isinstance(model_admin, ScopedRelationsMixin) or not model_admin.has_add_permission(request):
            continue
        for where, field in _choice_fields(model_admin, request):
            if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
                continue
            labels = defaultdict(int)
            for value, label in field.choices:
                if value != "":
                    labels[str(label)] += 1
            checked += 1
            repeated = sorted(label for label, count in labels.items() if count > 1)
            if repeated:
                ambiguous[where] = repeated
    assert checked > 20  # the walk reached the forms
    assert ambiguous == {}


def test_the_extension_form_names_each_practical_part_with_its_season_and_due_day(client, region):
    client.force_login(region)
    html = client.get(reverse("admin:activities_submissionextension_add")).content.decode()
    # The assignment field is an autocomplete: its answers carry the same labels as a select would.
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "activities",
            "model_name": "submissionextension",
            "field_name": "assignment",
            "term": "Практ",
        },
    )
    assert response.status_code == 200, html
    texts = sorted(result["text"] for result in response.json()["results"])
    assert texts == [
        "Практическая часть — Методический абонемент 2025/26, срок 20.02.2026",
        "Практическая часть — Методический абонемент 2025/26, срок 25.10.2025",
        "Практическая часть — Прогрессивный педагог 2024/25, срок 20.02.2025",
        "Практическая часть — Прогрессивный педагог 2024/25, срок 25.10.2024",
        "Практическая часть — Прогрессивный педагог 2025/26, срок 20.02.2026",
        "Практическая часть — Прогрессивный педагог 2025/26, срок 25.10.2025",
    ]


def test_the_due_day_is_the_seasons_own():
    season = SeasonFactory(title="2025/26", time_zone="Asia/Vladivostok", program__title="Педкластер 27")
    assignment = VideoAssignmentFactory(
        activity__season=season,
        activity__title="Практическая часть",
        opens_at=datetime(2026, 3, 1, tzinfo=ZoneInfo("UTC")),
        # 15.03 20:00 in Moscow is already 16.03 in Vladivostok.
        due_at=datetime(2026, 3, 15, 17, tzinfo=ZoneInfo("UTC")),
        cutoff_at=datetime(2026, 3, 15, 17, tzinfo=ZoneInfo("UTC")) + timedelta(days=7),
    )
    assert assignment_choice_label(assignment) == "Практическая часть — Педкластер 27 2025/26, срок 16.03.2026"
