"""One reader of education, category and experience for both imports (registrations and the staff roster)."""

import pytest

from participants.imports import MAX_EXPERIENCE_YEARS, read_qualifications
from participants.models import Person
from programs.models import EducationLevel


class Row:
    def __init__(self, **cells):
        self.cells, self.problems = cells, []

    def get(self, key):
        return self.cells.get(key, "")

    def problem(self, key, message):
        self.problems.append((key, message))


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("12", 12),
        ("3 года", 3),
        ("1 год", 1),
        ("25 лет", 25),
        ("12,5", 12),
        ("7.5 лет", 7),
        ("Стаж: 4 г.", 4),
        (str(MAX_EXPERIENCE_YEARS), MAX_EXPERIENCE_YEARS),
    ],
)
def test_experience_in_whole_years(text, years):
    row = Row(experience_years=text)
    assert read_qualifications(row)[2] == years
    assert row.problems == []


@pytest.mark.parametrize("text", ["более 10", "десять", "-3", str(MAX_EXPERIENCE_YEARS + 1), "12 месяцев", "1990"])
def test_unreadable_experience_is_reported_on_its_cell(text):
    row = Row(experience_years=text)
    assert read_qualifications(row)[2] is None
    assert [key for key, _message in row.problems] == ["experience_years"]
    assert f"«{text}»" in row.problems[0][1]


def test_education_and_category_read_or_reported():
    row = Row(education_level="Высшее педагогическое", category="Первая")
    assert read_qualifications(row) == (EducationLevel.HIGHER, Person.Category.FIRST, None)
    assert row.problems == []
    row = Row(education_level="курсы", category="вторая")
    assert read_qualifications(row)[:2] == ("", None)
    assert [key for key, _message in row.problems] == ["education_level", "category"]


def test_empty_cells_are_no_problem():
    row = Row()
    assert read_qualifications(row) == ("", Person.Category.NONE, None)
    assert row.problems == []
