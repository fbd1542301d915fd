"""Out-of-range dates in the admin: every date and date-time field of every add form (inlines included) and every
date drill-down of every changelist answers with a Russian message and writes nothing — never a 500 (an aware
datetime at year 1 overflows when converted to UTC; a drill-down to year 9999 asks Django for year 10000).

The admins, their forms and their fields are found by walking the registry, so one added later is covered."""

from datetime import timedelta

import pytest
from django import forms
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import models
from django.urls import reverse
from django.utils import timezone

from activities.models import Session
from experts.models import Consultation
from participants.models import Enrollment
from ratings.models import Achievement
from tests.factories import ActivityFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
MESSAGE = "Укажите дату между 01.01.1900 и 31.12.2100."
# (date, time) as typed in the admin's Russian widgets: the year 1, the last minute of 9999, ISO year 1.
OUT_OF_RANGE = [("01.01.0001", "00:00"), ("31.12.9999", "23:59"), ("0001-01-01", "00:00"), ("01.01.1899", "12:00")]


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _is_date(field) -> bool:
    return isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField)


def _value(field, name: str, day: str, time: str) -> dict:
    if isinstance(field, forms.SplitDateTimeField):
        return {f"{name}_0": day, f"{name}_1": time}
    if isinstance(field, forms.DateTimeField):
        return {name: f"{day} {time}"}
    return {name: day}


def _management(inline_formsets, total: dict) -> dict:
    data = {}
    for wrapper in inline_formsets:
        prefix = wrapper.formset.prefix
        data |= {
            f"{prefix}-TOTAL_FORMS": str(total.get(prefix, 0)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def _form_pages(client):
    """(model, url, the GET response) of every admin add page, and change page of a row, the superuser may open."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{prefix}_add")]
        if row := model._default_manager.order_by("pk").first():
            urls.append(reverse(f"{prefix}_change", args=[row.pk]))
        for url in urls:
            response = client.get(url)
            if response.status_code == 403 or "adminform" not in response.context:  # read-only: nothing to type
                continue
            assert response.status_code == 200, url
            yield model, url, response


def test_every_date_field_of_every_admin_form_refuses_out_of_range_dates(client, superuser):
    ActivityFactory()  # a row for the selects
    probed = set()
    for model, url, page in _form_pages(client):
        form = page.context["adminform"].form
        inlines = page.context["inline_admin_formsets"]
        targets = [(None, name, field) for name, field in form.fields.items() if _is_date(field)]
        for wrapper in inlines:
            empty = wrapper.formset.empty_form
            targets += [(wrapper.formset.prefix, name, f) for name, f in empty.fields.items() if _is_date(f)]
        for prefix, name, field in targets:
            for day, time in OUT_OF_RANGE:
                before = list(model._default_manager.order_by("pk").values())
                if prefix is None:
                    data = _management(inlines, {}) | _value(field, name, day, time)
                else:
                    data = _management(inlines, {prefix: 1}) | _value(field, f"{prefix}-0-{name}", day, time)
                response = client.post(url, data)
                where = (url, prefix, name, day, time)
                assert response.status_code == 200, where
                if prefix is None:
                    errors = response.context["adminform"].form.errors.get(name, [])
                else:
                    wrapper = next(w for w in response.context["inline_admin_formsets"] if w.formset.prefix == prefix)
                    errors = wrapper.formset.forms[0].errors.get(name, [])
                assert MESSAGE in errors, (where, errors)
                assert list(model._default_manager.order_by("pk").values()) == before, where
            probed.add(f"{model._meta.label}.{prefix or ''}.{name}")
    # The walk reached the fields the issue names and the inlines: it is not vacuous.
    expected = {
        "activities.Session..starts_at",  # the probe
        "activities.Activity.sessions.starts_at",  # an inline
        "participants.User..date_joined",  # a change page of an admin not scoped by municipality
        "ratings.Achievement..happened_on",
        "participants.Person..birth_date",
    }
    assert expected <= probed, expected - probed


def test_a_session_added_with_the_year_1_is_refused_in_russian(client, superuser):
    activity = ActivityFactory()
    url = reverse("admin:activities_session_add")
    data = _management(client.get(url).context["inline_admin_formsets"], {}) | {
        "activity": activity.pk,
        "title": "Занятие",
        "starts_at_0": "01.01.0001",
        "starts_at_1": "10:00",
        "ends_at_0": "01.01.0001",
        "ends_at_1": "11:00",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert MESSAGE in errors.get("starts_at", []), errors
    assert not Session.objects.exists()


DRILL_DOWNS = [
    {"year": "1"},
    {"year": "9999"},
    {"year": "0"},
    {"year": "99999"},
    {"year": "²"},
    {"year": "2025", "month": "13"},
    {"year": "2025", "month": "0"},
    {"year": "2025", "month": "2", "day": "32"},
    {"year": "2025", "month": "2", "day": "30"},
    {"year": "9999", "month": "12", "day": "31"},
    {"gte": "0001-01-01"},
    {"lt": "9999-12-31"},
]


def _hierarchies():
    return [(model, ma.date_hierarchy) for model, ma in admin.site._registry.items() if ma.date_hierarchy]


def test_every_date_drill_down_refuses_out_of_range_values_with_a_message(client, superuser):
    hierarchies = _hierarchies()
    assert {(Achievement, "created_at"), (Consultation, "held_at")} <= set(hierarchies)
    for model, field in hierarchies:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for params in DRILL_DOWNS:
            query = {f"{field}__{part}": value for part, value in params.items()} | {"q": "x"}
            response = client.get(url, query)
            assert response.status_code == 302, (url, query, response.status_code)
            # The rest of the query (the search) is kept; the refused parts are dropped.
            assert response["Location"] == f"{url}?q=x", (url, query)
            messages = [str(m) for m in get_messages(response.wsgi_request)]
            assert MESSAGE in messages, (url, query, messages)
            assert client.get(response["Location"]).status_code == 200


def test_an_in_range_drill_down_still_narrows_the_list(client, superuser):
    url = reverse("admin:ratings_achievement_changelist")
    response = client.get(url, {"created_at__year": "2025", "created_at__month": "2", "created_at__day": "28"})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["0", "1", "9999", "99999"])
def test_year_filters_answer_any_year(client, superuser, value):
    response = client.get(reverse("admin:participants_professionaldevelopment_changelist"), {"year": value})
    assert response.status_code == 200


def test_every_date_lookup_in_a_changelist_query_refuses_out_of_range_values(client, superuser):
    """Not only the drill-down: a hand-made `?<any date field>__gte=0001-01-01` (Django allows lookups on a model's
    own fields) overflowed in the same way."""
    probed = 0
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField):
                continue
            for query in ({f"{field.name}__gte": "0001-01-01"}, {f"{field.name}__year": "9999"}):
                response = client.get(url, query)
                assert response.status_code == 302, (url, query, response.status_code)
                assert response["Location"] == url, (url, query)
                assert MESSAGE in [str(m) for m in get_messages(response.wsgi_request)], (url, query)
                probed += 1
    assert probed > 50


@pytest.mark.parametrize(
    "query",
    [
        {"applied_at__gte": "0001-01-01", "applied_at__lt": "0001-01-02"},
        {"applied_at__gte": "9999-12-31", "applied_at__lt": "10000-01-01"},
        {"applied_at__gte": "вчера"},
        {"applied_at__lt": "2026-02-30"},
    ],
    ids=["year-1", "year-9999", "words", "no-such-day"],
)
def test_the_enrollment_list_s_application_date_filter_survives_any_value(client, superuser, query):
    """The enrollment list filters by the application date with Django's date filter (Сегодня, Последние 7 дней,
    Этот месяц, Этот год), no drill-down: a hand-made value is refused as the admin refuses a bad filter, never
    a 500."""
    url = reverse("admin:participants_enrollment_changelist")
    response = client.get(url, query)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        # Out of 1900–2100: refused with the portal's message like any drill-down; not a date: Django's «?e=1».
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert response["Location"].startswith(url)
        assert MESSAGE in messages or response["Location"].endswith("?e=1")
        final = client.get(response["Location"], follow=True)
        assert final.status_code == 200
        assert final.redirect_chain == [] or final.redirect_chain[-1][0].startswith(url)


def test_the_enrollment_list_s_date_filter_narrows_to_the_last_seven_days(client, superuser):
    fresh = EnrollmentFactory()
    old = EnrollmentFactory()
    Enrollment.objects.filter(pk=old.pk).update(applied_at=timezone.now() - timedelta(days=30))
    url = reverse("admin:participants_enrollment_changelist")
    cl = client.get(url).context["cl"]
    (spec,) = [spec for spec in cl.filter_specs if spec.field_path == "applied_at"]
    week = next(choice["query_string"] for choice in spec.choices(cl) if choice["display"] == "Последние 7 дней")
    shown = list(client.get(url + week).context["cl"].result_list)
    assert fresh in shown
    assert old not in shown
