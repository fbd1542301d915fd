"""Pages of a long list without counting it: one query for the page and whether there is a next one.

Django's Paginator counts the whole filtered set before it slices it — a second run of the same query. For a
work queue whose filter is expensive (the expert's review queue joins reviews and assignments per row) and
whose page shows only «Назад» / «Дальше», the count is wasted: a page here fetches one row more than it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class WindowPage:
    """The parts of django.core.paginator.Page a previous / next navigation uses."""

    object_list: Sequence
    number: int
    has_next: bool

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def __len__(self) -> int:
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)


def window_page(queryset: QuerySet, per_page: int, number: object) -> WindowPage:
    """Page `number` (as in ?page=; anything not a positive integer is page 1) of the queryset: one query. A page
    past the end falls back to the first page (a second query), as a list whose rows were taken meanwhile."""
    try:
        page = max(1, int(str(number)))
    except (TypeError, ValueError):
        page = 1
    start = (page - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and page > 1:
        return window_page(queryset, per_page, 1)
    return WindowPage(object_list=rows[:per_page], number=page, has_next=len(rows) > per_page)
