"""Scores as people write them: «17,5 из 24», never «17,50» or «24,00». One formatter for pages, letters and
the admin, so a score reads the same wherever the portal shows it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format


def points_text(value) -> str:
    """12.50 → «12,5», 24.00 → «24», 6.25 → «6,25» (the active language's decimal mark); None → «»."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return number_format(number, use_l10n=True)
