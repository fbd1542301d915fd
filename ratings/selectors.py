"""Reads of reviews used by more than one place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from activities.models import Submission
from experts.models import ExpertAssignment, ExpertRole, GroupMember
from participants.models import Enrollment, Person
from programs.models import Season

from .models import Review, ReviewAssignment, ReviewComment, ReviewLock, ReviewScore, RubricCriterion


def rubric_maximum() -> Subquery:
    """The maximum total of the review's rubric, Σ max points × weight (review_total at full marks); NULL for a
    rubric without criteria. For a queryset of reviews."""
    points = ExpressionWrapper(F("max_points") * F("weight"), output_field=DecimalField(max_digits=9, decimal_places=2))
    return Subquery(
        RubricCriterion.objects.filter(rubric_id=OuterRef("rubric_id"))
        .order_by()
        .values("rubric_id")
        .annotate(m=Sum(points))
        .values("m"),
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )


def rubric_maximum_of(criteria: Iterable[RubricCriterion]) -> Decimal:
    """The same maximum over criteria already loaded."""
    return sum((Decimal(c.max_points) * c.weight for c in criteria), Decimal(0))


def released_reviews(submissions: Sequence[Submission]) -> list[Review]:
    """The released reviews of these submissions, newest first, with rubric and its maximum (`rubric_max`),
    scored criteria and time-coded comments (general remarks first, then by moment): three queries.

    Only released reviews: a review in progress or scored but not yet released is nobody's business but the
    experts' and the coordinator's.
    """
    if not submissions:
        return []
    return list(
        Review.objects.filter(submission__in=[s.pk for s in submissions], status=Review.Status.RELEASED)
        .select_related("rubric")
        .annotate(rubric_max=rubric_maximum())
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=ReviewScore.objects.select_related("criterion").order_by("criterion__order", "criterion__pk"),
            ),
            Prefetch("comments", queryset=ReviewComment.objects.order_by(F("at_seconds").asc(nulls_first=True), "pk")),
        )
        .order_by("-released_at", "-pk")
    )


def released_recommendations(submissions: Sequence[Submission]) -> dict[int, str]:
    """{submission id: why it came back} — the return reason of its latest returned review, else the
    recommendations of its latest released one."""
    if not submissions:
        return {}
    rows = (
        Review.objects.filter(
            submission__in=[s.pk for s in submissions], status__in=[Review.Status.RETURNED, Review.Status.RELEASED]
        )
        .order_by("submission_id", "-released_at", "-pk")
        .values_list("submission_id", "return_reason", "recommendations")
    )
    reasons: dict[int, str] = {}
    for submission_id, return_reason, recommendations in rows:
        text = return_reason or recommendations
        if text:
            reasons.setdefault(submission_id, text)
    return reasons


# --- Review of video lessons: who may review what, the expert's queue -------------------------------------

WAITING_STATUSES = (Submission.Status.SUBMITTED, Submission.Status.IN_REVIEW)


def reviewer_for(person: Person, submission: Submission) -> ExpertAssignment | None:
    """The person's expert assignment under which they review this submission, or None: the one a coordinator
    or the season's rules assigned it to, else the active methodist of its subject (when the season has
    methodists review by subject), else the curator of the participant's group (when curators review).
    At most three queries."""
    season = submission.assignment.activity.season
    mine = list(ExpertAssignment.objects.filter(person=person, season_id=season.pk, is_active=True))
    if not mine:
        return None
    by_pk = {a.pk: a for a in mine}
    assigned = (
        ReviewAssignment.objects.filter(submission_id=submission.pk, expert_id__in=by_pk)
        .order_by("-is_manual", "pk")
        .values_list("expert_id", flat=True)
        .first()
    )
    if assigned is not None:
        return by_pk[assigned]
    if season.review_by_subject_methodist and submission.subject_id:
        for a in mine:
            if a.role == ExpertRole.METHODIST and a.subject_id == submission.subject_id:
                return a
    curators = [a.pk for a in mine if a.role == ExpertRole.CURATOR]
    if season.review_by_curator and curators:
        curator = (
            GroupMember.objects.filter(enrollment_id=submission.enrollment_id, group__curator_id__in=curators)
            .values_list("group__curator_id", flat=True)
            .first()
        )
        if curator is not None:
            return by_pk[curator]
    return None


def _eligible(assignments: Sequence[ExpertAssignment]) -> Q:
    """Submissions these assignments may review by the seasons' rules (the explicit ones come through `mine`)."""
    condition = Q(mine=True)
    for a in assignments:
        if a.role == ExpertRole.METHODIST and a.subject_id and a.season.review_by_subject_methodist:
            condition |= Q(assignment__activity__season_id=a.season_id, subject_id=a.subject_id)
    curators = [a.pk for a in assignments if a.role == ExpertRole.CURATOR and a.season.review_by_curator]
    if curators:
        # A subquery over the curators' group members rather than two joins per row: one hash of a few rows,
        # and a shorter join list for the planner.
        members = GroupMember.objects.filter(group__curator_id__in=curators).values("enrollment_id")
        condition |= Q(enrollment_id__in=members)
    return condition


def overdue_condition(seasons: Iterable[Season], now: datetime) -> Q:
    """Submitted longer ago than their season's review period (seasons differ, so one branch per season)."""
    condition = Q(pk__in=[])
    for season in seasons:
        condition |= Q(
            assignment__activity__season_id=season.pk,
            submitted_at__lt=now - timedelta(days=season.review_due_days),
        )
    return condition


def review_queue(assignments: Sequence[ExpertAssignment]) -> QuerySet[Submission]:
    """What the expert may review, still waiting: current versions submitted or in review that they have not
    scored yet, and (unless assigned to them) that nobody has scored yet. Assigned ones first, then oldest
    first; each row carries `mine` and its season, participant, subject and lock (with the locking expert).
    The queue page narrows it with ratings.filters.ReviewQueueFilterSet."""
    ids = [a.pk for a in assignments]
    seasons = {a.season_id: a.season for a in assignments}
    scored_by_me = Review.objects.filter(submission=OuterRef("pk"), expert_id__in=ids).exclude(
        status=Review.Status.IN_PROGRESS
    )
    # «Unless assigned to them, nobody has scored it yet» as one NOT EXISTS: a scored review of a lesson that is
    # not assigned to the expert. Written as «mine OR NOT scored» the database hashes every scored review of the
    # region for each page; as a plain NOT EXISTS it probes the partial index for the candidate rows only.
    scored_unassigned = Review.objects.filter(
        submission=OuterRef("pk"), status__in=[Review.Status.SUBMITTED, Review.Status.RELEASED]
    ).filter(~Exists(ReviewAssignment.objects.filter(submission=OuterRef("submission"), expert_id__in=ids)))
    qs = (
        Submission.objects.filter(
            is_current=True, status__in=WAITING_STATUSES, assignment__activity__season_id__in=list(seasons)
        )
        .annotate(mine=Exists(ReviewAssignment.objects.filter(submission=OuterRef("pk"), expert_id__in=ids)))
        .filter(_eligible(assignments))
        .filter(~Exists(scored_by_me))
        .filter(~Exists(scored_unassigned))
    )
    return qs.select_related(
        "enrollment__person",
        "subject",
        "assignment__activity__season__program",
        "review_lock__expert__person",
    ).order_by("-mine", "submitted_at", "pk")


def review_queue_rows(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    """A queue (review_queue) narrowed to the submissions' own columns the queue's table shows: topic, version,
    submission time, the subject's id and each row's season id as `queue_season_id` (the seasons come with the
    expert's assignments). The participants' names and the locks come for the page's rows only, from
    review_queue_people: joined here, the five tables they need (enrollment, person, lock, expert, expert's person)
    doubled the time PostgreSQL spends planning this query on the region data (3.6 → 7 ms), more than the
    two small queries that replace them cost (docs/decisions/0012)."""
    return (
        qs.select_related(None)
        .annotate(queue_season_id=F("assignment__activity__season_id"))
        .only("enrollment_id", "version", "topic", "submitted_at", "subject")
    )


@dataclass(frozen=True)
class QueuePeople:
    """The participants (by enrollment id) and the review locks (by submission id) of a page of the queue."""

    persons: dict[int, Person]
    locks: dict[int, ReviewLock]


def review_queue_people(rows: Sequence[Submission]) -> QueuePeople:
    """Who submitted each row and who holds its lock, with the lock's expert's name: two queries for a page of
    any size (none for an empty page)."""
    if not rows:
        return QueuePeople({}, {})
    persons = {
        enrollment.pk: enrollment.person
        for enrollment in Enrollment.objects.filter(pk__in={row.enrollment_id for row in rows})
        .select_related("person")
        .only("person__last_name", "person__first_name", "person__middle_name")
    }
    locks = {
        lock.submission_id: lock
        for lock in ReviewLock.objects.filter(submission_id__in=[row.pk for row in rows])
        .select_related("expert__person")
        .only(
            "submission_id",
            "expires_at",
            "expert_id",
            "expert__person__last_name",
            "expert__person__first_name",
            "expert__person__middle_name",
        )
    }
    return QueuePeople(persons, locks)


def free_for(qs: QuerySet[Submission], assignments: Sequence[ExpertAssignment], now: datetime) -> QuerySet:
    """Rows of a queue nobody else holds a running lock on."""
    return qs.filter(
        Q(review_lock__isnull=True)
        | Q(review_lock__expires_at__lte=now)
        | Q(review_lock__expert_id__in=[a.pk for a in assignments])
    )


def review_workload(assignments: Sequence[ExpertAssignment], *, now: datetime) -> dict[int, dict[str, int]]:
    """{season id: {"waiting", "assigned", "overdue", "in_progress"}} for the expert's workspace: two queries."""
    seasons = {a.season_id: a.season for a in assignments}
    overdue = overdue_condition(seasons.values(), now)
    counts: dict[int, dict[str, int]] = {
        pk: {"waiting": 0, "assigned": 0, "overdue": 0, "in_progress": 0} for pk in seasons
    }
    rows = (
        review_queue(assignments)
        .order_by()
        .values("assignment__activity__season_id")
        .annotate(
            waiting=Count("pk"),
            assigned=Count("pk", filter=Q(mine=True)),
            overdue=Count("pk", filter=Q(mine=True) & overdue),
        )
    )
    for row in rows:
        counts[row["assignment__activity__season_id"]].update(
            waiting=row["waiting"], assigned=row["assigned"], overdue=row["overdue"]
        )
    in_progress = (
        Review.objects.filter(expert_id__in=[a.pk for a in assignments], status=Review.Status.IN_PROGRESS)
        .values("expert__season_id")
        .annotate(n=Count("pk"))
    )
    for row in in_progress:
        counts[row["expert__season_id"]]["in_progress"] = row["n"]
    return counts
