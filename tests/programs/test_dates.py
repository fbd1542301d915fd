"""The portal's date bounds (core.dates): one validator, put on every date and date-time field of every form
by a form mixin (portal) or the admin's base class (admin), and the services that take a moment check it too."""

import importlib
import pkgutil
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import DATE_MAX, DATE_MIN, BoundedDatesMixin, validate_date_in_range
from experts.models import Consultation, ExpertRole
from experts.services import consultation_log
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory

MESSAGE = "Укажите дату между 01.01.1900 и 31.12.2100."
APPS = tuple(app for app in settings.PORTAL_APPS if app != "core")
DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in the apps' modules (the modules are imported to find them)."""
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found, stack = [], [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                found.append(sub)
    return found


def date_fields(cls) -> list[str]:
    return [name for name, field in getattr(cls, "base_fields", {}).items() if isinstance(field, DATE_FIELDS)]


def test_bounds_are_those_of_the_message():
    assert (DATE_MIN, DATE_MAX) == (date(1900, 1, 1), date(2100, 12, 31))


@pytest.mark.parametrize(
    "value",
    [
        date(1, 1, 1),
        date(1899, 12, 31),
        date(2101, 1, 1),
        date(9999, 12, 31),
        datetime(1, 1, 1, tzinfo=ZoneInfo("Europe/Moscow")),  # .astimezone(UTC) would overflow
        datetime(9999, 12, 31, 23, 59, tzinfo=ZoneInfo("America/Los_Angeles")),
        datetime(2101, 1, 1, 0, 0),
    ],
)
def test_out_of_range_is_refused_in_russian(value):
    with pytest.raises(ValidationError) as caught:
        validate_date_in_range(value)
    assert caught.value.messages == [MESSAGE]
    assert caught.value.code == "date_out_of_range"


@pytest.mark.parametrize(
    "value",
    [date(1900, 1, 1), date(2100, 12, 31), datetime(2100, 12, 31, 23, 59, tzinfo=ZoneInfo("Asia/Kamchatka"))],
)
def test_the_edges_are_accepted(value):
    validate_date_in_range(value)


class _Form(BoundedDatesMixin, forms.Form):
    day = forms.DateField()
    moment = forms.DateTimeField()
    split = forms.SplitDateTimeField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"] = forms.DateField(required=False)


def test_the_mixin_bounds_every_date_field_of_a_form_even_one_added_in_init():
    form = _Form(
        {
            "day": "0001-01-01",
            "moment": "9999-12-31 23:59",
            "split_0": "01.01.0001",
            "split_1": "00:00",
            "later": "31.12.9999",
        }
    )
    assert not form.is_valid()
    assert form.errors == {name: [MESSAGE] for name in ("day", "moment", "split", "later")}
    ok = _Form({"day": "2025-09-01", "moment": "2025-09-01 10:00", "split_0": "01.09.2025", "split_1": "10:00"})
    assert ok.is_valid(), ok.errors
    assert _Form().fields["day"].validators.count(validate_date_in_range) == 1


def test_every_form_with_a_date_field_is_bounded():
    """A portal form takes the mixin; an admin form is bounded by the admin's base (tests/admin/test_admin_dates)."""
    admin_forms = set()
    for model_admin in admin.site._registry.values():
        admin_forms.add(model_admin.form)
        admin_forms.update(inline.form for inline in model_admin.inlines)
    classes = [cls for cls in project_form_classes() if date_fields(cls)]
    assert len(classes) >= 5
    unbounded = [cls for cls in classes if cls not in admin_forms and not issubclass(cls, BoundedDatesMixin)]
    assert unbounded == []


@pytest.mark.django_db
@pytest.mark.parametrize("held_at", [datetime(1, 1, 1, tzinfo=ZoneInfo("Europe/Moscow")), datetime(1899, 1, 1)])
def test_the_consultation_service_refuses_a_moment_out_of_range_without_overflowing(held_at):
    season = SeasonFactory()
    expert = ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST)
    if timezone.is_naive(held_at):
        held_at = held_at.replace(tzinfo=season.tz)
    with pytest.raises(ValidationError) as caught:
        consultation_log(
            expert=expert,
            kind="individual",
            held_at=held_at,
            topic="Т",
            participants=[EnrollmentFactory(season=season)],
        )
    assert caught.value.message_dict == {"held_at": [MESSAGE]}
    assert not Consultation.objects.exists()
