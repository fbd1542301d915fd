"""The ratings app's section of the teacher's cabinet: my points, my rank and the breakdown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Func, IntegerField, OuterRef, Subquery
from django.utils.translation import gettext as _

from core.choices import choice_label
from participants.cabinet import CabinetContext, Section, register_section
from participants.consents import RATING_PUBLICATION
from participants.models import Enrollment
from programs.models import Season
from programs.rule_sources import DEFAULT_SOURCE

from .models import ParticipantRating

SHOWN_STATUSES = frozenset({Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED})
ACHIEVEMENT_WEIGHTS = (
    "weight_achievement_municipal",
    "weight_achievement_regional",
    "weight_achievement_federal",
    "weight_achievement_international",
)


def rule_source(season: Season, *fields: str) -> str:
    """Where the season's setting comes from. Seed 000 §5.8 founds the rating but names no weight and no rule,
    so a value is the season's recorded source (a coordinator's change), the portal's default, or one set for
    the season."""
    recorded = [text for text, is_default in (season.rule_source(f) for f in fields) if not is_default]
    if recorded:
        return recorded[0]
    if all(getattr(season, f) == Season._meta.get_field(f).get_default() for f in fields):
        return str(DEFAULT_SOURCE)
    return _("установлено для сезона")


@dataclass(frozen=True)
class RatingComponents:
    """The season's weights beside my points: how each part of the total was counted and on whose word."""

    attendance_weight: Decimal
    attendance_source: str
    video_weight: Decimal
    video_source: str
    video_rule: str
    video_rule_source: str
    achievement_weights: tuple[Decimal, ...]
    achievement_source: str

    @classmethod
    def of(cls, season: Season) -> RatingComponents:
        return cls(
            attendance_weight=season.weight_attendance,
            attendance_source=rule_source(season, "weight_attendance"),
            video_weight=season.weight_video_score,
            video_source=rule_source(season, "weight_video_score"),
            video_rule=choice_label(season, "video_score_rule"),
            video_rule_source=rule_source(season, "video_score_rule"),
            achievement_weights=tuple(getattr(season, f) for f in ACHIEVEMENT_WEIGHTS),
            achievement_source=rule_source(season, *ACHIEVEMENT_WEIGHTS),
        )


def rating_context(ctx: CabinetContext) -> dict | None:
    """One query: my rating rows, each with how many are ranked in its season. Whether my name may be shown
    in the rating (the consent the section lets me give or withdraw) came with the enrollments."""
    enrollments = [e for e in ctx.enrollments if e.status in SHOWN_STATUSES]
    if not enrollments:
        return None
    # COUNT(*) without a grouping: PostgreSQL counts from the (season, rank) index alone (an index-only scan).
    ranked_in_season = (
        ParticipantRating.objects.filter(season_id=OuterRef("season_id"), rank__isnull=False)
        .order_by()  # the model's ordering would join the program into the query
        .annotate(n=Func(function="COUNT", template="COUNT(*)", output_field=IntegerField()))
        .values("n")
    )
    ratings = {
        r.enrollment_id: r
        for r in ParticipantRating.objects.filter(enrollment__in=enrollments)
        .order_by()
        .annotate(ranked=Subquery(ranked_in_season))
    }
    rows = [
        {
            "enrollment": e,
            "rating": ratings.get(e.pk),
            "ranked": (ratings[e.pk].ranked or 0) if e.pk in ratings else 0,
            "components": RatingComponents.of(e.season),
        }
        for e in enrollments
    ]
    given_at = ctx.person.rating_consent_at
    consent = {"given_at": given_at} if given_at is not None else None
    return {"rows": rows, "consent": consent, "consent_text": RATING_PUBLICATION}


def register() -> None:
    register_section(Section(key="rating", template="ratings/cabinet/_rating.html", context=rating_context, order=60))
