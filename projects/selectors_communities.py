"""Reads of the professional communities «ПРОкомьюнити» (сид 001): lists with counts, the bank, the points board.

Points are computed from the rows by one query (no stored counter): a material added, a rating given, a meeting
attended, a group trained, a report submitted, each with the season's weight (MotivationScale) or the portal's
default — the seed sets no numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityAudience, Attendance, Session
from participants.models import Consent, Enrollment
from programs.models import RoadmapModule, Season

from .models.communities import (
    COMMUNITY_MIN_MEMBERS,
    DEFAULT_THRESHOLDS,
    DEFAULT_WEIGHTS,
    CascadeTraining,
    Community,
    CommunityMember,
    CommunityReport,
    MotivationScale,
    Practice,
    PracticeRating,
)

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)


def active_members(community: Community, *, today: date | None = None) -> QuerySet[CommunityMember]:
    """Members who have not left (by `today`, when given) and are still active in the program."""
    qs = CommunityMember.objects.filter(community=community, enrollment__status=Enrollment.Status.ACTIVE)
    if today is None:
        return qs.filter(left_on__isnull=True)
    return qs.filter(Q(left_on__isnull=True) | Q(left_on__gt=today), joined_on__lte=today)


def _active_member_count() -> Count:
    return Count(
        "members",
        filter=Q(members__left_on__isnull=True, members__enrollment__status=Enrollment.Status.ACTIVE),
        distinct=True,
    )


def community_leaders(season: Season) -> QuerySet[Enrollment]:
    """The leaders of the season's communities: the «Prof-акселератор» is for them (сид 001)."""
    return Enrollment.objects.filter(led_communities__season=season).distinct()


def communities_of_season(season: Season) -> QuerySet[Community]:
    """The season's communities with their active-member count and whether the staff is complete (сид 001: «пяти и
    более человек»). One query."""
    return (
        Community.objects.filter(season=season)
        .select_related("leader__person", "curator__person")
        .annotate(
            active_count=_active_member_count(),
            practice_count=Count("practices", filter=Q(practices__hidden_at__isnull=True), distinct=True),
        )
        .order_by("name", "pk")
    )


def is_staffed(active_count: int) -> bool:
    return active_count >= COMMUNITY_MIN_MEMBERS


def community_members(community: Community) -> QuerySet[CommunityMember]:
    return (
        CommunityMember.objects.filter(community=community)
        .select_related("enrollment__person__organisation")
        .order_by(F("left_on").asc(nulls_first=True), "enrollment__person__last_name", "pk")
    )


def community_meetings(community: Community) -> QuerySet[Session]:
    """The community's meetings with their invited and attended counts."""
    if not community.meetings_activity_id:
        return Session.objects.none()
    return (
        Session.objects.filter(activity_id=community.meetings_activity_id)
        .select_related("activity")
        .annotate(
            invited_count=Count("invited", distinct=True),
            attended_count=Count(
                "attendance", filter=Q(attendance__status__in=ATTENDED, attendance__is_default=False), distinct=True
            ),
        )
        .order_by("starts_at", "pk")
    )


def community_trainings(community: Community) -> QuerySet[CascadeTraining]:
    return (
        CascadeTraining.objects.filter(community=community)
        .select_related("trainer__person", "session__activity")
        .annotate(
            invited_count=Count("session__invited", distinct=True),
            attended_count=Count(
                "session__attendance",
                filter=Q(session__attendance__status__in=ATTENDED, session__attendance__is_default=False),
                distinct=True,
            ),
        )
        .order_by("session__starts_at", "pk")
    )


def community_reports(community: Community) -> QuerySet[CommunityReport]:
    return CommunityReport.objects.filter(community=community).select_related("submitted_by__person")


def bank(season: Season, *, include_hidden: bool = False) -> QuerySet[Practice]:
    """The season's bank of materials and practices with the average rating and the number of ratings."""
    qs = Practice.objects.filter(community__season=season)
    if not include_hidden:
        qs = qs.filter(hidden_at__isnull=True)
    return qs.select_related("community", "author__person__organisation").annotate(
        average=Avg("ratings__score"), rating_count=Count("ratings", distinct=True)
    )


def my_ratings(enrollment: Enrollment | None, practice_ids) -> dict[int, int]:
    if enrollment is None:
        return {}
    return dict(
        PracticeRating.objects.filter(rater=enrollment, practice_id__in=practice_ids).values_list(
            "practice_id", "score"
        )
    )


# --- Motivation: points and levels -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    practice_added: int
    rating_given: int
    meeting_attended: int
    group_trained: int
    report_submitted: int
    active_from: int
    elite_from: int
    is_default: bool

    def level(self, points: int) -> str:
        """The level a total reaches; the levels' names quote the seed («актив», «педагогическая элита»)."""
        if points >= self.elite_from:
            return str(_("Педагогическая элита"))
        if points >= self.active_from:
            return str(_("Актив сообщества"))
        return str(_("Участник сообщества"))


def motivation_scale(season: Season) -> Scale:
    row = MotivationScale.objects.filter(season=season).first()
    if row is None:
        return Scale(**DEFAULT_WEIGHTS, **DEFAULT_THRESHOLDS, is_default=True)
    return Scale(
        **{name: getattr(row, name) for name in DEFAULT_WEIGHTS},
        **{name: getattr(row, name) for name in DEFAULT_THRESHOLDS},
        is_default=False,
    )


def _count(qs) -> Coalesce:
    counted = qs.order_by().values("x").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def points_of(season: Season, *, now=None) -> tuple[QuerySet[Enrollment], Scale]:
    """Every member (present or past) of the season's communities with their contributions and points. One query."""
    now = now or timezone.now()
    scale = motivation_scale(season)
    enrollment = OuterRef("pk")
    practices = Practice.objects.filter(author=enrollment, hidden_at__isnull=True).annotate(x=F("author_id"))
    ratings = PracticeRating.objects.filter(rater=enrollment).annotate(x=F("rater_id"))
    meetings = Attendance.objects.filter(
        enrollment=enrollment,
        status__in=ATTENDED,
        is_default=False,
        session__activity__community__season=season,
    ).annotate(x=F("enrollment_id"))
    # «Провёл занятие»: a training whose session has ended with at least one trainee present.
    trainings = CascadeTraining.objects.filter(
        trainer=enrollment,
        session__ends_at__lte=now,
        session__attendance__status__in=ATTENDED,
        session__attendance__is_default=False,
    ).annotate(x=F("trainer_id"))
    reports = CommunityReport.objects.filter(submitted_by=enrollment, submitted_at__isnull=False).annotate(
        x=F("submitted_by_id")
    )
    qs = (
        Enrollment.objects.filter(Exists(CommunityMember.objects.filter(enrollment=OuterRef("pk"))), season=season)
        .select_related("person__organisation")
        .annotate(
            practices_added=_count(practices),
            ratings_given=_count(ratings),
            meetings_attended=_count(meetings),
            groups_trained=Coalesce(
                Subquery(
                    trainings.order_by().values("x").annotate(n=Count("pk", distinct=True)).values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            reports_submitted=_count(reports),
        )
        .annotate(
            points=F("practices_added") * scale.practice_added
            + F("ratings_given") * scale.rating_given
            + F("meetings_attended") * scale.meeting_attended
            + F("groups_trained") * scale.group_trained
            + F("reports_submitted") * scale.report_submitted,
            published=Exists(
                Consent.objects.filter(
                    person_id=OuterRef("person_id"),
                    kind=Consent.Kind.RATING_PUBLICATION,
                    withdrawn_at__isnull=True,
                )
            ),
        )
    )
    return qs, scale


def board(season: Season, *, now=None) -> tuple[QuerySet[Enrollment], Scale]:
    """The district board: members by points, highest first. A name is shown only with the rating-publication
    consent, as on the participants' leaderboard (ratings: «Участник №…» otherwise)."""
    qs, scale = points_of(season, now=now)
    return qs.order_by("-points", "pk"), scale


def my_points(enrollment: Enrollment, *, now=None):
    qs, scale = points_of(enrollment.season, now=now)
    return qs.filter(pk=enrollment.pk).first(), scale


def my_trainings(enrollment: Enrollment) -> QuerySet[CascadeTraining]:
    """The cascade trainings a teacher led («провёл занятие»), with how many trainees attended."""
    return (
        CascadeTraining.objects.filter(trainer=enrollment)
        .select_related("session__activity", "community")
        .annotate(
            attended_count=Count(
                "session__attendance",
                filter=Q(session__attendance__status__in=ATTENDED, session__attendance__is_default=False),
                distinct=True,
            )
        )
        .order_by("session__starts_at", "pk")
    )


def accelerator_modules(season: Season) -> QuerySet[RoadmapModule]:
    """The season's roadmap modules with sessions for the invited, each with their count: the «Prof-акселератор»
    for leaders (сид 001) is one of them. One query."""
    return (
        RoadmapModule.objects.filter(season=season)
        .annotate(
            invited_sessions=Count(
                "activities__sessions", filter=Q(activities__audience=ActivityAudience.INVITED), distinct=True
            )
        )
        .filter(invited_sessions__gt=0)
        .order_by("order", "pk")
    )


def leaders_with_people(season: Season) -> QuerySet[Enrollment]:
    """The season's community leaders with their names, for the «Prof-акселератор» confirmation."""
    return (
        community_leaders(season)
        .select_related("person__organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )
