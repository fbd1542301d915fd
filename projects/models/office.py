"""The project office (сид 001, «ИМЦ – офис инициации и управления проектами»): the centre's registry of projects,
their stages and events with the state the coordinator recorded, and each project's working group.

«Просрочено» is never stored: it is derived from the end date and today in the municipality's zone
(docs/decisions/0010).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date_in_range


class Direction(models.TextChoices):
    """The directions of the national project «Образование» the seed links its projects to, and «Демография»."""

    MODERN_SCHOOL = "modern_school", _("Современная школа")
    SUCCESS = "success", _("Успех каждого ребенка")
    DIGITAL = "digital", _("Цифровая образовательная среда")
    SOCIAL_LIFTS = "social_lifts", _("Социальные лифты для каждого")
    DEMOGRAPHY = "demography", _("Демография (федеральный проект)")


class WorkState(models.TextChoices):
    PLANNED = "planned", _("запланировано")
    IN_PROGRESS = "in_progress", _("идёт")
    DONE = "done", _("выполнено")
    CANCELLED = "cancelled", _("отменено")


OPEN_STATES = (WorkState.PLANNED, WorkState.IN_PROGRESS)


class StageKind(models.TextChoices):
    PREPARATORY = "preparatory", _("подготовительный")
    DESIGN = "design", _("проектировочный")
    MAIN = "main", _("основной")
    FINAL = "final", _("итоговый")
    CLOSING = "closing", _("заключительный")


class Project(models.Model):
    """A project of the centre's registry, with the fields of the seed's project cards."""

    municipality = models.ForeignKey(
        "programs.Municipality", verbose_name=_("муниципалитет"), on_delete=models.PROTECT, related_name="projects"
    )
    organisation = models.ForeignKey(
        "programs.Organisation",
        verbose_name=_("методический центр"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="office_projects",
    )
    slug = models.SlugField(_("адрес"), max_length=80)
    title = models.CharField(_("название проекта"), max_length=300)
    unique_idea = models.TextField(_("уникальная идея"), blank=True)
    goal = models.TextField(_("цель"), blank=True)
    tasks = models.TextField(_("задачи"), blank=True)
    summary = models.TextField(_("краткое описание замысла"), blank=True)
    participants_text = models.TextField(_("участники реализации проекта"), blank=True)
    funding = models.TextField(_("источники финансирования"), blank=True)
    normative_documents = models.TextField(_("нормативное обеспечение"), blank=True)
    expected_results = models.TextField(_("ожидаемые результаты"), blank=True)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("программа для педагогов"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="office_projects",
        help_text=_("Программа, в которой проект проводит мероприятия для педагогов."),
    )
    position = models.PositiveSmallIntegerField(_("порядок в реестре"), default=0)

    class Meta:
        verbose_name = _("проект")
        verbose_name_plural = _("проекты (реестр проектного офиса)")
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="project_slug_unique_in_municipality"),
        ]

    def __str__(self):
        return self.title


class ProjectDirection(models.Model):
    """One direction of the national project «Образование» the project is linked to («Взаимосвязь с направлениями
    НП «Образование»»)."""

    project = models.ForeignKey(Project, verbose_name=_("проект"), on_delete=models.CASCADE, related_name="directions")
    direction = models.CharField(_("направление"), max_length=16, choices=Direction.choices)

    class Meta:
        verbose_name = _("направление национального проекта")
        verbose_name_plural = _("направления национального проекта")
        ordering = ["project", "direction"]
        constraints = [
            models.UniqueConstraint(fields=["project", "direction"], name="project_direction_unique"),
        ]

    def __str__(self):
        return self.get_direction_display()


class WorkItem(models.Model):
    """What a stage and an event share: dates, the state the coordinator recorded and its note."""

    starts_on = models.DateField(_("начало"), validators=[validate_date_in_range])
    ends_on = models.DateField(_("окончание"), validators=[validate_date_in_range])
    state = models.CharField(_("состояние"), max_length=16, choices=WorkState.choices, default=WorkState.PLANNED)
    result_note = models.TextField(_("результат, комментарий"), blank=True)
    state_changed_at = models.DateTimeField(_("состояние изменено"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Окончание не может быть раньше начала.")})

    def is_overdue(self, today: date) -> bool:
        """Not done nor cancelled after its last day; `today` is the municipality's day (docs/decisions/0010)."""
        return self.state in OPEN_STATES and self.ends_on < today


class ProjectStage(WorkItem):
    project = models.ForeignKey(Project, verbose_name=_("проект"), on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("№ по порядку"), default=1)
    kind = models.CharField(_("этап"), max_length=16, choices=StageKind.choices)
    description = models.TextField(_("содержание этапа"), blank=True)
    schedule = models.CharField(_("сроки по проекту"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("этап проекта")
        verbose_name_plural = _("этапы проекта")
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="project_stage_order_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="project_stage_dates_ordered",
                violation_error_message=_("Окончание не может быть раньше начала."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.project})"


class ProjectEvent(WorkItem):
    project = models.ForeignKey(Project, verbose_name=_("проект"), on_delete=models.CASCADE, related_name="events")
    stage = models.ForeignKey(
        ProjectStage,
        verbose_name=_("этап"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    number = models.CharField(_("№"), max_length=16, help_text=_("Как в проекте: «2.5»."))
    sort_key = models.PositiveIntegerField(_("порядок"), default=0, editable=False)
    title = models.TextField(_("мероприятие"))
    schedule = models.CharField(
        _("сроки по проекту"), max_length=200, blank=True, help_text=_("Например, «ежегодно, октябрь-февраль».")
    )
    expected_result = models.TextField(_("прогнозируемый результат"), blank=True)
    responsible = models.CharField(_("ответственный"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("мероприятие проекта")
        verbose_name_plural = _("мероприятия проекта")
        ordering = ["project", "sort_key", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="project_event_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="project_event_dates_ordered",
                violation_error_message=_("Окончание не может быть раньше начала."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title[:80]}"

    def save(self, *args, **kwargs):
        self.sort_key = event_sort_key(self.number)
        super().save(*args, **kwargs)


def event_sort_key(number: str) -> int:
    """«2.5» before «2.10» before «3»: up to three levels of up to 999 each."""
    parts = [int(p) for p in "".join(c if c.isdigit() else " " for c in number).split()[:3]]
    parts += [0] * (3 - len(parts))
    return min(parts[0], 999) * 1_000_000 + min(parts[1], 999) * 1_000 + min(parts[2], 999)


class WorkingGroupMember(models.Model):
    """A member of the project's working group: a person of the portal where one exists, else a name and position."""

    project = models.ForeignKey(
        Project, verbose_name=_("проект"), on_delete=models.CASCADE, related_name="working_group"
    )
    person = models.ForeignKey(
        "participants.Person",
        verbose_name=_("человек"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_groups",
    )
    full_name = models.CharField(_("ФИО"), max_length=200, blank=True)
    position = models.CharField(_("должность"), max_length=300, blank=True)
    is_head = models.BooleanField(_("руководитель рабочей группы"), default=False)
    order = models.PositiveSmallIntegerField(_("№ по порядку"), default=1)

    class Meta:
        verbose_name = _("участник рабочей группы")
        verbose_name_plural = _("рабочая группа проекта")
        ordering = ["project", "-is_head", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="working_group_order_unique"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(full_name=""),
                name="working_group_member_named",
                violation_error_message=_("Выберите человека или укажите ФИО."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if self.person_id is not None:
            return str(self.person)
        return self.full_name
