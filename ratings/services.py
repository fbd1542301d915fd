"""Business rules of the rating: points from attendance, video-lesson scores and achievements, and ranks."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import (
    Avg,
    Count,
    FloatField,
    Max,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activities.models import Attendance, Submission
from activities.video_state import format_moment
from core.history import history_bulk_record, history_context
from core.task_outbox import task_enqueue, task_enqueued
from experts.models import ExpertAssignment, ExpertRole, GroupMember
from participants.models import Enrollment, User
from programs.models import ReviewRelease, Season, VideoScoreRule
from programs.signals import rows_changed

from .achievement_files import validate_proof_file
from .models import (
    Achievement,
    ParticipantRating,
    Review,
    ReviewAssignment,
    ReviewComment,
    ReviewLock,
    ReviewScore,
    Rubric,
    RubricCriterion,
)
from .review_notices import reviews_notify_teachers
from .rules import can_release_review
from .rules_achievements import EXPERT_GROUP_ROLES
from .selectors import rubric_maximum

CENTS = Decimal("0.01")
# Withdrawn and excluded participants keep their points on record but take no place in the ranking.
RATED_STATUSES = (
    Enrollment.Status.ACTIVE,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.WITHDRAWN,
    Enrollment.Status.EXCLUDED,
)
RANKED_STATUSES = frozenset({Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED})


def _competition_ranks(totals: dict[int, Decimal]) -> dict[int, int]:
    """Ranks by total, highest first, equal totals sharing a place and the next place skipped (1, 1, 3)."""
    ranks: dict[int, int] = {}
    previous_total, previous_rank = None, 0
    for position, (enrollment_id, total) in enumerate(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])), 1):
        rank = previous_rank if total == previous_total else position
        ranks[enrollment_id] = rank
        previous_total, previous_rank = total, rank
    return ranks


def _achievement_level_points(season: Season) -> dict[str, Decimal]:
    return {
        Achievement.Level.MUNICIPAL: season.weight_achievement_municipal,
        Achievement.Level.REGIONAL: season.weight_achievement_regional,
        Achievement.Level.FEDERAL: season.weight_achievement_federal,
        Achievement.Level.INTERNATIONAL: season.weight_achievement_international,
    }


def _lesson_shares(*, season: Season, enrollment_ids: Iterable[int]) -> dict[int, Decimal]:
    """{enrollment id: Σ over its current lessons of the lesson's score as a share of the rubric maximum}.

    A lesson counts once however many experts reviewed it (seed 000 §5.8: one rating of participants, and
    the season's defaults send each lesson to the subject methodist and the curator): the mean of its released
    reviews' shares, each review against its own rubric version's maximum; or, when the season says
    VideoScoreRule.LEAD, the mean of its methodists' released reviews, the mean of all while none is released.
    One query, grouped by lesson.
    """
    reviews = Review.objects.filter(
        status=Review.Status.RELEASED,
        total_score__isnull=False,
        submission__is_current=True,
        submission__enrollment_id__in=enrollment_ids,
        submission__assignment__activity__season=season,
    ).annotate(
        # A float share: on SQLite a decimal divided by a decimal with no fraction divides as integers.
        share=Cast("total_score", FloatField()) / Cast(NullIf(rubric_maximum(), Value(Decimal(0))), FloatField()),
    )
    lesson_share = Avg("share")
    if season.video_score_rule == VideoScoreRule.LEAD:
        lesson_share = Coalesce(Avg("share", filter=Q(expert__role=ExpertRole.METHODIST)), Avg("share"))
    shares: dict[int, Decimal] = {}
    for enrollment_id, share in (
        reviews.order_by()
        .values("submission_id", "submission__enrollment_id")
        .annotate(lesson=lesson_share)
        .values_list("submission__enrollment_id", "lesson")
    ):
        if share is not None:
            shares[enrollment_id] = shares.get(enrollment_id, Decimal(0)) + Decimal(str(share))
    return shares


@transaction.atomic
def rating_recompute(*, season: Season) -> int:
    """Recompute every participant's points and rank in the season; returns the number of rating rows.

    attendance = (present + late sessions) × weight_attendance; video = Σ over current lessons of the lesson's
    share of its rubric maximum (_lesson_shares) × weight_video_score; achievements = Σ confirmed achievements ×
    the season's points for their level (weight_achievement_<level>). Six queries whatever the number of
    participants. Safe to run twice.
    """
    enrollments = dict(Enrollment.objects.filter(season=season, status__in=RATED_STATUSES).values_list("pk", "status"))
    attended = dict(
        Attendance.objects.filter(
            enrollment_id__in=enrollments,
            session__activity__season=season,
            status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE],
        )
        .values("enrollment_id")
        .annotate(n=Count("session_id", distinct=True))
        .values_list("enrollment_id", "n")
    )
    scores = _lesson_shares(season=season, enrollment_ids=enrollments)
    achieved: dict[int, Decimal] = {}
    level_points = _achievement_level_points(season)
    for enrollment_id, level, n in (
        Achievement.objects.filter(enrollment_id__in=enrollments, status=Achievement.Status.CONFIRMED)
        .order_by()
        .values("enrollment_id", "level")
        .annotate(n=Count("pk"))
        .values_list("enrollment_id", "level", "n")
    ):
        achieved[enrollment_id] = achieved.get(enrollment_id, Decimal(0)) + n * level_points.get(level, Decimal(0))
    now = timezone.now()
    rows: dict[int, ParticipantRating] = {}
    for enrollment_id in enrollments:
        attendance_points = (Decimal(attended.get(enrollment_id, 0)) * season.weight_attendance).quantize(CENTS)
        video_points = (scores.get(enrollment_id, Decimal(0)) * season.weight_video_score).quantize(CENTS)
        achievement_points = achieved.get(enrollment_id, Decimal(0)).quantize(CENTS)
        rows[enrollment_id] = ParticipantRating(
            enrollment_id=enrollment_id,
            season=season,
            attendance_points=attendance_points,
            video_points=video_points,
            achievement_points=achievement_points,
            total=attendance_points + video_points + achievement_points,
            rank=None,
            computed_at=now,
        )
    ranks = _competition_ranks({pk: row.total for pk, row in rows.items() if enrollments[pk] in RANKED_STATUSES})
    for enrollment_id, rank in ranks.items():
        rows[enrollment_id].rank = rank
    ParticipantRating.objects.filter(season=season).exclude(enrollment_id__in=enrollments).delete()
    ParticipantRating.objects.bulk_create(
        rows.values(),
        update_conflicts=True,
        unique_fields=["enrollment"],
        update_fields=[
            "season",
            "attendance_points",
            "video_points",
            "achievement_points",
            "total",
            "rank",
            "computed_at",
        ],
        batch_size=500,
    )
    rows_changed.send(sender=ParticipantRating)
    return len(rows)


# --- Review of video lessons --------------------------------------------------------------------------------

WAITING_STATUSES = (Submission.Status.SUBMITTED, Submission.Status.IN_REVIEW)


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: [message]} if field else message)


@transaction.atomic
def review_assign(*, submissions: QuerySet[Submission]) -> int:
    """Put waiting current submissions in their reviewers' queues by their seasons' rules; returns how many
    assignments were added. A replacement version inherits the assignments of the versions before it.

    Set-based: five queries whatever the number of submissions. Safe to run twice (existing rows stay).
    """
    rows = list(
        submissions.filter(is_current=True, status__in=WAITING_STATUSES).values(
            "pk",
            "assignment_id",
            "enrollment_id",
            "subject_id",
            "assignment__activity__season_id",
            "assignment__activity__season__review_by_subject_methodist",
            "assignment__activity__season__review_by_curator",
        )
    )
    if not rows:
        return 0
    season_ids = {r["assignment__activity__season_id"] for r in rows}
    methodists: dict[tuple[int, int], list[int]] = {}
    for pk, season_id, subject_id in ExpertAssignment.objects.filter(
        season_id__in=season_ids, role=ExpertRole.METHODIST, is_active=True, subject__isnull=False
    ).values_list("pk", "season_id", "subject_id"):
        methodists.setdefault((season_id, subject_id), []).append(pk)
    curators = dict(
        GroupMember.objects.filter(
            enrollment_id__in={r["enrollment_id"] for r in rows}, group__curator__is_active=True
        ).values_list("enrollment_id", "group__curator_id")
    )
    inherited: dict[tuple[int, int], dict[int, bool]] = {}
    for assignment_id, enrollment_id, expert_id, is_manual in ReviewAssignment.objects.filter(
        submission__is_current=False,
        submission__assignment_id__in={r["assignment_id"] for r in rows},
        submission__enrollment_id__in={r["enrollment_id"] for r in rows},
        expert__is_active=True,
    ).values_list("submission__assignment_id", "submission__enrollment_id", "expert_id", "is_manual"):
        experts = inherited.setdefault((assignment_id, enrollment_id), {})
        experts[expert_id] = experts.get(expert_id, False) or is_manual
    wanted: list[ReviewAssignment] = []
    for row in rows:
        experts = dict(inherited.get((row["assignment_id"], row["enrollment_id"]), {}))
        season_id = row["assignment__activity__season_id"]
        if row["assignment__activity__season__review_by_subject_methodist"] and row["subject_id"]:
            for pk in methodists.get((season_id, row["subject_id"]), []):
                experts.setdefault(pk, False)
        if row["assignment__activity__season__review_by_curator"] and row["enrollment_id"] in curators:
            experts.setdefault(curators[row["enrollment_id"]], False)
        wanted += [ReviewAssignment(submission_id=row["pk"], expert_id=e, is_manual=m) for e, m in experts.items()]
    before = ReviewAssignment.objects.filter(submission_id__in=[r["pk"] for r in rows]).count()
    ReviewAssignment.objects.bulk_create(wanted, ignore_conflicts=True, batch_size=500)
    return ReviewAssignment.objects.filter(submission_id__in=[r["pk"] for r in rows]).count() - before


def review_assign_submitted(*, submission: Submission, previous: Submission | None = None) -> int:
    """A lesson just submitted goes to its season's reviewers and to those of the version it replaces; called
    in the submission's transaction (activities.services.register_submission_handler), so a failure here
    submits nothing."""
    return review_assign(submissions=Submission.objects.filter(pk=submission.pk))


@transaction.atomic
def review_reassign(
    *, submissions: QuerySet[Submission], expert: ExpertAssignment
) -> tuple[int, list[tuple[Submission, str]]]:
    """A coordinator hands the selected submissions to one expert of their season: the expert's assignment
    replaces every other; returns (how many were reassigned, [(submission, why it was skipped)])."""
    if not expert.is_active:
        _refuse(_("Этот эксперт выведен из команды сезона: выберите другого."), "expert")
    skipped: list[tuple[Submission, str]] = []
    chosen: list[int] = []
    for submission in submissions.select_related("enrollment__person", "assignment__activity"):
        if submission.assignment.activity.season_id != expert.season_id:
            skipped.append((submission, _("видеоурок другого сезона, чем у выбранного эксперта")))
        elif not submission.is_current or submission.status not in WAITING_STATUSES:
            skipped.append((submission, _("видеоурок уже не ждёт проверки")))
        else:
            chosen.append(submission.pk)
    ReviewAssignment.objects.filter(submission_id__in=chosen).exclude(expert=expert).delete()
    ReviewAssignment.objects.bulk_create(
        [ReviewAssignment(submission_id=pk, expert=expert, is_manual=True) for pk in chosen], ignore_conflicts=True
    )
    ReviewAssignment.objects.filter(submission_id__in=chosen, expert=expert).update(
        is_manual=True, assigned_at=timezone.now()
    )
    return len(chosen), skipped


def _lock_holder_error(lock: ReviewLock, season: Season) -> str:
    return _("Этот видеоурок уже проверяет %(who)s — он закреплён за экспертом до %(until)s.") % {
        "who": lock.expert.person.full_name,
        "until": format_moment(lock.expires_at, season),
    }


def _hold_lock(*, submission: Submission, expert: ExpertAssignment, season: Season, now: datetime) -> ReviewLock:
    """Take or refresh the submission's lock for this expert; refused while another expert's lock runs.
    The caller has locked the submission row, so two experts line up here."""
    lock = (
        ReviewLock.objects.select_for_update(of=("self",))
        .select_related("expert__person")
        .filter(submission=submission)
        .first()
    )
    if lock is not None and lock.expert_id != expert.pk and lock.expires_at > now:
        _refuse(_lock_holder_error(lock, season))
    expires_at = now + timedelta(hours=season.review_lock_hours)
    if lock is not None:
        if lock.expert_id != expert.pk:
            lock.taken_at = now
        lock.expert = expert
        lock.expires_at = expires_at
        lock.save(update_fields=["expert", "taken_at", "expires_at"])
        return lock
    try:
        with transaction.atomic():
            return ReviewLock.objects.create(submission=submission, expert=expert, taken_at=now, expires_at=expires_at)
    except IntegrityError:
        _refuse(_("Этот видеоурок только что взял на проверку другой эксперт. Обновите очередь."))


def _locked_submission(pk: int) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("assignment__activity__season__program")
        .get(pk=pk)
    )


@transaction.atomic
def review_take(*, submission: Submission, expert: ExpertAssignment) -> Review:
    """The expert takes a submission for review: a lock for season.review_lock_hours (refused while another
    expert's lock runs) and their review in progress against the program's current rubric."""
    now = timezone.now()
    submission = _locked_submission(submission.pk)
    season = submission.assignment.activity.season
    if expert.season_id != season.pk or not expert.is_active:
        raise PermissionDenied
    if not submission.is_current or submission.status not in WAITING_STATUSES:
        _refuse(
            _("Этот видеоурок уже не ждёт проверки (статус «%(status)s»).")
            % {"status": submission.get_status_display()}
        )
    review = Review.objects.filter(submission=submission, expert=expert).first()
    if review is not None and review.status != Review.Status.IN_PROGRESS:
        _refuse(
            _("Вы уже закончили проверку этого видеоурока (рецензия: «%(status)s»).")
            % {"status": review.get_status_display()}
        )
    _hold_lock(submission=submission, expert=expert, season=season, now=now)
    if review is None:
        rubric = Rubric.objects.filter(program_id=season.program_id, is_current=True).first()
        if rubric is None:
            _refuse(_("У программы нет действующих критериев оценки видеоурока. Обратитесь к координатору."))
        review = Review.objects.create(
            submission=submission,
            expert=expert,
            rubric=rubric,
            status=Review.Status.IN_PROGRESS,
            due_at=submission.submitted_at + timedelta(days=season.review_due_days),
        )
    if submission.status == Submission.Status.SUBMITTED:
        Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.IN_REVIEW)
        rows_changed.send(sender=Submission)
    return review


@transaction.atomic
def review_lock_release(*, submission: Submission, expert: ExpertAssignment) -> bool:
    """The expert lets go of a submission before the lock expires; their draft stays. True if a lock went."""
    deleted, _rows = ReviewLock.objects.filter(submission=submission, expert=expert).delete()
    return bool(deleted)


@dataclass(frozen=True)
class ScoreInput:
    points: int | None
    comment: str = ""


def _own_review(review: Review, expert: ExpertAssignment) -> Review:
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("rubric", "submission__assignment__activity__season__program")
        .get(pk=review.pk)
    )
    if review.expert_id != expert.pk:
        raise PermissionDenied
    if review.status != Review.Status.IN_PROGRESS:
        _refuse(
            _("Рецензия уже закрыта (статус «%(status)s»): изменить её нельзя.")
            % {"status": review.get_status_display()}
        )
    return review


def _score_errors(criteria: Sequence[RubricCriterion], scores: Mapping[int, ScoreInput], *, final: bool) -> dict:
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        score = scores.get(criterion.pk) or ScoreInput(points=None)
        if score.points is not None and not 0 <= score.points <= criterion.max_points:
            errors[f"points_{criterion.pk}"] = [
                _("Балл по этому критерию — от 0 до %(max)s.") % {"max": criterion.max_points}
            ]
        elif final and score.points is None:
            errors[f"points_{criterion.pk}"] = [_("Поставьте балл по этому критерию.")]
        if final and criterion.comment_required and not score.comment.strip():
            errors[f"comment_{criterion.pk}"] = [_("По этому критерию комментарий обязателен.")]
    return errors


def review_total(criteria: Sequence[RubricCriterion], scores: Mapping[int, ScoreInput]) -> Decimal:
    """Σ points × weight over the scored criteria, to the cent."""
    total = sum(
        (
            Decimal(scores[c.pk].points) * c.weight
            for c in criteria
            if c.pk in scores and scores[c.pk].points is not None
        ),
        Decimal(0),
    )
    return total.quantize(CENTS)


@transaction.atomic
def review_save(
    *,
    review: Review,
    expert: ExpertAssignment,
    scores: Mapping[int, ScoreInput],
    strengths: str = "",
    recommendations: str = "",
    comments: Iterable[tuple[int | None, str]] = (),
    final: bool = False,
) -> Review:
    """Save the expert's scores, remarks and time-coded comments; with final=True the review is submitted
    (every criterion scored, required comments given) and, when the season releases on submit, released.

    Scores link to the criteria of the rubric version the review was started with. While another expert's
    lock runs nothing is saved; the expert's own expired lock is simply renewed.
    """
    now = timezone.now()
    review = _own_review(review, expert)
    submission = _locked_submission(review.submission_id)
    season = submission.assignment.activity.season
    _hold_lock(submission=submission, expert=expert, season=season, now=now)
    criteria = list(review.rubric.criteria.all())
    if errors := _score_errors(criteria, scores, final=final):
        raise ValidationError(errors)
    ReviewScore.objects.filter(review=review).delete()
    ReviewScore.objects.bulk_create(
        [
            ReviewScore(review=review, criterion=c, points=scores[c.pk].points, comment=scores[c.pk].comment.strip())
            for c in criteria
            if c.pk in scores and scores[c.pk].points is not None
        ]
    )
    rows_changed.send(sender=ReviewScore)
    ReviewComment.objects.filter(review=review).delete()
    ReviewComment.objects.bulk_create(
        [ReviewComment(review=review, at_seconds=at, text=text.strip()) for at, text in comments if text.strip()]
    )
    review.strengths = strengths.strip()
    review.recommendations = recommendations.strip()
    review.total_score = review_total(criteria, scores)
    fields = ["strengths", "recommendations", "total_score"]
    if final:
        review.status = Review.Status.SUBMITTED
        review.submitted_at = now
        fields += ["status", "submitted_at"]
    review.save(update_fields=fields)
    if final:
        ReviewLock.objects.filter(submission=submission).delete()
        if season.review_release == ReviewRelease.ON_SUBMIT:
            _release([review], by=None, now=now)
            review.refresh_from_db()
    return review


@transaction.atomic
def review_return(*, review: Review, expert: ExpertAssignment, reason: str) -> Review:
    """The expert sends the lesson back for revision with a reason the teacher sees at once; the teacher may
    then submit a new version (which inherits this submission's reviewers)."""
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Напишите, что нужно доработать: педагог увидит это в личном кабинете."), "return_reason")
    now = timezone.now()
    review = _own_review(review, expert)
    submission = _locked_submission(review.submission_id)
    season = submission.assignment.activity.season
    _hold_lock(submission=submission, expert=expert, season=season, now=now)
    if not submission.is_current or submission.status not in WAITING_STATUSES:
        _refuse(_("Этот видеоурок уже не ждёт проверки: вернуть его нельзя."))
    review.status = Review.Status.RETURNED
    review.return_reason = reason
    review.released_at = now
    review.save(update_fields=["status", "return_reason", "released_at"])
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.RETURNED)
    ReviewLock.objects.filter(submission=submission).delete()
    reviews_notify_teachers(reviews=[review])
    return review


def _release(reviews: Sequence[Review], *, by: User | None, now: datetime) -> None:
    """Publish scored reviews to their teachers and queue the seasons' rating recomputation after commit."""
    Review.objects.filter(pk__in=[r.pk for r in reviews]).update(
        status=Review.Status.RELEASED, released_at=now, released_by=by
    )
    for review in reviews:
        review.status, review.released_at, review.released_by_id = Review.Status.RELEASED, now, by.pk if by else None
    with history_context(user=by, reason="" if by else _("публикация сразу после оценки")):
        history_bulk_record(Review, reviews)
    rows_changed.send(sender=Review)
    Submission.objects.filter(pk__in={r.submission_id for r in reviews}, status__in=WAITING_STATUSES).update(
        status=Submission.Status.REVIEWED
    )
    season_ids = set(
        Submission.objects.filter(pk__in={r.submission_id for r in reviews}).values_list(
            "assignment__activity__season_id", flat=True
        )
    )
    for season_id in sorted(season_ids):
        # Once per season per transaction, however many reviews or other inputs change in it.
        rating_recompute_schedule(season_id=season_id)
    reviews_notify_teachers(reviews=reviews)


@transaction.atomic
def reviews_release(*, reviews: QuerySet[Review], by: User) -> tuple[int, list[tuple[Review, str]]]:
    """A coordinator publishes scored reviews of their municipality to the teachers; returns (how many were
    released, [(review, why it was skipped)])."""
    now = timezone.now()
    ready: list[Review] = []
    skipped: list[tuple[Review, str]] = []
    rows = reviews.select_for_update(of=("self",)).select_related(
        "submission__assignment__activity__season__program", "submission__enrollment__person", "expert__person"
    )
    for review in rows:
        if not can_release_review.test(by, review):
            skipped.append((review, _("рецензия другого муниципалитета")))
        elif review.status != Review.Status.SUBMITTED:
            skipped.append(
                (
                    review,
                    _("опубликовать можно только выставленную оценку (статус «%(status)s»)")
                    % {"status": review.get_status_display()},
                )
            )
        else:
            ready.append(review)
    if ready:
        _release(ready, by=by, now=now)
    return len(ready), skipped


CRITERION_FIELDS = ("order", "title", "description", "max_points", "levels", "weight", "comment_required")


@transaction.atomic
def rubric_revise(*, rubric: Rubric, title: str | None = None, criteria: Sequence[Mapping] | None = None) -> Rubric:
    """Change a rubric. One no review has used yet changes in place; a used one stays as it was (its scores
    keep their meaning) and a new current version is made from it — its criteria copied, or the given ones."""
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if criteria is None:
        criteria = list(rubric.criteria.order_by("order", "pk").values(*CRITERION_FIELDS))
    if not Review.objects.filter(rubric=rubric).exists():
        if title:
            rubric.title = title
            rubric.save(update_fields=["title"])
        rubric.criteria.all().delete()
        target = rubric
    else:
        last = Rubric.objects.filter(program_id=rubric.program_id).aggregate(v=Max("version"))["v"] or 0
        Rubric.objects.filter(program_id=rubric.program_id, is_current=True).update(is_current=False)
        target = Rubric.objects.create(
            program_id=rubric.program_id, title=title or rubric.title, version=last + 1, is_current=True
        )
    RubricCriterion.objects.bulk_create(
        [RubricCriterion(rubric=target, **{k: item[k] for k in CRITERION_FIELDS if k in item}) for item in criteria]
    )
    rows_changed.send(sender=RubricCriterion)
    return target


# --- Achievements and keeping the rating fresh ------------------------------------------------------------


RATING_RECOMPUTE_TASK = "ratings.tasks.rating_recompute_task"


def rating_recompute_schedule(*, season_id: int, using: str | None = None) -> bool:
    """Queue the season's recompute after the current transaction commits; False if already queued in it.

    Debounced: a transaction that marks attendance for thirty people, or confirms ten achievements, queues
    one recompute per season, not thirty (core.task_outbox finds its own pending commit hook again through
    core.commit_hooks, so a rolled-back transaction leaves nothing behind).
    The outbox row is written in the transaction, so the recompute survives a broker that is down.
    """
    kwargs = {"season_id": season_id}
    if task_enqueued(RATING_RECOMPUTE_TASK, kwargs, using=using):
        return False
    task_enqueue(RATING_RECOMPUTE_TASK, kwargs, using=using)
    return True


ACHIEVEMENT_ENROLLMENT_STATUSES = frozenset({Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED})
PROOF_URL_SCHEMES = ("http", "https")


def achievement_enrollment_check(enrollment: Enrollment) -> None:
    """Only a participant who is in the programme (or has completed it) adds achievements."""
    if enrollment.status not in ACHIEVEMENT_ENROLLMENT_STATUSES:
        raise ValidationError(
            _("Достижения добавляют участники программы; статус вашей заявки — «%(status)s».")
            % {"status": enrollment.get_status_display()},
            code="not_participant",
        )


def achievement_proof_url_check(url: str) -> str:
    """A web address (http or https) or nothing; javascript:, data: and the like are refused."""
    url = (url or "").strip()
    if not url:
        return ""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in PROOF_URL_SCHEMES:
        raise ValidationError({"proof_url": _("Ссылка должна начинаться с http:// или https://.")})
    try:
        URLValidator(schemes=list(PROOF_URL_SCHEMES))(url)
    except ValidationError:
        raise ValidationError({"proof_url": _("Это не похоже на адрес страницы в интернете.")}) from None
    return url


def _achievement_fields_check(*, enrollment: Enrollment, kind: str, level: str, happened_on: date, today: date):
    errors = {}
    if kind not in Achievement.Kind.values:
        errors["kind"] = _("Выберите вид достижения из списка.")
    if level not in Achievement.Level.values:
        errors["level"] = _("Выберите уровень из списка.")
    if happened_on > today:
        errors["happened_on"] = _("Дата не может быть в будущем.")
    elif happened_on > enrollment.season.ends_on:
        errors["happened_on"] = _("Дата не может быть позже окончания сезона (%(ends)s).") % {
            "ends": date_format(enrollment.season.ends_on, "j E Y")
        }
    if errors:
        raise ValidationError(errors)


def _proof_file_name(kind: str) -> str:
    # A name of our own: the teacher's file name never reaches the disk or another person's screen.
    return f"{uuid.uuid4().hex}.{kind}"


def _delete_file_on_commit(field_file) -> None:
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def achievement_add(
    *,
    enrollment: Enrollment,
    title: str,
    kind: str,
    level: str,
    happened_on: date,
    result: str = "",
    proof_url: str = "",
    proof_file=None,
    today: date | None = None,
) -> Achievement:
    """A teacher's achievement outside the programme, pending until the expert group decides."""
    achievement_enrollment_check(enrollment)
    today = today or timezone.localdate(timezone=enrollment.season.tz)
    _achievement_fields_check(enrollment=enrollment, kind=kind, level=level, happened_on=happened_on, today=today)
    proof_url = achievement_proof_url_check(proof_url)
    if not proof_url and not proof_file:
        raise ValidationError({"proof_url": _("Добавьте ссылку на подтверждение или загрузите файл.")})
    achievement = Achievement(
        enrollment=enrollment,
        title=title.strip(),
        kind=kind,
        level=level,
        result=result.strip(),
        happened_on=happened_on,
        proof_url=proof_url,
    )
    if proof_file:
        file_kind = validate_proof_file(proof_file)
        achievement.proof_file.save(_proof_file_name(file_kind), proof_file, save=False)
    achievement.save()
    return achievement


def _locked_pending(achievement: Achievement) -> Achievement:
    locked = Achievement.objects.select_for_update().select_related("enrollment__season").get(pk=achievement.pk)
    if locked.status != Achievement.Status.PENDING:
        raise ValidationError(
            _("Достижение уже рассмотрено (%(status)s), изменить или удалить его нельзя.")
            % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


@transaction.atomic
def achievement_update(
    *,
    achievement: Achievement,
    title: str,
    kind: str,
    level: str,
    happened_on: date,
    result: str = "",
    proof_url: str = "",
    proof_file=None,
    remove_file: bool = False,
    today: date | None = None,
) -> Achievement:
    """Change a pending achievement; a new file replaces the old one. Decided achievements stay as they are."""
    achievement = _locked_pending(achievement)
    enrollment = achievement.enrollment
    achievement_enrollment_check(enrollment)
    today = today or timezone.localdate(timezone=enrollment.season.tz)
    _achievement_fields_check(enrollment=enrollment, kind=kind, level=level, happened_on=happened_on, today=today)
    proof_url = achievement_proof_url_check(proof_url)
    keeps_file = bool(achievement.proof_file) and not remove_file
    if not proof_url and not proof_file and not keeps_file:
        raise ValidationError({"proof_url": _("Добавьте ссылку на подтверждение или загрузите файл.")})
    old_file = achievement.proof_file if achievement.proof_file and (proof_file or remove_file) else None
    old_name = old_file.name if old_file else None
    if proof_file:
        file_kind = validate_proof_file(proof_file)
        achievement.proof_file.save(_proof_file_name(file_kind), proof_file, save=False)
    elif remove_file:
        achievement.proof_file = ""
    achievement.title = title.strip()
    achievement.kind = kind
    achievement.level = level
    achievement.result = result.strip()
    achievement.happened_on = happened_on
    achievement.proof_url = proof_url
    achievement.save()
    if old_name:
        storage = achievement.proof_file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return achievement


@transaction.atomic
def achievement_delete(*, achievement: Achievement) -> None:
    """Delete a pending achievement and, once committed, its file."""
    achievement = _locked_pending(achievement)
    _delete_file_on_commit(achievement.proof_file)
    achievement.delete()


@transaction.atomic
def achievement_decide(
    *, achievements: Iterable[Achievement], confirm: bool, comment: str = "", by: User, now: datetime | None = None
) -> list[Achievement]:
    """Confirm or reject pending achievements (one or many); returns the ones decided.

    A rejection needs a comment: the teacher must learn why. Achievements already decided, or outside what
    `by` may decide (their expert-group seasons, their municipality as a coordinator), are left untouched.
    The rating of every season touched is recomputed after the commit, once per season.
    """
    from .selectors_achievements import achievements_decidable_by

    comment = (comment or "").strip()
    if not confirm and not comment:
        raise ValidationError({"comment": _("Укажите причину отклонения: участник увидит её в кабинете.")})
    now = now or timezone.now()
    ids = [a.pk for a in achievements]
    decided = list(
        achievements_decidable_by(by)
        .select_for_update(of=("self",))
        .filter(pk__in=ids, status=Achievement.Status.PENDING)
        .select_related("enrollment")
        .order_by("pk")
    )
    if not decided:
        return []
    season_ids = {a.enrollment.season_id for a in decided}
    deciders = {}
    for assignment in ExpertAssignment.objects.filter(
        person__user_id=by.pk, season_id__in=season_ids, is_active=True, role__in=EXPERT_GROUP_ROLES
    ).order_by("season_id", "role", "pk"):
        deciders.setdefault(assignment.season_id, assignment)
    status = Achievement.Status.CONFIRMED if confirm else Achievement.Status.REJECTED
    for achievement in decided:
        achievement.status = status
        achievement.comment = comment
        achievement.decided_at = now
        # A coordinator deciding outside the expert team leaves no expert assignment to record.
        achievement.decided_by = deciders.get(achievement.enrollment.season_id)
    Achievement.objects.bulk_update(decided, ["status", "comment", "decided_at", "decided_by"])
    rows_changed.send(sender=Achievement)
    for season_id in sorted(season_ids):
        rating_recompute_schedule(season_id=season_id)
    return decided
