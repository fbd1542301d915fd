"""Word units agree with the number in Russian and English, on the pages and in the charts."""

import pytest
from django.utils import translation

from reports.charts import Point, bar_chart
from reports.formatting import kpi_number_format
from reports.kpi import EVENTS, PERCENT, POINTS, unit_for
from reports.templatetags.kpi_format import kpi_value


@pytest.mark.parametrize(
    ("value", "events", "points"),
    [
        (1, "1 мероприятие", "1 балл"),
        (3, "3 мероприятия", "3 балла"),
        (5, "5 мероприятий", "5 баллов"),
        (11, "11 мероприятий", "11 баллов"),
        (21, "21 мероприятие", "21 балл"),
        (2.1, "2,1 мероприятия", "2,1 балла"),
        (4.0, "4 мероприятия", "4 балла"),
    ],
)
def test_russian_forms(value, events, points):
    with translation.override("ru"):
        assert kpi_value(value, str(EVENTS)) == events
        assert kpi_value(value, str(POINTS)) == points
        assert kpi_value(value, PERCENT) == f"{events.split()[0]} %"


def test_english_forms_and_units_that_are_not_words():
    with translation.override("en"):
        assert kpi_value(1, str(EVENTS)) == "1 event" and kpi_value(2, str(EVENTS)) == "2 events"
        assert kpi_value(2.5, str(POINTS)) == "2.5 points"
        assert kpi_value(None, str(POINTS)) == "no data"
    assert unit_for(7, "ч") == "ч"


def test_chart_labels_agree_too():
    with translation.override("ru"):
        svg = bar_chart(title="Мероприятия", points=[Point("2025", 1), Point("2026", 3)], unit=str(EVENTS))
    assert (
        "1 мероприятие" in svg and "3 мероприятия" in svg and "мероприятий" in svg
    )  # the axis starts at «0 мероприятий»


@pytest.mark.parametrize(
    ("value", "unit", "number_format", "printed"),
    [
        (2, EVENTS, '#,##0" мероприятия"', "2 мероприятия"),
        (5, EVENTS, '#,##0" мероприятий"', "5 мероприятий"),
        (2.1, POINTS, '#,##0.0" балла"', "2,1 балла"),
        (27.2, PERCENT, '#,##0.0" %"', "27,2 %"),
        (25.0, PERCENT, '#,##0" %"', "25 %"),
        (7, "", "#,##0", "7"),
    ],
)
def test_the_workbooks_number_format_prints_what_the_dashboard_prints(value, unit, number_format, printed):
    """One rule for both: the cell's format has the dashboard's decimals and unit word, never «27,2 % %»."""
    with translation.override("ru"):
        assert kpi_number_format(value, str(unit)) == number_format
        assert kpi_value(value, str(unit)) == printed
        word = printed.split(" ", 1)[1] if " " in printed else ""
        assert number_format.endswith(f'" {word}"' if word else "0")


def test_a_cell_without_a_value_keeps_the_units_plain_format():
    with translation.override("ru"):
        assert kpi_number_format(None, PERCENT) == '#,##0" %"'
        assert kpi_number_format(None, str(POINTS)) == '#,##0" баллов"'
