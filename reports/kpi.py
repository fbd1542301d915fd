"""The portal's KPIs as data: code, Russian name, formula in words, unit and how to compute it per season.

Every KPI is computed for many seasons at once from a few grouped queries (`KpiData` caches each aggregate
and shares it between the KPIs that use it), so a snapshot's query count does not grow with the number of
enrollments. Add a KPI by adding a `KpiDefinition` to KPI_DEFINITIONS (issue 6 extends the list).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from activities.models import Attendance, Certificate, MissedVideo, Submission, VideoAssignment
from participants.feedback import season_quarter
from participants.models import Enrollment, EnrollmentStatusChange, FeedbackResponse
from programs.models import Season

S = Enrollment.Status
PERCENT, PEOPLE, ITEMS = "%", _("чел."), _("шт.")


@dataclass(frozen=True)
class KpiValue:
    """A KPI for one season: a count (numerator only) or a share in per cent of numerator over denominator."""

    numerator: int
    denominator: int | None = None

    @property
    def value(self) -> float | int | None:
        if self.denominator is None:
            return self.numerator
        if not self.denominator:
            return None  # nothing to measure yet: not 0 %, which would read as a failure
        return round(self.numerator * 100 / self.denominator, 1)


@dataclass(frozen=True)
class KpiDefinition:
    code: str
    name: Promise
    formula: Promise
    unit: Promise | str
    compute: Callable[[KpiData], dict[int, KpiValue]]

    def as_json(self, value: KpiValue) -> dict:
        return {
            "value": value.value,
            "numerator": value.numerator,
            "denominator": value.denominator,
            "unit": str(self.unit),
        }


class KpiData:
    """The grouped aggregates the KPIs are made of, for a set of seasons at a moment; each one query, cached."""

    def __init__(self, seasons: Iterable[Season], now: datetime):
        self.seasons = list(seasons)
        self.season_ids = [season.pk for season in self.seasons]
        self.now = now

    @cached_property
    def enrollments(self) -> dict[int, dict[str, int]]:
        """Per season: enrollments by current status, and how many were ever approved (admitted as active)."""
        was_active = EnrollmentStatusChange.objects.filter(enrollment=OuterRef("pk"), to_status=S.ACTIVE)
        counts = {status: Count("pk", filter=Q(status=status)) for status in S.values}
        approved = Q(status__in=[S.ACTIVE, S.COMPLETED, S.EXCLUDED]) | Q(status=S.WITHDRAWN, was_active=True)
        rows = (
            Enrollment.objects.filter(season_id__in=self.season_ids)
            .annotate(was_active=Exists(was_active))
            .values("season_id")
            .annotate(**counts, approved=Count("pk", filter=approved))
        )
        return {row.pop("season_id"): row for row in rows}

    def enrolled(self, season_id: int, status: str) -> int:
        return self.enrollments.get(season_id, {}).get(status, 0)

    @cached_property
    def attendance(self) -> dict[int, tuple[int, int]]:
        """Per season: (present or late, every mark)."""
        rows = (
            Attendance.objects.filter(session__activity__season_id__in=self.season_ids)
            .values("session__activity__season_id")
            .annotate(good=Count("pk", filter=Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE])))
            .annotate(marked=Count("pk"))
        )
        return {row["session__activity__season_id"]: (row["good"], row["marked"]) for row in rows}

    @cached_property
    def assignments_due(self) -> dict[int, int]:
        """Per season: video assignments whose due date has passed."""
        rows = (
            VideoAssignment.objects.filter(activity__season_id__in=self.season_ids, due_at__lte=self.now)
            .values("activity__season_id")
            .annotate(n=Count("pk"))
        )
        return {row["activity__season_id"]: row["n"] for row in rows}

    @cached_property
    def videos_on_time(self) -> dict[int, int]:
        """Per season: current, not late submissions of active participants for assignments already due."""
        rows = (
            Submission.objects.filter(
                assignment__activity__season_id__in=self.season_ids,
                assignment__due_at__lte=self.now,
                is_current=True,
                is_late=False,
                enrollment__status=S.ACTIVE,
            )
            .values("assignment__activity__season_id")
            .annotate(n=Count("pk"))
        )
        return {row["assignment__activity__season_id"]: row["n"] for row in rows}

    @cached_property
    def missed_videos(self) -> dict[int, int]:
        rows = (
            MissedVideo.objects.filter(assignment__activity__season_id__in=self.season_ids)
            .values("assignment__activity__season_id")
            .annotate(n=Count("pk"))
        )
        return {row["assignment__activity__season_id"]: row["n"] for row in rows}

    @cached_property
    def certificates(self) -> dict[int, int]:
        rows = (
            Certificate.objects.filter(enrollment__season_id__in=self.season_ids, revoked_at__isnull=True)
            .values("enrollment__season_id")
            .annotate(n=Count("pk"))
        )
        return {row["enrollment__season_id"]: row["n"] for row in rows}

    @cached_property
    def feedback_this_quarter(self) -> dict[int, int]:
        """Per season: active participants who answered this quarter's feedback (the quarter in the season's zone)."""
        if not self.seasons:
            return {}
        by_quarter: dict[tuple[int, int], list[int]] = defaultdict(list)
        for season in self.seasons:
            by_quarter[season_quarter(season, self.now)].append(season.pk)
        which = Q()
        for (year, quarter), ids in by_quarter.items():
            which |= Q(enrollment__season_id__in=ids, year=year, quarter=quarter)
        rows = (
            FeedbackResponse.objects.filter(which, enrollment__status=S.ACTIVE)
            .values("enrollment__season_id")
            .annotate(n=Count("pk"))
        )
        return {row["enrollment__season_id"]: row["n"] for row in rows}


def _per_season(get: Callable[[KpiData, int], KpiValue]) -> Callable[[KpiData], dict[int, KpiValue]]:
    return lambda data: {season_id: get(data, season_id) for season_id in data.season_ids}


def _status_count(status: str):
    return _per_season(lambda data, sid: KpiValue(data.enrolled(sid, status)))


def _retention(data: KpiData, sid: int) -> KpiValue:
    kept = data.enrolled(sid, S.ACTIVE) + data.enrolled(sid, S.COMPLETED)
    return KpiValue(kept, data.enrolled(sid, "approved"))


def _attendance(data: KpiData, sid: int) -> KpiValue:
    return KpiValue(*data.attendance.get(sid, (0, 0)))


def _videos_on_time(data: KpiData, sid: int) -> KpiValue:
    expected = data.assignments_due.get(sid, 0) * data.enrolled(sid, S.ACTIVE)
    return KpiValue(data.videos_on_time.get(sid, 0), expected)


def _feedback(data: KpiData, sid: int) -> KpiValue:
    return KpiValue(data.feedback_this_quarter.get(sid, 0), data.enrolled(sid, S.ACTIVE))


KPI_DEFINITIONS: list[KpiDefinition] = [
    KpiDefinition(
        "participants_applied",
        _("Заявки на рассмотрении"),
        _("Участия со статусом «Заявка подана»"),
        PEOPLE,
        _status_count(S.APPLIED),
    ),
    KpiDefinition(
        "participants_active",
        _("Участвуют"),
        _("Участия со статусом «Участвует»"),
        PEOPLE,
        _status_count(S.ACTIVE),
    ),
    KpiDefinition(
        "participants_completed",
        _("Завершили программу"),
        _("Участия со статусом «Завершил программу»"),
        PEOPLE,
        _status_count(S.COMPLETED),
    ),
    KpiDefinition(
        "participants_withdrawn",
        _("Вышли добровольно"),
        _("Участия со статусом «Вышел добровольно»"),
        PEOPLE,
        _status_count(S.WITHDRAWN),
    ),
    KpiDefinition(
        "participants_excluded",
        _("Исключены"),
        _("Участия со статусом «Исключён»"),
        PEOPLE,
        _status_count(S.EXCLUDED),
    ),
    KpiDefinition(
        "retention",
        _("Сохранность контингента"),
        _("(участвуют + завершили) / все, кого когда-либо приняли в программу (включая выбывших и исключённых)"),
        PERCENT,
        _per_season(_retention),
    ),
    KpiDefinition(
        "attendance_rate",
        _("Посещаемость"),
        _("отметки «Присутствовал» и «Опоздал» / все проставленные отметки посещаемости"),
        PERCENT,
        _per_season(_attendance),
    ),
    KpiDefinition(
        "videos_on_time",
        _("Видеоуроки в срок"),
        _(
            "текущие версии видеоуроков участвующих, сданные без опоздания / "
            "(задания, срок которых наступил × участвующие)"
        ),
        PERCENT,
        _per_season(_videos_on_time),
    ),
    KpiDefinition(
        "missed_videos",
        _("Несданные видеоуроки"),
        _("Видеоуроки, не сданные к последнему сроку (с учётом продлений)"),
        ITEMS,
        _per_season(lambda data, sid: KpiValue(data.missed_videos.get(sid, 0))),
    ),
    KpiDefinition(
        "certificates_issued",
        _("Выдано сертификатов"),
        _("Действующие (не отозванные) сертификаты участников сезона"),
        ITEMS,
        _per_season(lambda data, sid: KpiValue(data.certificates.get(sid, 0))),
    ),
    KpiDefinition(
        "feedback_coverage",
        _("Обратная связь за квартал"),
        _("участвующие, ответившие на обратную связь текущего квартала / все участвующие"),
        PERCENT,
        _per_season(_feedback),
    ),
]

KPI_BY_CODE = {definition.code: definition for definition in KPI_DEFINITIONS}


def kpi_values(*, seasons: Iterable[Season], now: datetime) -> dict[int, dict[str, dict]]:
    """Every KPI for every season, JSON-ready: {season id: {code: {"value", "numerator", "denominator", "unit"}}}."""
    data = KpiData(seasons, now)
    result: dict[int, dict[str, dict]] = {season_id: {} for season_id in data.season_ids}
    for definition in KPI_DEFINITIONS:
        for season_id, value in definition.compute(data).items():
            result[season_id][definition.code] = definition.as_json(value)
    return result
