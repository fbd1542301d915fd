from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.points import points_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("17.50"), "17,5"),
        (Decimal("24.00"), "24"),
        (Decimal("100"), "100"),
        (Decimal("6.25"), "6,25"),
        (Decimal("0.00"), "0"),
        (3, "3"),
        (None, ""),
    ],
)
def test_a_score_is_written_without_trailing_zeros_and_with_a_decimal_comma(value, text):
    with translation.override("ru"):
        assert points_text(value) == text


def test_english_gets_its_decimal_point():
    with translation.override("en"):
        assert points_text(Decimal("17.50")) == "17.5"


def test_the_template_filter_prints_the_same_text():
    with translation.override("ru"):
        html = Template("{% load points %}{{ score|points }} из {{ top|points }}").render(
            Context({"score": Decimal("17.50"), "top": Decimal("24.00")})
        )
    assert html == "17,5 из 24"
