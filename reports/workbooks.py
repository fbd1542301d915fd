"""The KPI workbook (export kind «kpi_workbook»): the dashboard's numbers and the raw data behind them as XLSX.

The download view (reports.views_downloads.kpi_download) queues a job with the reader's id and the filters'
params(); the worker re-resolves the scope with dashboard_filters for that reader, so a reader who lost access
meanwhile gets a failed job with a Russian message instead of data. Sheets:

- «Сводка» — every KPI with its value, target and status (coloured), numerator and denominator and how the portal
  reads the order's clause, and a native bar chart of the orders' per-cent KPIs against their targets;
- «Формулы и источники» — each KPI's formula, numerator and denominator texts, cumulation and target source;
- «По школам» (a municipality in scope; other kinds of organisation, such as kindergartens, on sheets of their own,
  each listing only the KPIs that count that kind), «По муниципалитетам» (several visible), «По сезонам» — long
  tables, one row per KPI and place, so they print readably; «По кварталам» (up to the current quarter, with a
  native line chart), «Посещаемость по занятиям», «Оценки по критериям» — from kpi_breakdown(s) / kpi_quarters,
  grouped queries whatever the number of rows;
- «Участники» (one row per enrollment) and «Посещаемость» (one row per attendance mark) — streamed from the
  database with values_list().iterator(): a constant number of queries and flat memory for 200,000 rows.

A value prints as on the dashboard («27,2 %», «2 мероприятия», «2,1 балла»): a number in its cell with a number
format from reports.formatting. Every sheet prints one page wide at 8 pt or more (reports.xlsx.READABLE_WIDTH);
page layout: docs/kpi-workbook.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Attendance, Certificate, MissedVideo, Submission
from core.zones import zone_words
from participants.models import Enrollment, EnrollmentStatusChange, User
from programs.models import Organisation, Season

from .exports import ExportKind, ExportRefused, export_file_name, register_export
from .formatting import kpi_number_format
from .kpi import (
    KPI_BY_CODE,
    KPI_DEFINITIONS,
    ORDER,
    PERCENT,
    QUARTERLY_CODES,
    KpiBreakdownRow,
    KpiResult,
    KpiScope,
    kpi_breakdown,
    kpi_breakdowns,
    kpi_quarters,
    kpi_report,
    natural_key,
)
from .selectors import DashboardFilters, dashboard_filters
from .xlsx import (
    INTEGER_FORMAT,
    ChartSpec,
    Column,
    Formatted,
    Sheet,
    Status,
)

KIND = "kpi_workbook"
CHUNK = 2000


# --- Parameters and scope -----------------------------------------------------------------------------------


def kpi_workbook_params(*, user: User, filters: DashboardFilters) -> dict:
    """What the job keeps: the reader and the filters (re-checked in the worker). The municipality and school the
    filters resolved to are kept even when implied by the reader's role, so a coordinator moved to another
    municipality meanwhile is refused rather than handed the other one's data."""
    params = {"user": user.pk, **filters.params()}
    if filters.municipality is not None:
        params["municipality"] = filters.municipality.pk
    if filters.organisation is not None:
        params["organisation"] = filters.organisation.pk
    return params


def kpi_workbook_title(filters: DashboardFilters) -> str:
    return _("Показатели (KPI) за %(year)s: %(scope)s") % {"year": filters.year, "scope": _scope_words(filters)}


def _scope_words(filters: DashboardFilters) -> str:
    parts = []
    if filters.organisation is not None:
        parts.append(filters.organisation.short_name)
    elif filters.municipality is not None:
        parts.append(filters.municipality.name)
    else:
        parts.append(_("все муниципалитеты"))
    if filters.season is not None:
        parts.append(str(filters.season))
    return ", ".join(parts)


def _filters(params: dict) -> DashboardFilters:
    """The scope for the job's reader, as of now; access lost since the click refuses the export."""
    user = User.objects.filter(pk=params.get("user"), is_active=True).first()
    refused = _("Выгрузка не сформирована: у вас больше нет доступа к этим показателям.")
    if user is None:
        raise ExportRefused(refused)
    data = {key: str(params[key]) for key in ("year", "season", "municipality", "organisation") if key in params}
    try:
        return dashboard_filters(user=user, data=data)
    except Http404:
        raise ExportRefused(refused) from None


def _season_ids(scope: KpiScope) -> list[int]:
    if scope.season_ids:
        return list(scope.season_ids)
    qs = Season.objects.filter(starts_on__lte=scope.year_end, ends_on__gte=scope.year_start)
    return list(qs.order_by("pk").values_list("pk", flat=True))


def _people_scope(scope: KpiScope, person: str) -> Q:
    """People by their organisation (like the KPI engine): the municipality and the school of the scope."""
    which = Q()
    if scope.municipality_id:
        which &= Q(**{f"{person}__organisation__municipality_id": scope.municipality_id})
    if scope.organisation_id:
        which &= Q(**{f"{person}__organisation_id": scope.organisation_id})
    return which


# --- Number formats ------------------------------------------------------------------------------------------


def _value(code: str, value) -> Formatted:
    """The value in its cell, printed with its unit as the dashboard prints it («27,2 %», «2 мероприятия»)."""
    return Formatted(value, kpi_number_format(value, str(KPI_BY_CODE[code].unit)))


def _title(code: str) -> str:
    """A column of one KPI is headed by its name: each cell carries the unit itself."""
    return str(KPI_BY_CODE[code].name)


# --- «Сводка» ------------------------------------------------------------------------------------------------


def _preamble(filters: DashboardFilters, now: datetime) -> list[str]:
    everything = _("все")
    lines = [
        _("Показатели (KPI)"),
        _("Год: %(year)s") % {"year": filters.year},
        _("Муниципалитет: %(name)s")
        % {"name": filters.municipality.name if filters.municipality else _("все муниципалитеты")},
        _("Школа: %(name)s") % {"name": filters.organisation.short_name if filters.organisation else everything},
        _("Сезон: %(name)s")
        % {
            "name": str(filters.season)
            if filters.season
            else _("все сезоны, идущие в %(year)s году") % {"year": filters.year}
        },
        _generated(filters, now),
    ]
    return lines


def _generated(filters: DashboardFilters, now: datetime) -> str:
    """When the workbook was made, on the clock of its season (or municipality) and saying whose in words: a
    district in Yekaterinburg time reads its own hour, not Moscow's."""
    zone = filters.time_zone
    return _("Сформировано %(moment)s (%(zone)s)") % {
        "moment": f"{timezone.localtime(now, zone):%d.%m.%Y %H:%M}",
        "zone": zone_words(zone, now),
    }


def _summary_row(result: KpiResult) -> list:
    group = _("приказ") if result.group == ORDER else _("программа")
    target = None if result.target is None else float(result.target)
    return [
        group,
        result.name,
        _value(result.code, result.value),
        result.target_label,
        _value(result.code, target),
        Status(result.status, result.status_label),
        result.numerator,
        result.denominator,
        result.reading,
    ]


def _summary(filters: DashboardFilters, results: list[KpiResult], now: datetime) -> Sheet:
    """The numbers, the target and how the portal reads the order's clause, on one page wide at a readable size;
    the formulas and the targets' sources are on «Формулы и источники» (docs/kpi-workbook.md)."""
    columns = [
        Column(_("Группа"), 10),
        Column(_("Показатель"), 28, wrap=True),
        Column(_("Значение"), 14),
        Column(_("Цель"), 14, wrap=True),
        Column(_("Цель, число"), 14),
        Column(_("Статус"), 14, wrap=True),
        Column(_("Числитель, значение"), 12, wrap=True),
        Column(_("Знаменатель, значение"), 14, wrap=True),
        Column(_("Прочтение приказа"), 30, wrap=True),
    ]
    chart = None
    charted = _charted(results)
    if charted:
        chart = ChartSpec(
            title=_("Показатели приказов и цели, %"),
            category_column=2,
            value_columns=(3, 5),
            kind="bar",
            y_title="%",
            rows=len(charted),
            percent=True,
            series_titles=(_("Значение"), _("Цель")),
            horizontal=True,
        )
    return Sheet(
        title=_("Сводка"),
        columns=columns,
        rows=[_summary_row(r) for r in _summary_order(results)],
        chart=chart,
        preamble=_preamble(filters, now),
    )


def _charted(results: list[KpiResult]) -> list[KpiResult]:
    """The orders' per-cent KPIs: the summary's chart shows them, so they head its table."""
    return [r for r in results if r.group == ORDER and r.unit == PERCENT]


def _summary_order(results: list[KpiResult]) -> list[KpiResult]:
    charted = _charted(results)
    return charted + [r for r in results if r not in charted]


def _formulas(results: list[KpiResult]) -> Sheet:
    """How each KPI is counted and where its target comes from: the long texts of the summary's rows."""
    columns = [
        Column(_("Показатель"), 26, wrap=True),
        Column(_("Формула"), 36, wrap=True),
        Column(_("Числитель"), 24, wrap=True),
        Column(_("Знаменатель"), 24, wrap=True),
        Column(_("Нарастающий итог"), 13, wrap=True),
        Column(_("Источник цели"), 26, wrap=True),
    ]
    rows = [
        [r.name, r.formula, r.numerator_text, r.denominator_text, r.cumulative, r.target_source]
        for r in _summary_order(results)
    ]
    return Sheet(title=_("Формулы и источники"), columns=columns, rows=rows)


# --- Breakdown sheets --------------------------------------------------------------------------------------------


def _by_municipality(filters: DashboardFilters, results: dict[str, KpiResult], now: datetime) -> Sheet:
    codes = [d.code for d in KPI_DEFINITIONS if "municipality" in d.breakdowns]
    breakdowns = kpi_breakdowns(codes=codes, scope=filters.scope, by="municipality", now=now)
    labels = {row.key: row.label for rows in breakdowns.values() for row in rows}
    places = sorted(labels.items(), key=lambda place: (place[0] is None, natural_key(place[1])))
    return _place_sheet(_("По муниципалитетам"), _("Муниципалитет"), codes, breakdowns, places, results)


# The sheet of each kind of organisation, in this order; the first column's heading.
KIND_SHEETS = {
    Organisation.Kind.SCHOOL: (gettext_lazy("По школам"), gettext_lazy("Школа")),
    Organisation.Kind.KINDERGARTEN: (gettext_lazy("По детским садам"), gettext_lazy("Детский сад")),
    Organisation.Kind.ADDITIONAL: (gettext_lazy("По учреждениям доп. образования"), gettext_lazy("Организация")),
    Organisation.Kind.METHODICAL_CENTRE: (gettext_lazy("По методическим центрам"), gettext_lazy("Организация")),
    Organisation.Kind.EDUCATION_AUTHORITY: (gettext_lazy("По органам управления"), gettext_lazy("Организация")),
    Organisation.Kind.OTHER: (gettext_lazy("По другим организациям"), gettext_lazy("Организация")),
}


def covered_kinds(definition, rows: list[KpiBreakdownRow], kinds: dict) -> set[str]:
    """The kinds of organisation a KPI counts: its definition's `covers` where it has one, else the kinds its
    data come from (schools when it has none anywhere yet: every school of the scope is listed for it)."""
    covers = getattr(definition, "covers", None)
    if covers:
        return {str(kind) for kind in covers}
    found = {kinds.get(row.key, Organisation.Kind.OTHER) for row in rows if row.numerator or row.denominator}
    return {str(kind) for kind in found} or {str(Organisation.Kind.SCHOOL)}


def _by_organisation(filters: DashboardFilters, results: dict[str, KpiResult], now: datetime) -> list[Sheet]:
    """One sheet per kind of organisation that a KPI counts: schools carry the teachers' KPIs, a kindergarten is
    listed only beside the KPIs that count kindergartens, never as a row of empty teacher cells. A person
    without an organisation is counted among «other» organisations."""
    codes = [d.code for d in KPI_DEFINITIONS if "organisation" in d.breakdowns]
    breakdowns = kpi_breakdowns(codes=codes, scope=filters.scope, by="organisation", now=now)
    labels = {row.key: row.label for rows in breakdowns.values() for row in rows}
    kinds = dict(Organisation.objects.filter(pk__in=[k for k in labels if k is not None]).values_list("pk", "kind"))
    covered = {code: covered_kinds(KPI_BY_CODE[code], rows, kinds) for code, rows in breakdowns.items()}
    sheets = []
    for kind, (title, label) in KIND_SHEETS.items():
        kind_codes = [code for code in codes if str(kind) in covered[code]]
        places = [(key, name) for key, name in labels.items() if kinds.get(key, Organisation.Kind.OTHER) == kind]
        if not kind_codes or (not places and kind != Organisation.Kind.SCHOOL):
            continue
        places.sort(key=lambda place: (place[0] is None, natural_key(place[1])))
        sheets.append(_place_sheet(str(title), str(label), kind_codes, breakdowns, places, results))
    return sheets


def _place_sheet(
    title: str, label: str, codes: list[str], breakdowns: dict, places: list[tuple], results: dict[str, KpiResult]
) -> Sheet:
    """A long table, one row per KPI and place, KPIs in definition order and the places in natural order under
    each: seven columns print one page wide at a readable size, and the filter picks one KPI or one school
    (docs/kpi-workbook.md). The target is the scope's, as the status of each row is reckoned against it."""
    columns = [
        Column(label, 24, wrap=True),
        Column(_("Показатель"), 52, wrap=True),
        Column(_("Значение"), 14),
        Column(_("Числитель"), 12),
        Column(_("Знаменатель"), 13),
        Column(_("Цель"), 14, wrap=True),
        Column(_("Статус"), 14, wrap=True),
    ]
    return Sheet(title=title, columns=columns, rows=list(_place_rows(codes, breakdowns, places, results)))


def _place_rows(
    codes: list[str], breakdowns: dict, places: list[tuple], results: dict[str, KpiResult]
) -> Iterator[list]:
    for code in codes:
        name = str(KPI_BY_CODE[code].name)
        result = results.get(code)
        target = result.target_label if result is not None else ""
        values = {row.key: row for row in breakdowns[code]}
        for key, place in places:
            row = values.get(key)
            if row is None:
                yield [place, name, _value(code, None), None, None, target, None]
                continue
            status = Status(row.status, row.status_label) if row.status else None
            yield [place, name, _value(code, row.value), row.numerator, row.denominator, target, status]


def _by_season(filters: DashboardFilters, now: datetime) -> Sheet:
    """A long table like the places' (one row per KPI and season), without targets: a target is the year's."""
    codes = [d.code for d in KPI_DEFINITIONS if "season" in d.breakdowns]
    breakdowns = kpi_breakdowns(codes=codes, scope=filters.scope, by="season", now=now)
    labels: dict = {}
    for rows in breakdowns.values():
        for row in rows:
            labels.setdefault(row.key, row.label)
    columns = [
        Column(_("Сезон"), 30, wrap=True),
        Column(_("Показатель"), 50, wrap=True),
        Column(_("Значение"), 14),
        Column(_("Числитель"), 12),
        Column(_("Знаменатель"), 13),
    ]
    table = []
    for code in codes:
        values = {row.key: row for row in breakdowns[code]}
        for key, season in labels.items():
            row = values.get(key)
            value, numerator, denominator = (row.value, row.numerator, row.denominator) if row else (None, None, None)
            table.append([season, str(KPI_BY_CODE[code].name), _value(code, value), numerator, denominator])
    return Sheet(title=_("По сезонам"), columns=columns, rows=table)


def _current_quarter(filters: DashboardFilters, now: datetime) -> tuple[int, int]:
    """The quarter of `now` on the municipality's clock: the series stops there, no empty future quarters."""
    municipality = filters.municipality
    local = timezone.localtime(now, ZoneInfo(municipality.time_zone if municipality else settings.TIME_ZONE))
    return local.year, (local.month - 1) // 3 + 1


def _by_quarter(filters: DashboardFilters, now: datetime) -> Sheet:
    current = _current_quarter(filters, now)
    labels: dict = {}
    values: dict[str, dict] = {}
    for code in QUARTERLY_CODES:
        rows = [
            row for row in kpi_quarters(code=code, scope=filters.scope, now=now) if (row.year, row.quarter) <= current
        ]
        values[code] = {(row.year, row.quarter): row.value for row in rows}
        for row in rows:
            labels.setdefault((row.year, row.quarter), row.label)
    columns = [Column(_("Квартал"), 14)] + [Column(_title(code), 16, wrap=True) for code in QUARTERLY_CODES]
    table = [
        [name] + [_value(code, values[code].get(key)) for code in QUARTERLY_CODES]
        for key, name in sorted(labels.items())
    ]
    percent = [i for i, code in enumerate(QUARTERLY_CODES, start=2) if str(KPI_BY_CODE[code].unit) == PERCENT]
    chart = ChartSpec(
        title=_("Показатели по кварталам, %"),
        category_column=1,
        value_columns=percent,
        kind="line",
        percent=True,
        series_titles=[_title(QUARTERLY_CODES[i - 2]) for i in percent],
    )
    return Sheet(title=_("По кварталам"), columns=columns, rows=table, chart=chart if percent else None)


def _by_activity(filters: DashboardFilters, now: datetime) -> Sheet:
    rows = kpi_breakdown(code="attendance_rate", scope=filters.scope, by="activity", now=now)
    columns = [
        Column(_("Мероприятие"), 40, wrap=True),
        Column(_("Отметки «Присутствовал» и «Опоздал»"), 16, wrap=True),
        Column(_("Все отметки"), 14),
        Column(_("Посещаемость"), 14),
    ]
    table = [[row.label, row.numerator, row.denominator, _value("attendance_rate", row.value)] for row in rows]
    return Sheet(title=_("Посещаемость по занятиям"), columns=columns, rows=table)


def _by_criterion(filters: DashboardFilters, now: datetime) -> Sheet:
    rows = kpi_breakdown(code="criterion_score_avg", scope=filters.scope, by="criterion", now=now)
    columns = [
        Column(_("Критерий"), 40, wrap=True),
        Column(_("Сумма баллов"), 14, INTEGER_FORMAT),
        Column(_("Оценок"), 12, INTEGER_FORMAT),
        Column(_("Средний балл"), 14),
    ]
    table = [[row.label, row.numerator, row.denominator, _value("criterion_score_avg", row.value)] for row in rows]
    return Sheet(title=_("Оценки по критериям"), columns=columns, rows=table)


# --- Raw data -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local_date(moment: datetime | None, zone: str) -> date | None:
    return moment.astimezone(_zone(zone)).date() if moment else None


def _count(qs) -> Coalesce:
    """The number of related rows of the outer enrollment, as a correlated subquery (no join fan-out)."""
    counted = qs.filter(enrollment=OuterRef("pk")).order_by().values("enrollment").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def _full_name(last: str, first: str, middle: str) -> str:
    return " ".join(part for part in (last, first, middle) if part)


def _enrollments(scope: KpiScope, season_ids: list[int]):
    approved = EnrollmentStatusChange.objects.filter(enrollment=OuterRef("pk"), to_status=Enrollment.Status.ACTIVE)
    return (
        Enrollment.objects.filter(_people_scope(scope, "person"), season_id__in=season_ids)
        .annotate(
            approved_at=Subquery(approved.order_by("changed_at").values("changed_at")[:1]),
            n_attended=_count(
                Attendance.objects.filter(status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE])
            ),
            n_submitted=_count(Submission.objects.filter(is_current=True)),
            n_on_time=_count(Submission.objects.filter(is_current=True, is_late=False)),
            n_missed=_count(MissedVideo.objects.all()),
            n_certificates=_count(Certificate.objects.filter(revoked_at__isnull=True)),
        )
        .order_by("season__program__title", "season__starts_on", "person__last_name", "person__first_name", "pk")
    )


PARTICIPANT_FIELDS = (
    "season__program__title",
    "season__title",
    "season__time_zone",
    "person__last_name",
    "person__first_name",
    "person__middle_name",
    "person__organisation__short_name",
    "person__organisation__municipality__name",
    "status",
    "applied_at",
    "approved_at",
    "n_attended",
    "n_submitted",
    "n_on_time",
    "n_missed",
    "n_certificates",
)


def _participant_rows(scope: KpiScope, season_ids: list[int], *, municipalities: bool) -> Iterator[list]:
    statuses = {value: str(label) for value, label in Enrollment.Status.choices}
    rows = _enrollments(scope, season_ids).values_list(*PARTICIPANT_FIELDS)
    for (
        program,
        season,
        zone,
        last,
        first,
        middle,
        school,
        municipality,
        status,
        applied,
        approved,
        *counts,
    ) in rows.iterator(chunk_size=CHUNK):
        where = [school or "", municipality or ""] if municipalities else [school or ""]
        yield [
            program,
            season,
            _full_name(last, first, middle),
            *where,
            statuses.get(status, status),
            _local_date(applied, zone),
            _local_date(approved, zone),
            *counts,
        ]


def _municipalities(scope: KpiScope) -> bool:
    """Whether the raw sheets name each row's municipality: not when the scope is one (the preamble names it), so
    the columns print one page wide at a readable size."""
    return not scope.municipality_id


def _participants(scope: KpiScope, season_ids: list[int]) -> Sheet:
    municipalities = _municipalities(scope)
    columns = [
        Column(_("Программа"), 17, wrap=True),
        Column(_("Сезон"), 10, wrap=True),
        Column(_("ФИО"), 20, wrap=True),
        Column(_("Школа"), 16, wrap=True),
        *([Column(_("Муниципалитет"), 15, wrap=True)] if municipalities else []),
        Column(_("Статус"), 11, wrap=True),
        Column(_("Заявка подана"), 11, wrap=True),
        Column(_("Принят в программу"), 11, wrap=True),
        Column(_("Посещено занятий"), 10, INTEGER_FORMAT, wrap=True),
        Column(_("Видеоуроки сданы"), 12, INTEGER_FORMAT, wrap=True),
        Column(_("Из них в срок"), 8, INTEGER_FORMAT, wrap=True),
        Column(_("Видеоуроки не сданы в срок"), 12, INTEGER_FORMAT, wrap=True),
        Column(_("Сертификаты"), 12, INTEGER_FORMAT, wrap=True),
    ]
    rows = _participant_rows(scope, season_ids, municipalities=municipalities)
    return Sheet(title=_("Участники"), columns=columns, rows=rows)


def _attendance(scope: KpiScope, season_ids: list[int]):
    return Attendance.objects.filter(
        _people_scope(scope, "enrollment__person"), session__activity__season_id__in=season_ids
    ).order_by(
        "session__starts_at", "session_id", "enrollment__person__last_name", "enrollment__person__first_name", "pk"
    )


ATTENDANCE_FIELDS = (
    "session__starts_at",
    "session__activity__season__time_zone",
    "session__activity__season__program__title",
    "session__activity__season__title",
    "session__activity__title",
    "session__title",
    "enrollment__person__last_name",
    "enrollment__person__first_name",
    "enrollment__person__middle_name",
    "enrollment__person__organisation__short_name",
    "enrollment__person__organisation__municipality__name",
    "status",
    "source",
    "is_default",
)


def _attendance_rows(scope: KpiScope, season_ids: list[int], *, municipalities: bool) -> Iterator[list]:
    """One row per mark. The marks come session by session, so a session's cells (its date and hour in the season's
    zone, program, season, activity, title) are made when the session changes, not per mark, and the words of a
    mark's status and source are looked up once per kind."""
    statuses = {value: str(label) for value, label in Attendance.Status.choices}
    sources = {value: str(label) for value, label in Attendance._meta.get_field("source").choices}
    ways: dict[tuple[str, bool], str] = {}
    rows = _attendance(scope, season_ids).values_list(*ATTENDANCE_FIELDS)
    current, head = None, []
    for (
        starts,
        zone,
        program,
        season,
        activity,
        session,
        last,
        first,
        middle,
        school,
        municipality,
        status,
        source,
        default,
    ) in rows.iterator(chunk_size=CHUNK):
        if (starts, zone, program, season, activity, session) != current:
            current = (starts, zone, program, season, activity, session)
            local = starts.astimezone(_zone(zone))
            head = [local.date(), f"{local:%H:%M}", program, season, activity, session]
        how = ways.get((source, default))
        if how is None:
            how = sources.get(source, source)
            if default and source != "default":
                how = _("%(how)s (по умолчанию)") % {"how": how}
            ways[source, default] = how
        yield [
            *head,
            _full_name(last, first, middle),
            *([school or "", municipality or ""] if municipalities else [school or ""]),
            statuses.get(status, status),
            how,
        ]


def _attendance_sheet(scope: KpiScope, season_ids: list[int]) -> Sheet:
    municipalities = _municipalities(scope)
    columns = [
        Column(_("Дата"), 11),
        Column(_("Начало"), 7),
        Column(_("Программа"), 16, wrap=True),
        Column(_("Сезон"), 10, wrap=True),
        Column(_("Мероприятие"), 16, wrap=True),
        Column(_("Занятие"), 14, wrap=True),
        Column(_("ФИО"), 22, wrap=True),
        Column(_("Школа"), 16, wrap=True),
        *([Column(_("Муниципалитет"), 15, wrap=True)] if municipalities else []),
        Column(_("Отметка"), 14, wrap=True),
        Column(_("Как отмечено"), 14, wrap=True),
    ]
    rows = _attendance_rows(scope, season_ids, municipalities=municipalities)
    return Sheet(title=_("Посещаемость"), columns=columns, rows=rows)


# --- The export kind -----------------------------------------------------------------------------------------------


def kpi_workbook_build(params: dict, *, now: datetime | None = None) -> tuple[Sequence[Sheet], int]:
    now = now or timezone.now()
    filters = _filters(params)
    scope = filters.scope
    season_ids = _season_ids(scope)
    results = kpi_report(scope=scope, now=now)
    sheets = [_summary(filters, results, now), _formulas(results)]
    by_code = {result.code: result for result in results}
    if filters.municipality is not None:
        sheets += _by_organisation(filters, by_code, now)
    else:
        sheets.append(_by_municipality(filters, by_code, now))
    sheets += [
        _by_season(filters, now),
        _by_quarter(filters, now),
        _by_activity(filters, now),
        _by_criterion(filters, now),
    ]
    small = sum(len(sheet.rows) for sheet in sheets)
    enrollments = Enrollment.objects.filter(_people_scope(scope, "person"), season_id__in=season_ids).count()
    marks = Attendance.objects.filter(
        _people_scope(scope, "enrollment__person"), session__activity__season_id__in=season_ids
    ).count()
    sheets += [_participants(scope, season_ids), _attendance_sheet(scope, season_ids)]
    return sheets, small + enrollments + marks


def kpi_workbook_file_name(params: dict) -> str:
    if params.get("organisation"):
        place = f"school{params['organisation']}"
    elif params.get("municipality"):
        place = f"mun{params['municipality']}"
    else:
        place = "all"
    stem = f"kpi-{params.get('year', '')}-{place}"
    if params.get("season"):
        stem += f"-season{params['season']}"
    return export_file_name(stem)


def register() -> None:
    """The KPI workbook's export kind (reports.exports)."""
    register_export(ExportKind(key=KIND, build=kpi_workbook_build, file_name=kpi_workbook_file_name))
