from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.html import strip_tags

from programs.templatetags.portal_tags import registration_window

YEKT = ZoneInfo("Asia/Yekaterinburg")


def _render(opens, closes):
    with translation.override("ru"), timezone.override(YEKT):
        return str(registration_window(opens, closes))


def test_midnight_to_midnight_reads_as_days_with_the_last_day_included():
    html = _render(datetime(2024, 9, 10, tzinfo=YEKT), datetime(2024, 9, 24, tzinfo=YEKT))
    assert strip_tags(html) == "10 – 23 сентября 2024"
    # Two <time> elements, each a date: HTML's datetime attribute never holds a range.
    assert html == '<time datetime="2024-09-10">10</time> – <time datetime="2024-09-23">23 сентября 2024</time>'


def test_one_day_is_one_time_element():
    html = _render(datetime(2024, 9, 10, tzinfo=YEKT), datetime(2024, 9, 11, tzinfo=YEKT))
    assert html == '<time datetime="2024-09-10">10 сентября 2024</time>'


def test_window_across_months_and_years():
    assert "28 декабря 2024 – 9 января 2025" in strip_tags(
        _render(datetime(2024, 12, 28, tzinfo=YEKT), datetime(2025, 1, 10, tzinfo=YEKT))
    )
    assert "25 сентября – 1 октября 2024" in strip_tags(
        _render(datetime(2024, 9, 25, tzinfo=YEKT), datetime(2024, 10, 2, tzinfo=YEKT))
    )


def test_window_with_times_keeps_them_in_the_season_zone():
    utc = ZoneInfo("UTC")
    html = _render(datetime(2024, 9, 10, 4, 0, 7, 123456, tzinfo=utc), datetime(2024, 9, 23, 13, 0, tzinfo=utc))
    assert strip_tags(html) == "10 сентября 2024, 09:00 – 23 сентября 2024, 18:00"
    # Each end a moment to the second with its offset: no microseconds, no range.
    assert 'datetime="2024-09-10T09:00:07+05:00"' in html
    assert 'datetime="2024-09-23T18:00:00+05:00"' in html
