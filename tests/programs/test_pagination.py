"""core.pagination.window_page: a page and whether a next one exists, in one query, without a COUNT."""

import pytest

from core.pagination import window_page
from programs.models import Subject


@pytest.fixture
def subjects(db):
    Subject.objects.all().delete()
    return [Subject.objects.create(name=f"Предмет {i:02d}") for i in range(7)]


def test_pages_of_three(subjects, django_assert_num_queries):
    qs = Subject.objects.order_by("name")
    with django_assert_num_queries(1):
        first = window_page(qs, 3, None)
    assert [s.name for s in first] == ["Предмет 00", "Предмет 01", "Предмет 02"]
    assert (first.number, first.has_next, first.has_previous(), first.has_other_pages()) == (1, True, False, True)
    assert first.next_page_number() == 2
    last = window_page(qs, 3, "3")
    assert [s.name for s in last] == ["Предмет 06"] and len(last) == 1
    assert (last.has_next, last.has_previous(), last.previous_page_number()) == (False, True, 2)


def test_exactly_full_page_has_no_next(subjects):
    page = window_page(Subject.objects.order_by("name"), 7, 1)
    assert len(page) == 7 and not page.has_next and not page.has_other_pages()


@pytest.mark.parametrize("number", ["0", "-2", "x", "", None, "9"])
def test_malformed_or_past_the_end_is_the_first_page(subjects, number):
    page = window_page(Subject.objects.order_by("name"), 3, number)
    assert page.number == 1 and [s.name for s in page][0] == "Предмет 00"


def test_empty_list(db):
    Subject.objects.all().delete()
    page = window_page(Subject.objects.order_by("name"), 3, "2")
    assert list(page) == [] and page.number == 1 and not page.has_other_pages()
