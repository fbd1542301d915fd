"""Сид 001, «Школа – Школе», ожидаемые результаты: «увеличение количества учителей, прошедших повышение
квалификации в соответствии с ИОМ» — the KPI «Учителя школ проекта «Школа – Школе», прошедшие ПК в соответствии с
ИОМ»: per year, the distinct teachers of the partner (ШНОР) schools of the pairs working in the year whose course
under ИОМ ended in that year, against the portal's default target «больше, чем в прошлом году» (the seed names no
number) or the coordinator's own target. Pairs through the real service, the courses through the real ДПО import
(and the admin form for the dates it refuses), all with explicit dates.
"""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from participants.models import ProfessionalDevelopment
from participants.services_training import professional_development_import
from projects.models import SchoolPair
from projects.services_school_pairs import school_pair_close, school_pair_create
from reports.kpi import KpiScope, KpiStatus, kpi_report, kpi_years
from reports.models import KpiTarget
from tests.factories import OrganisationFactory, PersonFactory, ProgramFactory, SeasonFactory
from tests.projects.school_pairs_world import build_world

pytestmark = pytest.mark.django_db

CODE = "shnor-teachers-trained-per-iom"
NOW = timezone.make_aware(datetime(2026, 12, 1, 12))
HEADERS = ["E-mail", "Программа", "Организация-провайдер", "Часы", "Дата окончания", "По ИОМ"]


@pytest.fixture
def w():
    world = build_world()
    # The pair works from 1 September 2025: in 2025 and in 2026.
    school_pair_create(
        season=world["season"], leader=world["leader"], partner=world["weak"], starts_on=date(2025, 9, 1)
    )
    return world


def _teacher(school, email):
    return PersonFactory(organisation=school, email=email, user=None)


def _courses(municipality, *rows):
    """(teacher, ends_on, under ИОМ) through the coordinator's ДПО import."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for n, (person, ends_on, iom) in enumerate(rows, start=1):
        ws.append([person.email, f"Адресная программа ПК {n}", "ИМЦ", "36", ends_on.strftime("%d.%m.%Y"), iom])
    buf = io.BytesIO()
    wb.save(buf)
    report = professional_development_import(
        file=SimpleUploadedFile("dpo.xlsx", buf.getvalue()), municipality=municipality, by=None
    )
    assert report.ok, report.lines()


def _result(w, year=2026, municipality=None):
    scope = KpiScope(year=year, municipality_id=(municipality or w["home"]).pk)
    (result,) = kpi_report(scope=scope, now=NOW, codes=[CODE])
    return result


def test_a_teacher_with_two_courses_under_iom_is_counted_once(w):
    anna, olga = _teacher(w["weak"], "anna@500.ru"), _teacher(w["weak"], "olga@500.ru")
    _courses(
        w["home"],
        (anna, date(2026, 3, 20), "да"),
        (anna, date(2026, 11, 20), "да"),
        (olga, date(2026, 5, 15), "да"),
        (olga, date(2026, 6, 1), "нет"),
    )
    result = _result(w)
    assert result.value == 2
    assert result.name == "Учителя школ проекта «Школа – Школе», прошедшие ПК в соответствии с ИОМ"


def test_a_course_is_counted_in_the_year_it_ended_31_december_vs_1_january(w):
    anna, olga = _teacher(w["weak"], "anna@500.ru"), _teacher(w["weak"], "olga@500.ru")
    _courses(w["home"], (anna, date(2025, 12, 31), "да"), (olga, date(2026, 1, 1), "да"))
    assert _result(w, 2025).value == 1
    assert _result(w, 2026).value == 1
    years = kpi_years(code=CODE, scope=KpiScope(year=2026, municipality_id=w["home"].pk), years=[2025, 2026], now=NOW)
    assert [(r.year, r.value) for r in years] == [(2025, 1), (2026, 1)]


def test_a_teacher_of_the_leader_school_is_not_counted(w):
    _courses(w["home"], (_teacher(w["leader"], "lead@358.ru"), date(2026, 4, 1), "да"))
    _courses(w["home"], (_teacher(w["weak2"], "unpaired@501.ru"), date(2026, 4, 1), "да"))  # ШНОР without a pair
    assert _result(w).value == 0


def test_another_municipalitys_teachers_are_not_counted(w):
    far_season = SeasonFactory(
        program=ProgramFactory(slug="shkola-shkole-far", title="Школа – Школе", municipality=w["other"]),
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 9, 30),
    )
    far_leader = OrganisationFactory(municipality=w["other"], short_name="МБОУ СОШ № 1")
    school_pair_create(season=far_season, leader=far_leader, partner=w["far"], starts_on=date(2025, 9, 1))
    _courses(w["other"], (_teacher(w["far"], "far@9.ru"), date(2026, 4, 1), "да"))
    _courses(w["home"], (_teacher(w["weak"], "anna@500.ru"), date(2026, 4, 1), "да"))
    assert _result(w).value == 1
    assert _result(w, municipality=w["other"]).value == 1


def test_more_than_last_year_is_achieved_with_the_portals_default_target(w):
    a, b, c = (_teacher(w["weak"], f"{n}@500.ru") for n in "abc")
    _courses(w["home"], (a, date(2025, 11, 10), "да"), (b, date(2026, 2, 10), "да"), (c, date(2026, 10, 10), "да"))
    result = _result(w)
    assert (result.value, result.target) == (2, Decimal(2))
    assert result.comparison == KpiTarget.Comparison.AT_LEAST
    assert result.status == KpiStatus.MET and result.status_label == "Достигнуто"
    assert result.target_label == "не менее 2 чел. (больше, чем 1 в 2025 году)"
    assert "«Школа – Школе», ожидаемые результаты" in result.target_source
    assert "значение портала по умолчанию, можно изменить" in result.target_source
    assert "больше, чем в прошлом году" in result.reading


def test_equal_to_last_year_is_not_achieved(w):
    a, b = _teacher(w["weak"], "a@500.ru"), _teacher(w["weak"], "b@500.ru")
    _courses(w["home"], (a, date(2025, 10, 1), "да"), (b, date(2026, 10, 1), "да"))
    result = _result(w)
    assert (result.value, result.target) == (1, Decimal(2))
    assert result.status == KpiStatus.MISSED and result.status_label == "Не достигнуто"


def test_the_first_year_of_pairs_has_no_data_for_last_year(w):
    _courses(w["home"], (_teacher(w["weak"], "a@500.ru"), date(2025, 10, 1), "да"))
    result = _result(w, 2025)
    assert result.value == 1 and result.target is None
    assert result.status == KpiStatus.NO_PREVIOUS and result.status_label == "Нет данных за прошлый год"
    assert result.target_label == "больше, чем в 2024 году — нет данных за 2024 год"


def test_a_year_without_any_pair_working_has_no_value_not_zero(w):
    (pair,) = SchoolPair.objects.all()
    school_pair_close(pair=pair, ends_on=date(2026, 6, 30))
    _courses(w["home"], (_teacher(w["weak"], "a@500.ru"), date(2027, 2, 1), "да"))  # after the pair's end
    result = _result(w, 2027)
    assert result.value is None and result.status == KpiStatus.NO_DATA
    assert result.note == "нет данных за год: в этом году не работала ни одна пара «Школа – Школе»"


def test_a_coordinators_explicit_target_overrides_the_default(w):
    _courses(w["home"], (_teacher(w["weak"], "a@500.ru"), date(2026, 10, 1), "да"))
    KpiTarget.objects.create(
        municipality=w["home"],
        code=CODE,
        title="Учителя школ ШНОР, прошедшие ПК по ИОМ",
        year=2026,
        value=Decimal(5),
        unit="чел.",
        comparison=KpiTarget.Comparison.AT_LEAST,
        source="Решение рабочей группы проекта от 01.09.2026",
    )
    result = _result(w)
    assert result.target == Decimal(5) and result.status == KpiStatus.MISSED
    assert result.target_source == "Решение рабочей группы проекта от 01.09.2026"


def test_each_year_against_the_year_before_in_one_pass(w, django_assert_num_queries):
    people = [_teacher(w["weak"], f"t{n}@500.ru") for n in range(3)]
    _courses(
        w["home"],
        (people[0], date(2025, 10, 1), "да"),
        (people[1], date(2026, 3, 1), "да"),
        (people[2], date(2026, 4, 1), "да"),
    )
    scope = KpiScope(year=2026, municipality_id=w["home"].pk)
    # The targets, then the partner schools' query for all the years at once (a UNION ALL).
    with django_assert_num_queries(2):
        years = kpi_years(code=CODE, scope=scope, years=[2024, 2025, 2026], now=NOW)
    assert [(r.year, r.value, r.status) for r in years] == [
        (2024, None, KpiStatus.NO_DATA),
        (2025, 1, KpiStatus.NO_PREVIOUS),
        (2026, 2, KpiStatus.MET),
    ]


@pytest.mark.parametrize("day", ["01.01.0001", "31.12.9999"])
def test_a_course_ending_in_year_1_or_9999_is_refused_by_the_form(client, w, day):
    coordinator = w["users"]["coordinator"]
    coordinator.user_permissions.set(Permission.objects.filter(content_type__app_label="participants"))
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:participants_professionaldevelopment_add"),
        {
            "person": _teacher(w["weak"], "a@500.ru").pk,
            "course_title": "Адресная программа ПК",
            "provider": "ИМЦ",
            "hours": "36",
            "ends_on": day,
            "per_individual_route": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ends_on"] == ["Укажите дату между 01.01.1900 и 31.12.2100."]
    assert not ProfessionalDevelopment.objects.exists()
