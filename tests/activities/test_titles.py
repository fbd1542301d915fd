"""A session's title under its activity's, said once (the cabinet's «Ближайшие сроки», session pages, the
calendar feed)."""

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from activities.cabinet import deadlines_context
from activities.titles import joined_title
from participants.cabinet import CabinetContext
from participants.selectors import person_enrollments
from tests.factories import ActivityFactory, EnrollmentFactory, SessionFactory


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("Интенсив", "Смешанное обучение", "Интенсив: Смешанное обучение"),
        ("Нейросеть – помощник педагога", "Нейросеть – помощник педагога: модуль 1", "Нейросеть – помощник педагога: модуль 1"),
        # Case, spacing and the kind of dash do not make it another title.
        ("Нейросеть – помощник педагога", "нейросеть -  помощник педагога. Модуль 2", "нейросеть -  помощник педагога. Модуль 2"),
        ("Нейросеть — помощник педагога", "Нейросеть – помощник педагога: модуль 3", "Нейросеть – помощник педагога: модуль 3"),
        ("Вебинар", "", "Вебинар"),
        ("Вебинар", None, "Вебинар"),
        ("Вебинар", "  ", "Вебинар"),
        # A title that merely shares a word is still prefixed.
        ("Нейросеть – помощник педагога", "Нейросеть в начальной школе", "Нейросеть – помощник педагога: Нейросеть в начальной школе"),
    ],
)  # fmt: skip
def test_joined_title(outer, inner, expected):
    assert joined_title(outer, inner) == expected


@pytest.mark.django_db
def test_template_filter_and_the_cabinets_nearest_deadlines_say_it_once():
    enrollment = EnrollmentFactory()
    activity = ActivityFactory(season=enrollment.season, title="Нейросеть – помощник педагога")
    session = SessionFactory(activity=activity, title="Нейросеть – помощник педагога: модуль 1")

    html = Template("{% load session_titles %}{{ session|session_title }}").render(Context({"session": session}))
    assert html == "Нейросеть – помощник педагога: модуль 1"

    person = enrollment.person
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())
    labels = [item["label"] for item in deadlines_context(ctx)["items"]]
    assert "Нейросеть – помощник педагога: модуль 1" in labels
    assert not any(label.count("Нейросеть – помощник педагога") > 1 for label in labels)
