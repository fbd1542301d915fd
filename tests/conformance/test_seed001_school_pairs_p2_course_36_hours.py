"""Сид 001, «Школа – Школе», пункт 2 плана (октябрь-ноябрь): «Реализация программы повышения квалификации учителей
«Актуальные проблемы повышения качества образовательных результатов учащихся» (36 часов)» — an addressed course for
the teachers of the schools with low results; the seminars, round tables, master classes and open lessons of
пункты 3–5 are open exchange of experience without a certificate."""

from collections import Counter
from datetime import date

import pytest

from activities.models import ActivityAudience
from programs.program_templates.imc_cascade import shkola_shkole
from programs.templates_service import program_template_apply

pytestmark = pytest.mark.django_db


def test_the_36_hour_course_certifies_in_october_november_and_the_exchange_is_open():
    season = program_template_apply(template=shkola_shkole(date(2026, 12, 7)), changes=Counter())

    course = season.activities.get(title__startswith="Программа повышения квалификации")
    assert (course.hours, course.gives_certificate, course.audience) == (36, True, ActivityAudience.INVITED)
    assert (course.module.starts_on, course.module.ends_on) == (date(2026, 10, 1), date(2026, 11, 30))
    exchange = season.activities.exclude(pk=course.pk)
    assert exchange.count() == 1 + 2 + 5 + 5  # пункт 2 round table, пункт 3, пункты 4 and 5
    assert set(exchange.values_list("audience", "gives_certificate", "is_mandatory")) == {
        (ActivityAudience.OPEN, False, False)
    }
    assert set(exchange.filter(module__order=4).values_list("title", flat=True)) == {
        "Мастер-класс «Подготовка к написанию изложения и сочинения ОГЭ, ЕГЭ»",
        "Мастер-класс «Подготовка к решению части В»",
        "Круглый стол по вопросам реализации ВСОКО",
        "Открытые уроки учителей школ-партнеров",
        "Круглый стол по подготовке учащихся к ВПР",
    }
