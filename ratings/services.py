"""Business rules of the rating: points from attendance, video-lesson scores and achievements, and ranks."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activities.models import Attendance
from experts.models import ExpertAssignment
from participants.models import Enrollment, User
from programs.models import Season

from .achievement_files import validate_proof_file
from .models import Achievement, ParticipantRating, Review
from .rules_achievements import EXPERT_GROUP_ROLES

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


@transaction.atomic
def rating_recompute(*, season: Season) -> int:
    """Recompute every participant's points and rank in the season; returns the number of rating rows.

    attendance = (present + late sessions) × weight_attendance; video = the sum of released reviews' total
    scores of current submissions × weight_video_score; achievements = Σ confirmed achievements × the season's
    points for their level (weight_achievement_<level>). Six queries whatever the number of participants.
    Safe to run twice.
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
    scores = dict(
        Review.objects.filter(
            status=Review.Status.RELEASED,
            total_score__isnull=False,
            submission__is_current=True,
            submission__enrollment_id__in=enrollments,
            submission__assignment__activity__season=season,
        )
        .values("submission__enrollment_id")
        .annotate(score=Sum("total_score"))
        .values_list("submission__enrollment_id", "score")
    )
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
        video_points = (Decimal(scores.get(enrollment_id) or 0) * season.weight_video_score).quantize(CENTS)
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
    return len(rows)


# --- Achievements and keeping the rating fresh ------------------------------------------------------------


class _RatingRecompute:
    """The on-commit callback that queues one season's recompute; recognisable, so it is queued once."""

    def __init__(self, season_id: int):
        self.season_id = season_id

    def __call__(self) -> None:
        from .tasks import rating_recompute_task  # tasks imports this module

        rating_recompute_task.delay(self.season_id)


def rating_recompute_schedule(*, season_id: int, using: str | None = None) -> bool:
    """Queue the season's recompute after the current transaction commits; False if already queued in it.

    Debounced: a transaction that marks attendance for thirty people, or confirms ten achievements, queues
    one recompute per season, not thirty. The pending callbacks of the transaction are Django's own list
    (connection.run_on_commit, emptied on commit and trimmed on rollback), so a rolled-back transaction
    leaves nothing behind. Outside a transaction the task is queued at once.
    """
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        for entry in connection.run_on_commit:
            callback = entry[1]
            if isinstance(callback, _RatingRecompute) and callback.season_id == season_id:
                return False
    transaction.on_commit(_RatingRecompute(season_id), using=using)
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
    for season_id in sorted(season_ids):
        rating_recompute_schedule(season_id=season_id)
    return decided
