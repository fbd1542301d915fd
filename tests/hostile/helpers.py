"""What the hostile-input tests share: the strings people (or attackers) type, a rolled-back savepoint per
example, row counts to prove nothing was half-saved, and the checks that a page or a form speaks Russian."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction
from hypothesis import strategies as st

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}"
MARKUP = (SCRIPT, IMG, "<b>жирный</b>", "</textarea><svg onload=alert(1)>", "javascript:alert(1)")
# Markup, template syntax, formulas, quotes, SQL, direction overrides, combining marks, astral characters,
# control characters (NUL included: PostgreSQL refuses it in text), whitespace only.
PAYLOADS = (
    *MARKUP,
    TEMPLATE,
    "{% debug %}",
    "${7*7}",
    '=HYPERLINK("http://evil.example/","Нажми")',
    "=1+1",
    "+7 900 000-00-00",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "'; DROP TABLE participants_person; --",
    "Robert'); --",
    "\u202eтекст",
    "Ёлка\u0301",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "   ",
    "",
    "Петрова-Водкина",
    "x" * 5000,
)


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """A payload, arbitrary text, or the two glued together."""
    payload = st.sampled_from(PAYLOADS)
    return st.one_of(payload, st.text(max_size=max_size), st.builds(lambda a, b: a + b, st.text(max_size=10), payload))


def hostile_number() -> st.SearchStrategy[str]:
    """What lands in a number field: numbers of every size and sign, and things that are not numbers."""
    return st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(["", "1e9", "NaN", "inf", "-0", "0x10", "1,5", "٣", "12 лет", "9" * 40]),
        hostile_text(12),
    )


# Dates people and attackers type: the ends of Python's calendar (an aware year 1 or 9999 overflows when
# converted to UTC), just outside the portal's bounds (1900–2100), years of 0 and of five digits, impossible days,
# the Moscow clock changes (2011-03-27 02:30 did not exist, 2014-10-26 01:30 happened twice) and explicit offsets.
DATE_TEXTS = (
    "0001-01-01",
    "01.01.0001",
    "9999-12-31",
    "31.12.9999",
    "1899-12-31",
    "2101-01-01",
    "1900-01-01",
    "2100-12-31",
    "0000-01-01",
    "00.00.0000",
    "10000-01-01",
    "99999-12-31",
    "-0001-01-01",
    "2020-02-30",
    "31.02.2020",
    "2020-13-01",
    "1990-04-12",
    "",
    "сегодня",
)
DATETIME_TEXTS = (
    "0001-01-01T00:00",
    "01.01.0001 00:00",
    "9999-12-31T23:59",
    "31.12.9999 23:59",
    "0001-01-01T00:00+14:00",
    "9999-12-31T23:59-12:00",
    "1899-12-31T23:59",
    "2101-01-01T00:00",
    "1900-01-01T00:00",
    "2011-03-27T02:30",
    "2014-10-26T01:30",
    "2020-02-30T10:00",
    "2020-01-01T24:00",
    "10000-01-01T00:00",
    "",
)


def _typed(moment, with_time: bool) -> st.SearchStrategy[str]:
    """A date as the browser (ISO) or a person (ДД.ММ.ГГГГ) types it; strftime would drop a year's zeros."""
    iso = f"{moment.year:04}-{moment.month:02}-{moment.day:02}"
    ru = f"{moment.day:02}.{moment.month:02}.{moment.year:04}"
    if with_time:
        clock = f"{moment.hour:02}:{moment.minute:02}"
        return st.sampled_from([f"{iso}T{clock}", f"{ru} {clock}", f"{iso} {clock}"])
    return st.sampled_from([iso, ru])


def hostile_date(*, with_time: bool = False) -> st.SearchStrategy[str]:
    """What lands in a date (or date-time) field: any day of years 1–9999, the edges, and things not dates."""
    return st.one_of(
        st.sampled_from(DATETIME_TEXTS + DATE_TEXTS if with_time else DATE_TEXTS),
        st.datetimes().flatmap(lambda moment: _typed(moment, with_time)),
        hostile_text(12),
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    """One example's writes, undone before the next (a savepoint inside the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def row_counts(labels: Iterable[str]) -> dict[str, int]:
    """Rows per model ("app_label.Model"), to show a refused input left the database as it was."""
    return {label: apps.get_model(label).objects.count() for label in labels}


_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def assert_russian(messages: Iterable[str]) -> None:
    messages = [str(m) for m in messages]
    assert messages, "a refusal without any message"
    for message in messages:
        assert _CYRILLIC.search(message), f"not a Russian message: {message!r}"


def form_errors(response, name: str = "form") -> list[str]:
    form = response.context[name]
    return [str(e) for errors in form.errors.values() for e in errors]


def assert_escaped(page: str, value: str) -> None:
    """The markup of `value` shows as text: escaped in the page, never raw."""
    assert html.escape(value, quote=False) in page or html.escape(value) in page
    for raw in ("<script>alert(1)", "<img src=x onerror", "<svg onload", "<b>жирный</b>"):
        if raw in value:
            assert raw not in page, f"raw markup {raw!r} in the page"
