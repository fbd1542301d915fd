"""«Лаборатория профессиональных компетенций» (сид 001): the district mentor map by competence theme.

«Составление районной карты наставников, отражающая многообразие тематик профессиональных компетенций» — a
district's themes, the teachers who offer to mentor on them, the teachers who ask to learn one, and the yearly
express survey of the kindergartens («Экспресс-опрос ДОУ о потенциале участия педагогов в деятельности
лаборатории (наставники, ученики) — ежегодно», мероприятие 3). A matched request is an experts.MentoringPair of
the lab's season, so mentoring meetings and the map by mentor keep working (docs/decisions/0010).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_MAX, DATE_MIN
from experts.models import MentoringPair
from participants.models import Person
from programs.models import Municipality, Organisation

# The lab's program (programs/program_templates/_imc_moskovsky.py, PROGRAMS).
LAB_PROGRAM_SLUG = "laboratoriya-kompetentsiy"


class CompetenceTheme(models.Model):
    """A theme of professional competences on the district map; the organising committee keeps the list."""

    class Level(models.TextChoices):
        PRESCHOOL = "preschool", _("Дошкольное образование (ФГОС ДО)")
        GENERAL = "general", _("Общее образование")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципалитет"), on_delete=models.CASCADE, related_name="competence_themes"
    )
    title = models.CharField(_("тема"), max_length=300)
    level = models.CharField(_("уровень образования"), max_length=16, choices=Level.choices, default=Level.PRESCHOOL)
    description = models.TextField(_("описание"), blank=True)
    is_example = models.BooleanField(
        _("из примерного перечня портала"),
        default=False,
        help_text=_("Тема из примерного перечня, который предлагает портал: в сиде темы не названы."),
    )
    is_active = models.BooleanField(_("на карте"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("тема профессиональных компетенций")
        verbose_name_plural = _("темы профессиональных компетенций")
        ordering = ["municipality", "order", "title"]
        constraints = [models.UniqueConstraint(fields=["municipality", "title"], name="competence_theme_unique")]

    def __str__(self):
        return self.title


class MentoringFormat(models.TextChoices):
    """«Инструментарий персонификации: наставничество (мастер-класс, консультация, консультация-практикум и др.)»."""

    MASTER_CLASS = "master_class", _("Мастер-класс")
    CONSULTATION = "consultation", _("Консультация")
    CONSULTATION_PRACTICUM = "consultation_practicum", _("Консультация-практикум")


class MentorOffer(models.Model):
    """A teacher offers to mentor on a theme («педагог-наставник … заявляет о потенциале обучения ученика»);
    the lab's organising committee approves the offer before it is on the map."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("На рассмотрении оргкомитета")
        APPROVED = "approved", _("Одобрено")
        DECLINED = "declined", _("Отклонено")

    person = models.ForeignKey(
        Person, verbose_name=_("наставник"), on_delete=models.CASCADE, related_name="lab_mentor_offers"
    )
    theme = models.ForeignKey(
        CompetenceTheme, verbose_name=_("тема"), on_delete=models.PROTECT, related_name="mentor_offers"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("организация"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    format = models.CharField(_("формат"), max_length=32, choices=MentoringFormat.choices)
    capacity = models.PositiveSmallIntegerField(
        _("сколько учеников может взять"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    note = models.TextField(_("опыт наставника по теме"), blank=True)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    survey_answer = models.ForeignKey(
        "projects.LabSurveyAnswer",
        verbose_name=_("из ответа на экспресс-опрос"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentor_offers",
    )
    created_at = models.DateTimeField(_("подано"), auto_now_add=True)
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто принял решение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("предложение наставника")
        verbose_name_plural = _("наставники по темам")
        ordering = ["theme", "person__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "theme"], name="lab_mentor_offer_once_per_theme"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="lab_mentor_offer_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.person} — {self.theme}"


class LearnerRequest(models.Model):
    """A teacher asks to learn a theme; the organising committee matches the request with a mentor of the theme."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ждёт наставника")
        MATCHED = "matched", _("Наставник подобран")
        WITHDRAWN = "withdrawn", _("Отозван")

    person = models.ForeignKey(Person, verbose_name=_("ученик"), on_delete=models.CASCADE, related_name="lab_requests")
    theme = models.ForeignKey(
        CompetenceTheme, verbose_name=_("тема"), on_delete=models.PROTECT, related_name="learner_requests"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("организация"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("что хочется освоить"), blank=True)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.OPEN)
    offer = models.ForeignKey(
        MentorOffer,
        verbose_name=_("наставник"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matches",
    )
    pair = models.OneToOneField(
        MentoringPair,
        verbose_name=_("наставническая пара"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lab_request",
    )
    survey_answer = models.ForeignKey(
        "projects.LabSurveyAnswer",
        verbose_name=_("из ответа на экспресс-опрос"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learner_requests",
    )
    created_at = models.DateTimeField(_("подан"), auto_now_add=True)
    matched_at = models.DateTimeField(_("наставник подобран"), null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто подобрал наставника"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("запрос ученика")
        verbose_name_plural = _("запросы учеников")
        ordering = ["theme", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "theme"], condition=Q(status="open"), name="lab_request_one_open_per_theme"
            ),
            models.CheckConstraint(
                condition=~Q(status="matched") | Q(offer__isnull=False), name="lab_request_matched_has_mentor"
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.theme}"


class LabSurvey(models.Model):
    """«Экспресс-опрос ДОУ о потенциале участия педагогов в деятельности лаборатории (наставники, ученики)»
    (сид 001, «Лаборатория профессиональных компетенций», мероприятие 3: ежегодно): one a year per municipality."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципалитет"), on_delete=models.CASCADE, related_name="lab_surveys"
    )
    year = models.PositiveSmallIntegerField(
        _("год"), validators=[MinValueValidator(DATE_MIN.year), MaxValueValidator(DATE_MAX.year)]
    )
    opened_at = models.DateTimeField(_("открыт"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто открыл"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("закрыт"), null=True, blank=True)

    class Meta:
        verbose_name = _("экспресс-опрос лаборатории")
        verbose_name_plural = _("экспресс-опросы лаборатории")
        ordering = ["municipality", "-year"]
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="lab_survey_once_a_year")]

    def __str__(self):
        return _("Экспресс-опрос %(year)s года") % {"year": self.year}

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class LabSurveyAnswer(models.Model):
    """An organisation's answer to the year's express survey, given by its director once."""

    survey = models.ForeignKey(LabSurvey, verbose_name=_("опрос"), on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("организация"), on_delete=models.PROTECT, related_name="lab_survey_answers"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто ответил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("ответ дан"))
    mentors_count = models.PositiveSmallIntegerField(_("педагогов готовы быть наставниками"), default=0)
    learners_count = models.PositiveSmallIntegerField(_("педагогов хотят быть учениками"), default=0)
    comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        verbose_name = _("ответ на экспресс-опрос")
        verbose_name_plural = _("ответы на экспресс-опрос")
        ordering = ["survey", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "organisation"], name="lab_survey_answer_once_per_organisation")
        ]

    def __str__(self):
        return f"{self.organisation} — {self.survey}"


class LabSurveyLine(models.Model):
    """One teacher named in an answer: who can mentor on which theme, or who wants to learn it."""

    class Kind(models.TextChoices):
        MENTOR = "mentor", _("Наставник")
        LEARNER = "learner", _("Ученик")

    answer = models.ForeignKey(LabSurveyAnswer, verbose_name=_("ответ"), on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("кто"), max_length=16, choices=Kind.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("педагог"), on_delete=models.CASCADE, related_name="lab_survey_lines"
    )
    theme = models.ForeignKey(CompetenceTheme, verbose_name=_("тема"), on_delete=models.PROTECT, related_name="+")
    format = models.CharField(_("формат"), max_length=32, choices=MentoringFormat.choices, blank=True)
    capacity = models.PositiveSmallIntegerField(_("сколько учеников"), null=True, blank=True)

    class Meta:
        verbose_name = _("строка ответа на экспресс-опрос")
        verbose_name_plural = _("строки ответов на экспресс-опрос")
        ordering = ["answer", "kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person} — {self.theme}"
