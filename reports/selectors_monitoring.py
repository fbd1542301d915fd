"""Reads of the half-year monitoring pages and reports (seed 002, разд. 7): a municipality's half-year snapshots,
one snapshot's frozen indicators with its analysis and recommendations, and two half-years side by side.

Everything shown comes from the snapshot's frozen values (reports.services.kpi_period_values), never from a
recount, so a monitoring report reads the same years later."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import Municipality
from programs.rule_sources import ORDER_1063

from .kpi import KPI_BY_CODE, KpiStatus
from .models import KpiSnapshot, KpiTarget, MonitoringRecommendation, MonitoringReport
from .monitoring import half_year_previous
from .services import KpiComparisonRow, kpi_snapshots_compare
from .templatetags.kpi_format import kpi_number

# What the monitoring report cites: the regulation approved by the order, its section on monitoring.
ORDER_TITLE = gettext_lazy(
    "Положение о системе методического сопровождения педагогических работников и управленческих кадров "
    "образовательных организаций, подведомственных Управлению образования администрации Октябрьского района"
)


def order_clause() -> str:
    return _("%(order)s, приложение 1, разд. 7 «Мониторинг эффективности ММС», п. 7.3, 7.5") % {"order": ORDER_1063}


def period_snapshots(municipalities: QuerySet[Municipality]) -> QuerySet[KpiSnapshot]:
    """The municipalities' half-year snapshots, newest half first, with each one's report and its number of
    recommendations: one query whatever their number. The list page narrows it to one municipality with
    reports.filters.MonitoringListFilterSet."""
    return (
        KpiSnapshot.objects.filter(kind=KpiSnapshot.Kind.PERIOD, municipality__in=municipalities)
        .select_related("monitoring_report", "taken_by")
        .annotate(recommendation_count=Count("monitoring_report__recommendations"))
        .order_by(F("year").desc(nulls_last=True), F("half").desc(nulls_last=True), "-taken_on", "-pk")
    )


def period_snapshot_get(pk: int) -> KpiSnapshot | None:
    """A half-year snapshot of a municipality (a nightly or a municipality-less one is not a monitoring one)."""
    return (
        KpiSnapshot.objects.select_related("municipality", "taken_by")
        .filter(pk=pk, kind=KpiSnapshot.Kind.PERIOD, municipality__isnull=False)
        .first()
    )


@dataclass(frozen=True)
class MonitoringRow:
    number: int
    code: str
    name: str
    value: float | int | None
    numerator: float | int | None
    denominator: float | int | None
    unit: str
    target: Decimal | None
    target_label: str
    status: str
    status_label: str
    source: str


def _target_label(item: dict) -> str:
    if item.get("target") is None:
        return ""
    words = KpiTarget.Comparison(item.get("comparison") or KpiTarget.Comparison.AT_LEAST).label
    return f"{words} {kpi_number(item['target'])} {item.get('unit', '')}".strip()


def _ordered_codes(values: dict) -> list[str]:
    order = {code: index for index, code in enumerate(KPI_BY_CODE)}
    return sorted(values, key=lambda code: (order.get(code, len(order)), code))


def snapshot_rows(snapshot: KpiSnapshot) -> list[MonitoringRow]:
    """The snapshot's indicators in the definitions' order, as frozen: value, numerator / denominator, target,
    status and the clause the target comes from."""
    rows = []
    for number, code in enumerate(_ordered_codes(snapshot.values), start=1):
        item = snapshot.values[code] or {}
        definition = KPI_BY_CODE.get(code)
        rows.append(
            MonitoringRow(
                number=number,
                code=code,
                name=item.get("name") or (str(definition.name) if definition else code),
                value=item.get("value"),
                numerator=item.get("numerator"),
                denominator=item.get("denominator"),
                unit=item.get("unit", ""),
                target=None if item.get("target") is None else Decimal(str(item["target"])),
                target_label=_target_label(item),
                status=item.get("status") or KpiStatus.NO_DATA,
                status_label=str(KpiStatus.LABELS.get(item.get("status"), KpiStatus.LABELS[KpiStatus.NO_DATA])),
                source=item.get("source") or "",
            )
        )
    return rows


def previous_snapshot(snapshot: KpiSnapshot) -> KpiSnapshot | None:
    """The default partner of a comparison: the same municipality's snapshot of the half before (the automatic
    one first); for a snapshot without a half, the one taken before it."""
    others = KpiSnapshot.objects.filter(kind=KpiSnapshot.Kind.PERIOD, municipality_id=snapshot.municipality_id)
    if snapshot.year and snapshot.half:
        year, half = half_year_previous(snapshot.year, snapshot.half)
        return others.filter(year=year, half=half).order_by("-automatic", "-taken_at", "-pk").first()
    return others.filter(taken_on__lt=snapshot.taken_on).order_by("-taken_on", "-pk").first()


@dataclass
class MonitoringPage:
    snapshot: KpiSnapshot
    report: MonitoringReport | None
    recommendations: list[MonitoringRecommendation]
    rows: list[MonitoringRow]

    @property
    def is_approved(self) -> bool:
        return self.report is not None and self.report.is_approved

    @property
    def analysis(self) -> str:
        return self.report.analysis if self.report else ""


def monitoring_page(snapshot: KpiSnapshot) -> MonitoringPage:
    """One half-year: the frozen indicators, the analysis and the recommendations (two queries)."""
    report = MonitoringReport.objects.select_related("author", "approved_by").filter(snapshot=snapshot).first()
    recommendations = []
    if report is not None:
        recommendations = list(report.recommendations.select_related("organisation"))
    return MonitoringPage(snapshot, report, recommendations, snapshot_rows(snapshot))


@dataclass(frozen=True)
class ComparisonRow:
    row: KpiComparisonRow
    target_label: str
    status_a: str
    status_b: str


def monitoring_compare(earlier: KpiSnapshot, later: KpiSnapshot) -> list[ComparisonRow]:
    """Two half-years side by side, KPI by KPI (reports.services.kpi_snapshots_compare), with the later half's
    target and each side's status code for its badge."""
    rows = []
    for row in kpi_snapshots_compare(earlier, later):
        left, right = earlier.values.get(row.code) or {}, later.values.get(row.code) or {}
        rows.append(
            ComparisonRow(
                row=row,
                target_label=_target_label(right) or _target_label(left),
                status_a=left.get("status") or "",
                status_b=right.get("status") or "",
            )
        )
    return rows


def snapshot_title(snapshot: KpiSnapshot) -> str:
    """«1-е полугодие 2025 (снят 01.07.2025)»: the period and the day the numbers were frozen."""
    return _("%(period)s (снят %(date)s)") % {"period": snapshot.period, "date": f"{snapshot.taken_on:%d.%m.%Y}"}
