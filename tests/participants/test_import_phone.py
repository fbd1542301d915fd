"""An imported phone is held to the registration form's rule (participants.phones): «123» is a cell problem."""

import pytest
from django.core.exceptions import ValidationError

from core.tables import Table
from participants import imports
from participants.forms import RegistrationForm
from tests.factories import OrganisationFactory, SeasonFactory

pytestmark = pytest.mark.django_db

HEADERS = ["Адрес электронной почты", "Фамилия", "Имя", "Телефон", "Образовательная организация", "Согласие"]


def _check(*phones):
    season = SeasonFactory()
    OrganisationFactory(municipality=season.program.municipality, short_name="МБОУ СОШ № 2", name="МБОУ СОШ № 2")
    rows = [
        (n + 2, [f"teacher{n}@example.ru", "Иванова", f"Мария{n}", phone, "МБОУ СОШ № 2", "Да"])
        for n, phone in enumerate(phones)
    ]
    table = Table(headers=HEADERS, rows=rows)
    return imports.check_rows(table=table, mapping=imports.guess_mapping(HEADERS), season=season)


def test_a_short_phone_is_a_russian_problem_on_its_cell_and_nothing_is_taken():
    result = _check("123", "+7 900 123-45-67", "8 (34678) 2-13-45", "")
    assert [(p.row_number, p.column, p.message) for p in result.problems] == [
        (2, "phone", "Телефон «123» записан неверно: нужен номер цифрами, например +7 900 123-45-67.")
    ]
    assert [r.phone for r in result.rows] == ["+7 900 123-45-67", "8 (34678) 2-13-45", ""]


def test_letters_in_a_phone_are_refused_as_on_registration():
    result = _check("+7 900 ABC-45-67")
    assert [p.column for p in result.problems] == ["phone"]
    with pytest.raises(ValidationError) as refused:
        RegistrationForm.base_fields["phone"].clean("+7 900 ABC-45-67")
    assert refused.value.messages == ["Введите номер телефона цифрами, например +7 900 123-45-67."]
