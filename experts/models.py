"""The expert team of a season: planned roles and the people assigned to them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.models import Enrollment, Person, SubscriptionForm
from programs.models import Season, Subject


class ExpertRole(models.TextChoices):
    CURATOR = "curator", _("Куратор")
    METHODIST = "methodist", _("Методист")
    PSYCHOLOGIST = "psychologist", _("Педагог-психолог")
    TECH_SPECIALIST = "tech_specialist", _("Технический специалист")
    TUTOR = "tutor", _("Тьютор")
    MENTOR = "mentor", _("Наставник")
    PROJECT_HEAD = "project_head", _("Руководитель проекта")
    ADMINISTRATOR = "administrator", _("Администратор проекта")


class SeasonExpertRole(models.Model):
    """The functional structure of the team (seed 000 appendix): a role, its functions and how many."""

    season = models.ForeignKey(Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="expert_roles")
    role = models.CharField(_("роль специалиста"), max_length=16, choices=ExpertRole.choices)
    functions = models.TextField(_("функции"), blank=True)
    planned_count = models.PositiveSmallIntegerField(_("количество"), default=1)

    class Meta:
        verbose_name = _("роль в экспертной команде")
        verbose_name_plural = _("функциональная структура экспертной команды")
        ordering = ["season", "role"]
        constraints = [models.UniqueConstraint(fields=["season", "role"], name="season_expert_role_unique")]

    def __str__(self):
        return f"{self.get_role_display()} ×{self.planned_count}"


class ExpertAssignment(models.Model):
    season = models.ForeignKey(Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="experts")
    person = models.ForeignKey(
        Person, verbose_name=_("специалист"), on_delete=models.PROTECT, related_name="expert_assignments"
    )
    role = models.CharField(_("роль"), max_length=16, choices=ExpertRole.choices)
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("предмет (для методиста)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_assignments",
    )
    is_active = models.BooleanField(_("работает в сезоне"), default=True)
    assigned_at = models.DateTimeField(_("назначен"), auto_now_add=True)

    class Meta:
        verbose_name = _("назначение эксперта")
        verbose_name_plural = _("экспертная команда")
        ordering = ["season", "role", "person__last_name"]
        constraints = [
            # Two partial constraints instead of nulls_distinct, which SQLite does not support.
            models.UniqueConstraint(
                fields=["season", "person", "role"],
                condition=Q(subject__isnull=True),
                name="expert_assignment_unique_no_subject",
            ),
            models.UniqueConstraint(
                fields=["season", "person", "role", "subject"],
                condition=Q(subject__isnull=False),
                name="expert_assignment_unique_subject",
            ),
            models.CheckConstraint(
                condition=Q(role="methodist") | Q(subject__isnull=True),
                name="expert_subject_only_for_methodist",
            ),
        ]

    def __str__(self):
        label = self.get_role_display()
        if self.subject_id:
            label = f"{label} ({self.subject})"
        return f"{self.person} — {label}"


class IndividualRequest(models.Model):
    """A teacher's individual request in the bank of requests of the Methodical Subscription (seed 004)."""

    class Status(models.TextChoices):
        NEW = "new", _("Новый")
        ASSIGNED = "assigned", _("Назначен тьютор")
        IN_WORK = "in_work", _("Маршрут выполняется")
        DONE = "done", _("Выполнен")
        DECLINED = "declined", _("Отклонён")

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="individual_requests"
    )
    deficit = models.TextField(_("профессиональный дефицит"))
    subject = models.ForeignKey(
        Subject, verbose_name=_("предмет"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("тема"), max_length=300)
    preferred_form = models.CharField(_("желаемая форма"), max_length=32, choices=SubscriptionForm.choices)
    comment = models.TextField(_("комментарий"), blank=True)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.NEW)
    tutor = models.ForeignKey(
        ExpertAssignment,
        verbose_name=_("тьютор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tutored_requests",
    )
    status_reason = models.TextField(_("пояснение к статусу"), blank=True)
    created_at = models.DateTimeField(_("подан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("индивидуальный запрос")
        verbose_name_plural = _("банк запросов")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="request_bank_idx")]

    def __str__(self):
        return self.topic
