"""«Школа Лидеров образования» (сид 001): the personnel reserve for a head-teacher post and its work.

«Кадровый резерв администрации района на должность руководителя ОУ»: who is in it, since when, by what decision
and from what source; the individual development trajectory of each member («индивидуальная траектория
профессионального развития», its items from the project's «инструментарий персонификации»); the yearly update of
the reserve (мероприятие 2.8), the yearly analysis of the members' reports with a consultation (2.7, 1.1), the
yearly psychological and pedagogical diagnostics (2.6, confidential like a psychologist's consultation) and the
members' participation in the city project «Школа молодого директора» (1.2).

The seminars, master classes, practice exchange and internships are the activities of the «Школа Лидеров
образования» program's season with their attendance (docs/decisions/0010-project-cascade.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from experts.models import ExpertAssignment
from participants.models import Person
from programs.models import Municipality, Organisation


class ReserveStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Кандидат")
    IN_RESERVE = "in_reserve", _("В резерве")
    APPOINTED = "appointed", _("Назначен на должность")
    EXCLUDED = "excluded", _("Исключён из резерва")


class ReserveSource(models.TextChoices):
    """How a person came to the reserve (сид 001: конкурс «Управленцы будущего» — «средство отбора в кадровый
    резерв»; «сбор и обработка информации на кандидатов»)."""

    CONTEST = "contest", _("Профессиональный конкурс «Управленцы будущего»")
    RECOMMENDATION = "recommendation", _("Рекомендация руководителя ОУ")
    ADMINISTRATION = "administration", _("Предложение отдела образования администрации района")
    SELF = "self", _("Личное заявление")


class ReserveMember(models.Model):
    """A person in the district administration's reserve for a head-teacher post, or a candidate to it."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципалитет"), on_delete=models.PROTECT, related_name="reserve_members"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("человек"), on_delete=models.PROTECT, related_name="reserve_memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("образовательная организация"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reserve_members",
    )
    position = models.CharField(_("должность"), max_length=200, blank=True)
    source = models.CharField(_("источник"), max_length=16, choices=ReserveSource.choices)
    status = models.CharField(
        _("статус"), max_length=16, choices=ReserveStatus.choices, default=ReserveStatus.CANDIDATE, db_index=True
    )
    listed_on = models.DateField(_("в списке с"))
    included_on = models.DateField(_("включён в резерв"), null=True, blank=True)
    decision = models.CharField(_("решение о включении"), max_length=300, blank=True)
    status_changed_on = models.DateField(_("статус с"))
    status_reason = models.TextField(_("основание изменения статуса"), blank=True)
    created_at = models.DateTimeField(_("внесён"), auto_now_add=True)

    class Meta:
        verbose_name = _("член кадрового резерва")
        verbose_name_plural = _("кадровый резерв")
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "person"], name="reserve_member_unique_person"),
        ]

    def __str__(self):
        return self.person.full_name

    @property
    def is_current(self) -> bool:
        """A candidate or a member in the reserve: the yearly work (2.6, 2.7) is done with them."""
        return self.status in (ReserveStatus.CANDIDATE, ReserveStatus.IN_RESERVE)


class ReserveStatusChange(models.Model):
    """One step of a member's status, with its date, decision and reason: the reserve's audit trail."""

    member = models.ForeignKey(
        ReserveMember, verbose_name=_("член резерва"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("был статус"), max_length=16, choices=ReserveStatus.choices, blank=True)
    to_status = models.CharField(_("новый статус"), max_length=16, choices=ReserveStatus.choices)
    changed_on = models.DateField(_("дата"))
    decision = models.CharField(_("решение"), max_length=300, blank=True)
    reason = models.TextField(_("основание"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("изменение статуса в резерве")
        verbose_name_plural = _("изменения статусов в резерве")
        ordering = ["changed_on", "pk"]

    def __str__(self):
        return f"{self.get_to_status_display()} ({self.changed_on:%d.%m.%Y})"


class ReserveReview(models.Model):
    """«Обновление состава кадрового резерва — ежегодно, декабрь – март» (сид 001, мероприятие 2.8): the update of
    the cycle that opens in December of `year` and closes at the end of March of the next year."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципалитет"), on_delete=models.PROTECT, related_name="reserve_reviews"
    )
    year = models.PositiveSmallIntegerField(_("год начала обновления (декабрь)"))
    held_on = models.DateField(_("дата решения"))
    decision = models.CharField(_("решение"), max_length=300)
    notes = models.TextField(_("примечание"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("обновление состава резерва")
        verbose_name_plural = _("обновления состава резерва")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="reserve_review_unique_year"),
        ]

    def __str__(self):
        return _("Обновление состава резерва %(start)d/%(end)d") % {"start": self.year, "end": self.year + 1}


class ReserveReviewEntry(models.Model):
    """What the yearly update decided about one member: kept, added or removed (with the reason)."""

    class Outcome(models.TextChoices):
        KEPT = "kept", _("Оставлен в резерве")
        ADDED = "added", _("Включён в резерв")
        REMOVED = "removed", _("Исключён из резерва")

    review = models.ForeignKey(
        ReserveReview, verbose_name=_("обновление"), on_delete=models.CASCADE, related_name="entries"
    )
    member = models.ForeignKey(
        ReserveMember, verbose_name=_("член резерва"), on_delete=models.CASCADE, related_name="review_entries"
    )
    outcome = models.CharField(_("решение"), max_length=8, choices=Outcome.choices)
    reason = models.TextField(_("основание"), blank=True)

    class Meta:
        verbose_name = _("решение обновления о члене резерва")
        verbose_name_plural = _("решения обновления о членах резерва")
        ordering = ["outcome", "member__person__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "member"], name="reserve_review_entry_unique_member"),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_outcome_display()}"


class TrajectoryKind(models.TextChoices):
    """«Инструментарий персонификации» of «Школа Лидеров образования» (сид 001)."""

    COMPETENCE_MATRIX = "competence_matrix", _("Матрица профессиональных компетенций")
    MENTORING = "mentoring", _("Менторинг")
    ACCELERATION = "acceleration", _("Акселерация")
    MASTER_CLASS = "master_class", _("Мастер-класс")
    CONTEST = "contest", _("Конкурс")
    PROJECT = "project", _("Проект")
    COACHING = "coaching", _("Коучинг")
    INTERNSHIP = "internship", _("Стажировка")


class TrajectoryItem(models.Model):
    """An item of a member's «индивидуальная траектория профессионального развития» («индивидуальный план
    подготовки»), with the member's report on it. Overdue is derived from the due date, never stored
    (docs/decisions/0010)."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Запланировано")
        IN_PROGRESS = "in_progress", _("Выполняется")
        DONE = "done", _("Выполнено")
        CANCELLED = "cancelled", _("Отменено")

    member = models.ForeignKey(
        ReserveMember, verbose_name=_("член резерва"), on_delete=models.CASCADE, related_name="trajectory_items"
    )
    kind = models.CharField(_("форма"), max_length=24, choices=TrajectoryKind.choices)
    title = models.CharField(_("содержание"), max_length=300)
    due_on = models.DateField(_("срок"))
    state = models.CharField(_("состояние"), max_length=16, choices=State.choices, default=State.PLANNED)
    report = models.TextField(_("отчёт о выполнении"), blank=True)
    reported_at = models.DateTimeField(_("отчёт представлен"), null=True, blank=True)
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("пункт индивидуальной траектории")
        verbose_name_plural = _("пункты индивидуальной траектории")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    def is_overdue(self, today) -> bool:
        return self.state in (self.State.PLANNED, self.State.IN_PROGRESS) and self.due_on < today


class ReserveAnalysis(models.Model):
    """«Анализ отчетов о реализации индивидуальных планов подготовки …, консультирование по формированию их
    индивидуальных траекторий профессионального роста — ежегодно, ноябрь-декабрь» (сид 001, мероприятия 2.7, 1.1)."""

    member = models.ForeignKey(
        ReserveMember, verbose_name=_("член резерва"), on_delete=models.CASCADE, related_name="analyses"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    analysis = models.TextField(_("анализ отчётов о реализации индивидуального плана"))
    consulted_on = models.DateField(_("дата консультации"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("консультант"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("анализ и консультация")
        verbose_name_plural = _("анализы и консультации")
        ordering = ["-year", "-pk"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="reserve_analysis_unique_year")]

    def __str__(self):
        return _("Анализ и консультация за %(year)d год") % {"year": self.year}


class ReserveDiagnostic(models.Model):
    """«Психолого-педагогическая диагностика лиц, состоящих в кадровом резерве и кандидатов — ежегодно,
    октябрь-ноябрь» (сид 001, мероприятие 2.6). Confidential like a psychologist's consultation (experts.rules):
    the strengths and deficits are read by the psychologist who wrote them only."""

    member = models.ForeignKey(
        ReserveMember, verbose_name=_("член резерва"), on_delete=models.CASCADE, related_name="diagnostics"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    held_on = models.DateField(_("дата диагностики"))
    psychologist = models.ForeignKey(
        ExpertAssignment, verbose_name=_("педагог-психолог"), on_delete=models.PROTECT, related_name="+"
    )
    strengths = models.TextField(_("преимущества профессиональных и личностных качеств"))
    deficits = models.TextField(_("дефициты профессиональных и личностных качеств"))
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("психолого-педагогическая диагностика")
        verbose_name_plural = _("психолого-педагогические диагностики")
        ordering = ["-year", "-pk"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="reserve_diagnostic_unique_year")]

    def __str__(self):
        return _("Диагностика за %(year)d год") % {"year": self.year}


class YoungDirectorParticipation(models.Model):
    """«Участие в городском проекте «Школа молодого директора»» (сид 001, мероприятие 1.2): a city project, so
    only a member's participation is recorded, not its running."""

    class State(models.TextChoices):
        NOMINATED = "nominated", _("Направлен")
        STUDYING = "studying", _("Обучается")
        COMPLETED = "completed", _("Завершил обучение")
        DROPPED = "dropped", _("Не завершил обучение")

    member = models.ForeignKey(
        ReserveMember,
        verbose_name=_("член резерва"),
        on_delete=models.CASCADE,
        related_name="young_director_participations",
    )
    year = models.PositiveSmallIntegerField(_("год"))
    state = models.CharField(_("состояние"), max_length=16, choices=State.choices, default=State.NOMINATED)
    note = models.CharField(_("примечание"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("участие в «Школе молодого директора»")
        verbose_name_plural = _("участие в «Школе молодого директора»")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="reserve_young_director_unique_year"),
        ]

    def __str__(self):
        return _("«Школа молодого директора», %(year)d") % {"year": self.year}
