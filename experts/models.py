"""The expert team of a season: planned roles and the people assigned to them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.models import Enrollment, FeedbackQuestion, Person, SubscriptionForm
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


class ExpertGroup(models.Model):
    """A group of a season's participants with its curator (seed 000 §2.2)."""

    season = models.ForeignKey(Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("название"), max_length=100)
    curator = models.ForeignKey(
        ExpertAssignment,
        verbose_name=_("куратор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curated_groups",
    )
    learning_format = models.CharField(_("формат обучения"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    class Meta:
        verbose_name = _("группа")
        verbose_name_plural = _("группы")
        ordering = ["season", "name"]
        constraints = [models.UniqueConstraint(fields=["season", "name"], name="group_unique_name")]

    def __str__(self):
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(ExpertGroup, verbose_name=_("группа"), on_delete=models.CASCADE, related_name="members")
    # An enrollment belongs to one season, so this is one group per participant and season.
    enrollment = models.OneToOneField(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="group_membership"
    )
    added_at = models.DateTimeField(_("добавлен"), auto_now_add=True)

    class Meta:
        verbose_name = _("участник группы")
        verbose_name_plural = _("состав групп")

    def __str__(self):
        return f"{self.group}: {self.enrollment}"


class CompetenceTest(models.Model):
    """The digital competence-profile test taken at entry (seed 000 §2.2)."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="competence_tests"
    )
    platform = models.CharField(_("платформа"), max_length=200)
    taken_on = models.DateField(_("дата"))
    level = models.CharField(_("уровень"), max_length=100, blank=True)
    score = models.DecimalField(_("балл"), max_digits=6, decimal_places=2, null=True, blank=True)
    link = models.URLField(_("ссылка на результат"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("тест цифрового профиля компетенций")
        verbose_name_plural = _("тесты цифрового профиля компетенций")
        ordering = ["-taken_on"]

    def __str__(self):
        return f"{self.platform} — {self.taken_on:%d.%m.%Y}"


class EntryInterview(models.Model):
    """The entry interview; its notes are read only by the curator and the coordinator."""

    enrollment = models.OneToOneField(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="entry_interview"
    )
    interviewer = models.ForeignKey(
        ExpertAssignment,
        verbose_name=_("кто проводил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_on = models.DateField(_("дата"))
    notes = models.TextField(_("заметки (видят только куратор и координатор)"), blank=True)
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("входное собеседование")
        verbose_name_plural = _("входные собеседования")

    def __str__(self):
        return str(self.enrollment)


class VisitMode(models.TextChoices):
    IN_PERSON = "in_person", _("Очно")
    RECORDING = "recording", _("По записи")


class LessonVisit(models.Model):
    """A curator's or methodist's visit to a participant's lesson (seed 000 §2.2: at least once a quarter)."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="lesson_visits"
    )
    expert = models.ForeignKey(
        ExpertAssignment, verbose_name=_("эксперт"), on_delete=models.PROTECT, related_name="lesson_visits"
    )
    visited_on = models.DateField(_("дата"))
    mode = models.CharField(_("как"), max_length=16, choices=VisitMode.choices, default=VisitMode.IN_PERSON)
    lesson = models.CharField(_("урок (тема)"), max_length=300)
    grade = models.CharField(_("класс"), max_length=32, blank=True)
    subject = models.ForeignKey(
        Subject, verbose_name=_("предмет"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("заметки"), blank=True)
    recommendations = models.TextField(_("рекомендации"), blank=True)
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("посещение урока")
        verbose_name_plural = _("посещения уроков")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["enrollment", "visited_on"], name="visit_enrollment_idx")]

    def __str__(self):
        return f"{self.lesson} ({self.visited_on:%d.%m.%Y})"


class Consultation(models.Model):
    """An individual or group consultation; a psychologist's content is read by its author only."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Индивидуальная")
        GROUP = "group", _("Групповая")

    season = models.ForeignKey(Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="consultations")
    expert = models.ForeignKey(
        ExpertAssignment, verbose_name=_("специалист"), on_delete=models.PROTECT, related_name="consultations"
    )
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices, default=Kind.INDIVIDUAL)
    held_at = models.DateTimeField(_("когда"))
    topic = models.CharField(_("тема"), max_length=300)
    content = models.TextField(_("содержание"), blank=True)
    is_confidential = models.BooleanField(_("конфиденциальная"), default=False, editable=False)
    participants = models.ManyToManyField(
        Enrollment, verbose_name=_("участники"), related_name="consultations", blank=True
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("консультация")
        verbose_name_plural = _("консультации")
        ordering = ["-held_at"]

    def __str__(self):
        return self.topic


class MentoringPair(models.Model):
    """A mentor and a mentee (Pedkluster 27; the mentor map of seed 001)."""

    season = models.ForeignKey(
        Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="mentoring_pairs"
    )
    mentor = models.ForeignKey(
        ExpertAssignment, verbose_name=_("наставник"), on_delete=models.PROTECT, related_name="mentees"
    )
    mentee = models.ForeignKey(
        Enrollment, verbose_name=_("наставляемый"), on_delete=models.CASCADE, related_name="mentoring_pairs"
    )
    goals = models.TextField(_("цели и задачи"), blank=True)
    started_on = models.DateField(_("с"))
    ended_on = models.DateField(_("по"), null=True, blank=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    class Meta:
        verbose_name = _("наставническая пара")
        verbose_name_plural = _("наставнические пары")
        ordering = ["season", "mentor"]
        # One open pair of a mentor and a mentee; after it ends (the mentee left and was reinstated, say) the
        # coordinator may pair them again, and the ended pair stays in the history.
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "mentee"], condition=Q(ended_on__isnull=True), name="mentoring_pair_unique_open"
            )
        ]

    def __str__(self):
        return f"{self.mentor.person} → {self.mentee.person}"


class ExpertFeedbackResponse(models.Model):
    """An expert's quarterly feedback (seed 000 §2.2: «обратную связь от участников и экспертов (минимум раз в
    квартал)»): one per assignment and quarter, editable until the quarter ends."""

    assignment = models.ForeignKey(
        ExpertAssignment, verbose_name=_("эксперт"), on_delete=models.CASCADE, related_name="feedback_responses"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    quarter = models.PositiveSmallIntegerField(_("квартал"))
    submitted_at = models.DateTimeField(_("ответ дан"))
    updated_at = models.DateTimeField(_("изменён"))

    class Meta:
        verbose_name = _("обратная связь эксперта")
        verbose_name_plural = _("обратная связь экспертов")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "year", "quarter"], name="expert_feedback_once_per_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="expert_feedback_quarter_range"
            ),
        ]

    def __str__(self):
        return _("%(expert)s — %(quarter)s кв. %(year)s") % {
            "expert": self.assignment,
            "quarter": self.quarter,
            "year": self.year,
        }


class ExpertFeedbackAnswer(models.Model):
    response = models.ForeignKey(
        ExpertFeedbackResponse, verbose_name=_("ответ"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        FeedbackQuestion, verbose_name=_("вопрос"), on_delete=models.CASCADE, related_name="expert_answers"
    )
    scale_value = models.PositiveSmallIntegerField(_("оценка"), null=True, blank=True)
    text_value = models.TextField(_("текст ответа"), blank=True)

    class Meta:
        verbose_name = _("ответ эксперта на вопрос")
        verbose_name_plural = _("ответы экспертов на вопросы")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="expert_feedback_answer_unique"),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True) | (Q(scale_value__gte=1) & Q(scale_value__lte=5)),
                name="expert_feedback_scale_range",
            ),
        ]

    def __str__(self):
        return str(self.question)


class MeetingForm(models.TextChoices):
    IN_PERSON = "in_person", _("Очно")
    REMOTE = "remote", _("Дистанционно")
    LESSON_VISIT = "lesson_visit", _("Посещение урока")
    CONSULTATION = "consultation", _("Консультация")


class MentoringMeeting(models.Model):
    """A meeting of a mentor with their mentee, logged by the mentor (Pedkluster 27, the mentoring model)."""

    pair = models.ForeignKey(
        MentoringPair, verbose_name=_("наставническая пара"), on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField(_("дата встречи"))
    form = models.CharField(_("форма"), max_length=16, choices=MeetingForm.choices, default=MeetingForm.IN_PERSON)
    topic = models.CharField(_("тема"), max_length=300)
    notes = models.TextField(_("заметки"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто записал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    class Meta:
        verbose_name = _("встреча наставника с наставляемым")
        verbose_name_plural = _("встречи наставников с наставляемыми")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["pair", "held_on"], name="mentoring_meeting_pair_idx")]

    def __str__(self):
        return f"{self.topic} ({self.held_on:%d.%m.%Y})"
