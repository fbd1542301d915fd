"""core.date_text: the same text as Django's date formatting, for every month, weekday and language."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation

from core.date_text import _FAST, date_text, datetime_attribute

MOMENTS = [
    datetime(2024, 1, 1, 0, 0, tzinfo=UTC) + timedelta(days=day * 17, hours=day * 5, minutes=day * 7)
    for day in range(60)
] + [datetime(2025, 3, 9, 9, 5, 30, 123456, tzinfo=ZoneInfo("Asia/Yekaterinburg")), datetime(2026, 12, 31, 23, 59)]
DAYS = [date(2024, month, day) for month in range(1, 13) for day in (1, 9, 28)]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("fmt", [*_FAST, "d.m.Y", "D, j M"])
def test_the_text_is_django_s_for_moments_and_days(language, fmt):
    with translation.override(language):
        for value in MOMENTS:
            assert date_text(value, fmt) == formats.date_format(value, fmt)
        for value in DAYS:
            if "H" in fmt:
                with pytest.raises(TypeError):
                    date_text(value, fmt)  # as Django: a date has no time
            else:
                assert date_text(value, fmt) == formats.date_format(value, fmt)


def test_russian_months_read_in_the_genitive():
    with translation.override("ru"):
        assert date_text(datetime(2026, 3, 8, 9, 5), "j E Y, H:i") == "8 марта 2026, 09:05"


@pytest.mark.parametrize("fmt", ["j E Y, H:i", "c", "j E Y", "l"])
def test_the_filter_equals_date_in_a_time_zone_block(fmt):
    source = "{%% load tz date_text %%}{%% timezone zone %%}{{ v|date:'%s' }}|{{ v|date_text:'%s' }}{%% endtimezone %%}"
    template = Template(source % (fmt, fmt))
    with translation.override("ru"):
        for value in MOMENTS[:20]:
            for zone in ("Asia/Yekaterinburg", "Asia/Vladivostok", "Europe/Moscow"):
                django, ours = template.render(Context({"v": value, "zone": zone})).split("|")
                assert ours == django


def test_the_filter_is_empty_for_nothing_like_date():
    template = Template("{% load date_text %}[{{ v|date_text:'j E Y' }}]")
    assert template.render(Context({"v": None})) == "[]"
    assert template.render(Context({"v": ""})) == "[]"


def test_datetime_attribute_is_a_date_or_a_moment_to_the_second():
    assert datetime_attribute(date(2024, 9, 10)) == "2024-09-10"
    assert datetime_attribute(datetime(2024, 9, 10, 9, 5, 7, 654321, tzinfo=UTC)) == "2024-09-10T09:05:07+00:00"


def test_datetime_attr_filter_is_in_the_active_zone():
    template = Template("{% load date_text %}{{ at|datetime_attr }}")
    with timezone.override(ZoneInfo("Asia/Yekaterinburg")):
        text = template.render(Context({"at": datetime(2024, 9, 10, 4, 0, 0, 999, tzinfo=UTC)}))
    assert text == "2024-09-10T09:00:00+05:00"
    assert Template("{% load date_text %}{{ at|datetime_attr }}").render(Context({"at": None})) == ""
