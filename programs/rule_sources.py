"""Where each season rule comes from: the order and clause, or the portal's default.

«The orders are the law»: a rule that decides an outcome (exclusion, certificate, rating, registration) is
shown with its source. The program templates record the clause for every rule their order fixes in
`Season.rule_sources` (rule key → source text), using the citations below; a rule without a recorded source
reads DEFAULT_SOURCE; a rule a coordinator moved away from the template's value reads «изменено
координатором <дата>». This module is the one place those texts live.

It imports no model, so that `programs.models` and the templates may import it.
"""

from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_SOURCE = _("значение портала по умолчанию, можно изменить")


def changed_source(day: date) -> str:
    """The source of a rule a coordinator changed away from the order's (or the portal's) value on `day`."""
    return gettext("изменено координатором %(date)s") % {"date": formats.date_format(day, "d.m.Y")}


# --- The orders, as the seeds write their numbers and dates ---------------------------------------------------

# Seed 000: the order approves «Положение» (its appendix); the clauses below are the Положение's.
ORDER_643 = "Приказ № 643-од от 09.09.2024"
ORDER_643_POLOZHENIE = f"{ORDER_643}, положение о проекте «Прогрессивный педагог»"
# Seed 004: the order approves «Положение об оказании методической помощи …» with sections I–III.
ORDER_18 = "Приказ МКУ «Центр развития образования и оценки качества» № 18 от 10.02.2021"
ORDER_18_POLOZHENIE = f"{ORDER_18}, Положение о Методическом абонементе"
# Seed 003: the order approves the municipal project (приложение № 1) with results and yearly indicators.
ORDER_223_1 = "Приказ № 223/1 от 17.05.2022"
ORDER_223_1_PROJECT = f"{ORDER_223_1}, муниципальный проект «Педкластер 27»"
# Seed 002: the regulation of the municipal system, its yearly targets in §6.2.
ORDER_1063 = "Приказ № 1063-од от 23.11.2023"
ORDER_1063_TARGETS = f"{ORDER_1063}, п. 6.2 (минимальное значение, в год)"
# Seed 001: the methodical centre's cascade of projects (no order number); «Школа – Школе» lists its expected results.
CASCADE_001 = "Проект «Каскад инициативных проектов» ИМЦ Московского района"
SCHOOL_TO_SCHOOL_RESULTS = f"{CASCADE_001}, проект «Школа – Школе», ожидаемые результаты"


def clause(document: str, where: str, note: str = "") -> str:
    """«<document>, п. 5.5 (note)»: a citation in one shape everywhere."""
    text = f"{document}, {where}"
    return f"{text} ({note})" if note else text


# The order-fixed rules of each ready template (rule key → source). A key is a Season field or one of
# NON_FIELD_RULES. What an order does not say is left out and reads DEFAULT_SOURCE.
_P643 = ORDER_643_POLOZHENIE
PROGRESSIVE_TEACHER = {
    "starts_on": clause(_P643, "разд. 3", "тематические направления на 2024-2025 учебный год: сентябрь – июнь"),
    "ends_on": clause(_P643, "разд. 3", "«Первый выпуск! Итоги Программы» — июнь"),
    "registration_opens_at": clause(_P643, "п. 5.2", "регистрация с 10 по 23 сентября 2024 года"),
    "registration_closes_at": clause(_P643, "п. 5.2", "регистрация с 10 по 23 сентября 2024 года"),
    "requires_approval": clause(_P643, "п. 2.2", "определить участников и разделить их по группам"),
    "eligible_education_levels": clause(_P643, "п. 4.1", "высшее или среднее профессиональное образование"),
    "exclusion_policy": clause(
        _P643, "п. 5.5", "исключение; подтверждение координатором — значение портала по умолчанию, можно изменить"
    ),
    "exclude_on_unexcused_absence": clause(_P643, "п. 4.4, 5.5", "участие во всех мероприятиях Проекта"),
    "exclude_on_missed_video": clause(_P643, "п. 4.4, 5.5", "своевременная отправка видеоуроков"),
    "chat_join_days": clause(
        _P643,
        "п. 4.4, 5.5, 5.7",
        "вступление в чат информирования участников; срок в днях — значение портала по умолчанию, можно изменить",
    ),
    "certificates": clause(_P643, "п. 5.9", "кроме встреч получения обратной связи"),
    "rating": clause(_P643, "п. 5.8", "рейтинг участников, формируемый экспертной группой Проекта"),
    "review_by_subject_methodist": clause(_P643, "п. 1.4", "методист дает обратную связь по видеозаписям уроков"),
    "visit_period": clause(
        _P643,
        "п. 1.4, 2.2",
        "куратор ежемесячно посещает уроки каждого участника; методист или куратор — не менее раза в квартал",
    ),
}

_SILENT_18 = f"{ORDER_18_POLOZHENIE}: оснований для исключения не называет"
METHODICAL_SUBSCRIPTION = {
    "starts_on": clause(ORDER_18, "п. 2", "методическая помощь в 2021 году"),
    "ends_on": clause(ORDER_18, "п. 2", "методическая помощь в 2021 году"),
    "requires_approval": clause(
        ORDER_18_POLOZHENIE, "разд. III, п. 2", "согласование письменного обращения общеобразовательной организации"
    ),
    "exclude_on_unexcused_absence": _SILENT_18,
    "exclude_on_missed_video": _SILENT_18,
    "chat_join_days": _SILENT_18,
}

_SILENT_223_1 = f"{ORDER_223_1_PROJECT}: оснований для исключения не называет"
PEDCLUSTER27 = {
    "starts_on": clause(ORDER_223_1, "п. 1", "проект утверждён 17.05.2022"),
    "ends_on": clause(ORDER_223_1_PROJECT, "показатели реализации проекта", "2021–2023 годы"),
    "exclude_on_unexcused_absence": _SILENT_223_1,
    "exclude_on_missed_video": _SILENT_223_1,
    "chat_join_days": _SILENT_223_1,
}

# Rules that are no Season field: the activity certificates (one per attended certificate-giving activity,
# none for feedback meetings) and the rating itself; their value is the portal's, their source the order's.
NON_FIELD_RULES = ("certificates", "rating")

# Every outcome-deciding rule of a season, in the order people read them, by group.
RULE_GROUPS = (
    (
        _("Сроки и регистрация"),
        (
            "starts_on",
            "ends_on",
            "registration_opens_at",
            "registration_closes_at",
            "capacity",
            "requires_approval",
            "eligible_education_levels",
        ),
    ),
    (
        _("Исключение"),
        ("exclusion_policy", "exclude_on_unexcused_absence", "exclude_on_missed_video", "chat_join_days"),
    ),
    (_("Посещаемость"), ("default_attendance_status",)),
    (_("Посещения уроков"), ("visit_period",)),
    (_("Сертификаты"), ("certificates", "issue_final_certificate")),
    (
        _("Рейтинг"),
        (
            "rating",
            "weight_attendance",
            "weight_video_score",
            "video_score_rule",
            "weight_achievement_municipal",
            "weight_achievement_regional",
            "weight_achievement_federal",
            "weight_achievement_international",
        ),
    ),
    (
        _("Проверка видеоуроков"),
        ("review_by_subject_methodist", "review_by_curator", "review_release", "review_due_days"),
    ),
)
RULE_KEYS = tuple(key for _group, keys in RULE_GROUPS for key in keys)
# The Season fields among them: what the season form watches for a coordinator's change.
RULE_FIELDS = tuple(key for key in RULE_KEYS if key not in NON_FIELD_RULES)
# Shifted by a year when a season is copied: the order's dates no longer apply to the copy.
DATE_RULES = ("starts_on", "ends_on", "registration_opens_at", "registration_closes_at")
