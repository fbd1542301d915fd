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


def hostile_date() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(["0001-01-01", "9999-12-31", "31.02.2020", "2020-13-01", "", "сегодня", "1990-04-12"]),
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
