"""Сид 001, «Тьютор в федеральном проекте «Демография»»: программа ПК «Современная педагогика как пространство для
самореализации» (144 ч.) — дистанционный модуль на платформе ODIN с тьютором, модуль по выбору, стажировка как ИОМ
каждого курсанта; «Зачет принимается 22.11.2021 г. комиссией ТГУ»; «экспериментальная группа (30 педагогов)»."""

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from activities.models import ActivityAudience
from programs.program_templates.imc_cascade import tyutor_demografiya
from programs.templates_service import program_template_apply

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")


def test_the_credit_of_22_november_certifies_the_144_hour_course():
    season = program_template_apply(template=tyutor_demografiya(date(2026, 12, 7)), changes=Counter())

    assert season.capacity == 30
    assert season.registration_opens_at.astimezone(MSK).date() == date(2026, 9, 1)  # «Набор слушателей: сентябрь»
    credit = season.activities.get(module__title="Зачет")
    assert credit.gives_certificate and credit.hours == 144
    assert credit.sessions.get().starts_at.astimezone(MSK).date() == date(2026, 11, 22)
    modules = [a for a in season.activities.order_by("module__order") if a != credit]
    assert [a.module.title for a in modules] == [
        "Дистанционный модуль на платформе ODIN",
        "Технологический модуль (по выбору)",
        "Стажировочный модуль",
    ]
    assert all(a.is_mandatory for a in season.activities.all())
    internship = modules[2]
    assert internship.audience == ActivityAudience.INVITED  # the course's internship is each teacher's own route
    assert season.expert_roles.filter(role="tutor").exists()
