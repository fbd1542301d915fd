"""Half-year monitoring of the municipal methodical service (seed 002, разд. 7): the snapshot the job takes at each
half-year's end, and the coordinator's analysis and targeted recommendations kept with it.

«7.3. Мониторинг эффективности деятельности школьных и муниципальных методических служб проводится не реже
одного раза в полугодие.» — «7.5. По результатам мониторинга эффективности деятельности ММС проводится анализ,
разрабатываются адресные рекомендации.»

A half-year ends on 30 June or 31 December at midnight in the municipality's own time zone
(programs.Municipality.time_zone). The job runs daily: a municipality whose half ended within CATCH_UP_DAYS and
that has no automatic snapshot of it yet gets one, so a day the worker was down is caught up the next day; a
half that ended longer ago is left to a coordinator, who may take a snapshot by hand in the admin (its numbers
are counted on the day they are taken, so a much later automatic one would pass for what it is not).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import User
from programs.models import Municipality, Organisation

from .models import KpiSnapshot, MonitoringRecommendation, MonitoringReport
from .services import default_period_label, kpi_period_values

# Days after a half's end within which a missed automatic snapshot is still taken
# (docs/decisions/0006-half-year-snapshot.md).
CATCH_UP_DAYS = 31


def half_year_last_ended(today: date) -> tuple[int, int, date]:
    """(year, half, last day) of the latest half-year over by `today`: H1 ends 30 June, H2 31 December."""
    if today.month >= 7:
        return today.year, 1, date(today.year, 6, 30)
    return today.year - 1, 2, date(today.year - 1, 12, 31)


def half_year_previous(year: int, half: int) -> tuple[int, int]:
    return (year, 1) if half == 2 else (year - 1, 2)


@dataclass(frozen=True)
class DueSnapshot:
    municipality: Municipality
    year: int
    half: int


def half_year_snapshots_due(*, now: datetime) -> list[DueSnapshot]:
    """The municipalities whose latest half-year ended (in their own zone) within CATCH_UP_DAYS and has no
    automatic snapshot yet: two queries whatever the number of municipalities."""
    candidates: dict[int, DueSnapshot] = {}
    for municipality in Municipality.objects.order_by("pk"):
        today = timezone.localdate(now, ZoneInfo(municipality.time_zone))
        year, half, last_day = half_year_last_ended(today)
        if (today - last_day).days <= CATCH_UP_DAYS:
            candidates[municipality.pk] = DueSnapshot(municipality, year, half)
    taken = set(
        KpiSnapshot.objects.filter(
            kind=KpiSnapshot.Kind.PERIOD, automatic=True, municipality_id__in=list(candidates)
        ).values_list("municipality_id", "year", "half")
    )
    return [due for pk, due in candidates.items() if (pk, due.year, due.half) not in taken]


def kpi_half_year_snapshots_take(*, now: datetime) -> int:
    """Take the automatic half-year snapshot of every municipality that is due one (seed 002, п. 7.3).

    Idempotent: the database allows one automatic snapshot per municipality and half-year
    (kpi_snapshot_one_automatic_per_half_year), and get_or_create leaves an existing one as it is, so a second
    run — or two at once — writes nothing more. Each municipality's row is its own transaction: a run killed
    half-way leaves whole snapshots, and the next day's run takes the rest. Returns how many were written.
    """
    written = 0
    for due in half_year_snapshots_due(now=now):
        values = kpi_period_values(municipality=due.municipality, year=due.year, half=due.half, now=now)
        _snapshot, created = KpiSnapshot.objects.get_or_create(
            kind=KpiSnapshot.Kind.PERIOD,
            automatic=True,
            municipality=due.municipality,
            year=due.year,
            half=due.half,
            defaults={
                "taken_on": timezone.localdate(now, ZoneInfo(due.municipality.time_zone)),
                "taken_at": now,
                "period": default_period_label(year=due.year, half=due.half),
                "values": values,
            },
        )
        written += created
    return written


# --- The coordinator's analysis and recommendations (seed 002, п. 7.5) ---------------------------------------


def _report_for_update(snapshot: KpiSnapshot, *, by: User | None, now: datetime) -> MonitoringReport:
    """The snapshot's report, created on the first write, locked for this transaction; refused once approved."""
    report, _created = MonitoringReport.objects.select_for_update().get_or_create(
        snapshot=snapshot, defaults={"author": by, "created_at": now, "updated_at": now}
    )
    if report.is_approved:
        raise ValidationError(_("Отчёт о мониторинге утверждён: он больше не изменяется."))
    return report


@transaction.atomic
def monitoring_analysis_save(*, snapshot: KpiSnapshot, analysis: str, by: User | None, now: datetime):
    """Write the coordinator's analysis of the half-year (a draft until approved)."""
    report = _report_for_update(snapshot, by=by, now=now)
    report.analysis = analysis.strip()
    report.author = report.author or by
    report.updated_at = now
    report.save(update_fields=["analysis", "author", "updated_at"])
    return report


@transaction.atomic
def monitoring_recommendation_add(
    *,
    snapshot: KpiSnapshot,
    organisation: Organisation | None,
    addressee_group: str,
    text: str,
    due_on: date,
    responsible: str,
    by: User | None,
    now: datetime,
) -> MonitoringRecommendation:
    """Add a targeted recommendation: to an organisation of the snapshot's municipality and/or a group."""
    if organisation is not None and organisation.municipality_id != snapshot.municipality_id:
        raise ValidationError({"organisation": _("Выберите организацию своего муниципалитета.")})
    if organisation is None and not addressee_group.strip():
        raise ValidationError(
            {"addressee_group": _("Укажите, кому адресована рекомендация: организацию или группу педагогов.")}
        )
    report = _report_for_update(snapshot, by=by, now=now)
    recommendation = MonitoringRecommendation.objects.create(
        report=report,
        organisation=organisation,
        addressee_group=addressee_group.strip(),
        text=text.strip(),
        due_on=due_on,
        responsible=responsible.strip(),
        created_at=now,
    )
    report.updated_at = now
    report.save(update_fields=["updated_at"])
    return recommendation


@transaction.atomic
def monitoring_recommendation_delete(*, recommendation: MonitoringRecommendation, by: User | None, now: datetime):
    report = _report_for_update(recommendation.report.snapshot, by=by, now=now)
    MonitoringRecommendation.objects.filter(pk=recommendation.pk, report=report).delete()
    report.updated_at = now
    report.save(update_fields=["updated_at"])


@transaction.atomic
def monitoring_report_approve(*, snapshot: KpiSnapshot, by: User | None, now: datetime) -> MonitoringReport:
    """Approve the report: from now on it is frozen (still readable and downloadable).

    Both halves of п. 7.5 are required: an analysis and at least one targeted recommendation."""
    report = _report_for_update(snapshot, by=by, now=now)
    if not report.analysis:
        raise ValidationError(_("Перед утверждением напишите анализ результатов мониторинга (п. 7.5)."))
    if not report.recommendations.exists():
        raise ValidationError(_("Перед утверждением добавьте хотя бы одну адресную рекомендацию (п. 7.5)."))
    report.status = MonitoringReport.Status.APPROVED
    report.approved_at, report.approved_by, report.updated_at = now, by, now
    report.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    return report
