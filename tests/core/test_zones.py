"""core.zones: every Russian zone of the map named by its city and its distance from Moscow, at the moment."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from core.zones import ZONE_CITIES, utc_words, zone_words

WINTER = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)

EXPECTED = {
    "Europe/Kaliningrad": "время Калининграда, МСК−1",
    "Europe/Kirov": "время Кирова, МСК",
    "Europe/Volgograd": "время Волгограда, МСК",
    "Europe/Astrakhan": "время Астрахани, МСК+1",
    "Europe/Saratov": "время Саратова, МСК+1",
    "Europe/Ulyanovsk": "время Ульяновска, МСК+1",
    "Europe/Samara": "время Самары, МСК+1",
    "Asia/Yekaterinburg": "время Екатеринбурга, МСК+2",
    "Asia/Omsk": "время Омска, МСК+3",
    "Asia/Novosibirsk": "время Новосибирска, МСК+4",
    "Asia/Barnaul": "время Барнаула, МСК+4",
    "Asia/Tomsk": "время Томска, МСК+4",
    "Asia/Novokuznetsk": "время Новокузнецка, МСК+4",
    "Asia/Krasnoyarsk": "время Красноярска, МСК+4",
    "Asia/Irkutsk": "время Иркутска, МСК+5",
    "Asia/Chita": "время Читы, МСК+6",
    "Asia/Yakutsk": "время Якутска, МСК+6",
    "Asia/Khandyga": "время Хандыги, МСК+6",
    "Asia/Vladivostok": "время Владивостока, МСК+7",
    "Asia/Ust-Nera": "время Усть-Неры, МСК+7",
    "Asia/Magadan": "время Магадана, МСК+8",
    "Asia/Sakhalin": "время Южно-Сахалинска, МСК+8",
    "Asia/Srednekolymsk": "время Среднеколымска, МСК+8",
    "Asia/Kamchatka": "время Петропавловска-Камчатского, МСК+9",
    "Asia/Anadyr": "время Анадыря, МСК+9",
}


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


def test_the_map_and_the_expectations_name_the_same_zones():
    assert set(ZONE_CITIES) == set(EXPECTED)


@pytest.mark.parametrize(("key", "words"), sorted(EXPECTED.items()))
def test_every_zone_of_the_map_reads_as_its_city_and_moscow_offset(key, words):
    assert zone_words(key, WINTER) == words
    assert zone_words(ZoneInfo(key), WINTER) == words


def test_moscow_is_moscow_time_by_name_and_by_its_old_alias():
    assert zone_words("Europe/Moscow", WINTER) == "московское время"
    assert zone_words(ZoneInfo("W-SU"), WINTER) == "московское время"


def test_the_offset_is_the_zones_at_that_moment():
    # Volgograd was UTC+4 from 28.10.2018 to 27.12.2020, Saratov UTC+3 until 04.12.2016.
    assert zone_words("Europe/Volgograd", datetime(2019, 6, 1, tzinfo=UTC)) == "время Волгограда, МСК+1"
    assert zone_words("Europe/Saratov", datetime(2015, 6, 1, tzinfo=UTC)) == "время Саратова, МСК"
    # Moscow itself was UTC+4 in 2011–2014: Yekaterinburg (UTC+6 then) was still МСК+2.
    assert zone_words("Asia/Yekaterinburg", datetime(2013, 6, 1, tzinfo=UTC)) == "время Екатеринбурга, МСК+2"


def test_a_zone_outside_the_map_falls_back_to_utc_and_dst_is_followed():
    assert zone_words("Asia/Kolkata", WINTER) == "UTC+5:30"
    assert zone_words("UTC", WINTER) == "UTC"
    # Berlin keeps summer time: UTC+1 in winter, UTC+2 in summer.
    assert zone_words("Europe/Berlin", WINTER) == "UTC+1"
    assert zone_words("Europe/Berlin", datetime(2025, 7, 1, tzinfo=UTC)) == "UTC+2"
    assert utc_words("America/Sao_Paulo", WINTER) == "UTC−3"


def test_an_unknown_or_empty_zone_is_the_portals(settings):
    settings.TIME_ZONE = "Europe/Moscow"
    assert zone_words("", WINTER) == "московское время"
    assert zone_words("Not/AZone", WINTER) == "московское время"


def test_template_filter_takes_the_zone_and_the_moment():
    html = Template("{% load zones %}{{ tz|zone_words:at }}").render(Context({"tz": "Asia/Vladivostok", "at": WINTER}))
    assert html == "время Владивостока, МСК+7"
