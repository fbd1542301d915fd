"""Rubrics for video lessons and the experts' reviews scored against them."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Submission
from core.history import AuditHistory
from experts.models import ExpertAssignment
from participants.models import Enrollment
from programs.models import Program, Season


class Rubric(models.Model):
    """A versioned rubric of a program: a review keeps the version it was scored with."""

    program = models.ForeignKey(Program, verbose_name=_("программа"), on_delete=models.CASCADE, related_name="rubrics")
    title = models.CharField(_("название"), max_length=200)
    version = models.PositiveSmallIntegerField(_("версия"), default=1)
    is_current = models.BooleanField(_("действующая"), default=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    class Meta:
        verbose_name = _("критерии оценки (рубрика)")
        verbose_name_plural = _("критерии оценки (рубрики)")
        ordering = ["program", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version"], name="rubric_unique_version"),
            models.UniqueConstraint(fields=["program"], condition=Q(is_current=True), name="rubric_one_current"),
        ]

    def __str__(self):
        return _("%(title)s (в. %(version)s)") % {"title": self.title, "version": self.version}


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, verbose_name=_("рубрика"), on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    title = models.CharField(_("критерий"), max_length=300)
    description = models.TextField(_("описание"), blank=True)
    max_points = models.PositiveSmallIntegerField(_("максимум баллов"), default=3, validators=[MinValueValidator(1)])
    levels = models.JSONField(
        _("уровни"),
        default=list,
        blank=True,
        help_text=_("Описание каждого уровня, от 0 баллов до максимума"),
    )
    weight = models.DecimalField(_("вес"), max_digits=4, decimal_places=2, default=1)
    comment_required = models.BooleanField(_("комментарий обязателен"), default=False)

    class Meta:
        verbose_name = _("критерий")
        verbose_name_plural = _("критерии")
        ordering = ["rubric", "order", "pk"]

    def __str__(self):
        return self.title


class Review(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Проверяется")
        SUBMITTED = "submitted", _("Оценка выставлена")
        RELEASED = "released", _("Опубликована участнику")
        RETURNED = "returned", _("Возвращена на доработку")

    submission = models.ForeignKey(
        Submission, verbose_name=_("видеоурок"), on_delete=models.CASCADE, related_name="reviews"
    )
    expert = models.ForeignKey(
        ExpertAssignment, verbose_name=_("эксперт"), on_delete=models.PROTECT, related_name="reviews"
    )
    rubric = models.ForeignKey(Rubric, verbose_name=_("рубрика"), on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    total_score = models.DecimalField(_("итоговый балл"), max_digits=7, decimal_places=2, null=True, blank=True)
    strengths = models.TextField(_("сильные стороны"), blank=True)
    recommendations = models.TextField(_("рекомендации"), blank=True)
    started_at = models.DateTimeField(_("начата"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("оценка выставлена"), null=True, blank=True)
    released_at = models.DateTimeField(_("опубликована"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто опубликовал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_at = models.DateTimeField(_("срок проверки"), null=True, blank=True)
    return_reason = models.TextField(_("причина возврата на доработку"), blank=True)

    history = AuditHistory(
        verbose_name=_("история изменений: рецензия"),
        verbose_name_plural=_("история изменений рецензий"),
    )

    class Meta:
        verbose_name = _("рецензия")
        verbose_name_plural = _("рецензии")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "expert"], name="review_one_per_expert"),
        ]
        indexes = [
            # The expert queue asks per waiting submission «has anyone scored it?» (ratings.selectors.review_queue):
            # without it PostgreSQL hashes every scored review of the region for each queue page and count.
            models.Index(
                fields=["submission"],
                name="review_scored_by_submission",
                condition=models.Q(status__in=["submitted", "released"]),
            ),
        ]

    def __str__(self):
        return f"{self.submission} — {self.expert.person}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, verbose_name=_("рецензия"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        RubricCriterion, verbose_name=_("критерий"), on_delete=models.PROTECT, related_name="scores"
    )
    points = models.PositiveSmallIntegerField(_("баллы"))
    comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        verbose_name = _("оценка по критерию")
        verbose_name_plural = _("оценки по критериям")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique")]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class ParticipantRating(models.Model):
    """A participant's points and rank in the season, recomputed when its inputs change (seed 000 §5.8)."""

    enrollment = models.OneToOneField(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="rating"
    )
    season = models.ForeignKey(Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="+")
    attendance_points = models.DecimalField(_("баллы за посещаемость"), max_digits=9, decimal_places=2, default=0)
    video_points = models.DecimalField(_("баллы за видеоуроки"), max_digits=9, decimal_places=2, default=0)
    achievement_points = models.DecimalField(_("баллы за достижения"), max_digits=9, decimal_places=2, default=0)
    total = models.DecimalField(_("итого"), max_digits=10, decimal_places=2, default=0)
    rank = models.PositiveIntegerField(_("место"), null=True, blank=True)
    computed_at = models.DateTimeField(_("пересчитан"), default=timezone.now)

    class Meta:
        verbose_name = _("рейтинг участника")
        verbose_name_plural = _("рейтинг участников")
        ordering = ["season", "rank"]
        indexes = [models.Index(fields=["season", "rank"], name="rating_season_rank_idx")]

    def __str__(self):
        return f"{self.enrollment}: {self.total}"


class ReviewComment(models.Model):
    """A time-coded comment of a review ("12:40 — …"); without a time it is a general remark."""

    review = models.ForeignKey(Review, verbose_name=_("рецензия"), on_delete=models.CASCADE, related_name="comments")
    at_seconds = models.PositiveIntegerField(_("момент видео, с"), null=True, blank=True)
    text = models.TextField(_("комментарий"))

    class Meta:
        verbose_name = _("комментарий к моменту видео")
        verbose_name_plural = _("комментарии к моментам видео")
        ordering = ["review", "at_seconds", "pk"]

    def __str__(self):
        return self.text[:60]


class ReviewAssignment(models.Model):
    """A submission placed in an expert's queue (by the season's rules or by a coordinator)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("видеоурок"), on_delete=models.CASCADE, related_name="review_assignments"
    )
    expert = models.ForeignKey(
        ExpertAssignment, verbose_name=_("эксперт"), on_delete=models.CASCADE, related_name="review_assignments"
    )
    assigned_at = models.DateTimeField(_("назначено"), default=timezone.now)
    is_manual = models.BooleanField(_("назначено координатором"), default=False)

    class Meta:
        verbose_name = _("назначение на проверку")
        verbose_name_plural = _("назначения на проверку")
        constraints = [
            models.UniqueConstraint(fields=["submission", "expert"], name="review_assignment_unique"),
        ]

    def __str__(self):
        return f"{self.submission} → {self.expert.person}"


class ReviewLock(models.Model):
    """Who is scoring a submission now; expires so a forgotten lock frees itself."""

    submission = models.OneToOneField(
        Submission, verbose_name=_("видеоурок"), on_delete=models.CASCADE, related_name="review_lock"
    )
    expert = models.ForeignKey(
        ExpertAssignment, verbose_name=_("эксперт"), on_delete=models.CASCADE, related_name="review_locks"
    )
    taken_at = models.DateTimeField(_("взят"), default=timezone.now)
    expires_at = models.DateTimeField(_("до"))

    class Meta:
        verbose_name = _("закрепление видеоурока")
        verbose_name_plural = _("закрепления видеоуроков")

    def __str__(self):
        return f"{self.submission} — {self.expert.person}"


class Achievement(models.Model):
    """A participant's achievement outside the program, confirmed by the expert group (seed 000 §5.8)."""

    class Kind(models.TextChoices):
        CONTEST = "contest", _("Конкурс")
        PUBLICATION = "publication", _("Публикация")
        CONFERENCE = "conference", _("Выступление на конференции")
        WEBINAR = "webinar", _("Проведённый вебинар")
        OTHER = "other", _("Другое")

    class Level(models.TextChoices):
        MUNICIPAL = "municipal", _("Муниципальный")
        REGIONAL = "regional", _("Региональный")
        FEDERAL = "federal", _("Федеральный")
        INTERNATIONAL = "international", _("Международный")

    class Status(models.TextChoices):
        PENDING = "pending", _("На проверке")
        CONFIRMED = "confirmed", _("Подтверждено")
        REJECTED = "rejected", _("Отклонено")

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="achievements"
    )
    title = models.CharField(_("название"), max_length=300)
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("уровень"), max_length=16, choices=Level.choices)
    result = models.CharField(
        _("результат"), max_length=200, blank=True, help_text=_("Например: победитель, призёр, участник")
    )
    happened_on = models.DateField(_("дата"))
    proof_url = models.URLField(_("ссылка на подтверждение"), max_length=1000, blank=True)
    proof_file = models.FileField(_("файл подтверждения"), upload_to="achievements/%Y/", blank=True)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        ExpertAssignment,
        verbose_name=_("кто рассмотрел"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("рассмотрено"), null=True, blank=True)
    comment = models.TextField(_("комментарий эксперта"), blank=True)
    created_at = models.DateTimeField(_("добавлено"), auto_now_add=True)

    class Meta:
        verbose_name = _("достижение")
        verbose_name_plural = _("достижения")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(proof_url="") | ~Q(proof_file=""), name="achievement_has_proof"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="achievement_queue_idx")]

    def __str__(self):
        return self.title
