"""Helpers shared by the program templates: aware datetimes in a season's zone and common lists."""

from datetime import datetime
from zoneinfo import ZoneInfo


def zoned(time_zone: str):
    """A function building aware datetimes in `time_zone`: at(2024, 10, 8, 15, 0)."""
    tz = ZoneInfo(time_zone)

    def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
        return datetime(year, month, day, hour, minute, tzinfo=tz)

    return at


def session(at, year: int, month: int, day: int, start: str, end: str, title: str = "", place: str = "") -> dict:
    """One meeting on a day, from `start` to `end` ("15:00") in the season's zone."""
    sh, sm = (int(p) for p in start.split(":"))
    eh, em = (int(p) for p in end.split(":"))
    return {
        "title": title,
        "starts_at": at(year, month, day, sh, sm),
        "ends_at": at(year, month, day, eh, em),
        "place": place,
    }


SCHOOL_SUBJECTS = [
    "Русский язык",
    "Литература",
    "Математика",
    "Информатика",
    "Физика",
    "Химия",
    "Биология",
    "География",
    "История",
    "Обществознание",
    "Иностранный язык",
    "Начальные классы",
]


def levels(*descriptions: str) -> list[str]:
    """Level descriptions from 0 points up to the maximum, as RubricCriterion.levels expects."""
    return list(descriptions)
