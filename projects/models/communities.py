"""Professional communities «ПРОкомьюнити в мире VUCA» (сид 001): communities of a season, their members and roles,
half-year reports, the bank of materials and practices with ratings, cascade training, the «Prof-акселератор»
track and the scale of the motivation points (docs/decisions/0010-project-cascade.md).

Meetings are sessions of the community's own activity (activities.Session, audience «Приглашённые»), so attendance,
the calendar and certificates work as for any session.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Session
from experts.models import ExpertAssignment
from participants.models import Enrollment, User
from programs.models import Organisation, Season

# Сид 001, сноска к «ПРОкомьюнити»: «СООБЩЕСТВО — это группа людей, состоящая из пяти и более человек».
COMMUNITY_MIN_MEMBERS = 5


class CommunityRole(models.TextChoices):
    """The roles of the community's active (сид 001, «ПРОкомьюнити», задачи проекта: «готовых принять роли: лидеров
    изменений; педагогов – наставников, тьюторов, коучей; экспертов; организаторов деятельности профессионального
    сообщества, активаторов, консультантов и др.»)."""

    CHANGE_LEADER = "change_leader", _("Лидер изменений")
    MENTOR = "mentor", _("Наставник")
    TUTOR = "tutor", _("Тьютор")
    COACH = "coach", _("Коуч")
    EXPERT = "expert", _("Эксперт")
    ORGANISER = "organiser", _("Организатор")
    ACTIVATOR = "activator", _("Активатор")
    CONSULTANT = "consultant", _("Консультант")
    # Сид 001, «Траектория развития», ожидаемые результаты: «Внедрены в практику наставничества и методической работы
    # новые педагогические позиции (педагог-наставник, педагог-методист, педагог-тьютор, педагог-исследователь,
    # педагог-новатор)».
    PED_MENTOR = "ped_mentor", _("Педагог-наставник")
    PED_METHODIST = "ped_methodist", _("Педагог-методист")
    PED_TUTOR = "ped_tutor", _("Педагог-тьютор")
    PED_RESEARCHER = "ped_researcher", _("Педагог-исследователь")
    PED_INNOVATOR = "ped_innovator", _("Педагог-новатор")
    MEMBER = "member", _("Участник")


class Community(models.Model):
    class Status(models.TextChoices):
        FORMING = "forming", _("Формируется")
        ACTIVE = "active", _("Действует")
        CLOSED = "closed", _("Завершило работу")

    class Kind(models.TextChoices):
        DISTRICT = "district", _("Районное сообщество")
        # Сид 001, «Траектория развития»: «Созданы неформальные профессиональные сообщества педагогов-наставников
        # внутри ОО».
        SCHOOL_MENTORS = "school_mentors", _("Неформальное сообщество педагогов-наставников ОО")

    season = models.ForeignKey(Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="communities")
    name = models.CharField(_("название"), max_length=200)
    kind = models.CharField(_("вид сообщества"), max_length=16, choices=Kind.choices, default=Kind.DISTRICT)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("образовательная организация"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communities",
        help_text=_("Школа, внутри которой работает неформальное сообщество педагогов-наставников."),
    )
    goals = models.TextField(
        _("цели"),
        blank=True,
        help_text=_("Сид 001, принцип «Определение целей и отчетности»: «им надо указывать общий курс»."),
    )
    tasks = models.TextField(_("задачи"), blank=True, help_text=_("«…и ставить четкие задачи» (сид 001)."))
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.FORMING)
    leader = models.ForeignKey(
        Enrollment,
        verbose_name=_("лидер сообщества"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_communities",
        help_text=_("Участник сообщества, который «координирует его работу, задавая ей направление» (сид 001)."),
    )
    curator = models.ForeignKey(
        ExpertAssignment,
        verbose_name=_("куратор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curated_communities",
        help_text=_(
            "Специалист сезона, которого определяет координатор деятельности ПРОкомьюнити (ИМЦ): «куратора, "
            "который понимает цели и значимость конкретного сообщества» (сид 001)."
        ),
    )
    meetings_activity = models.OneToOneField(
        Activity,
        verbose_name=_("мероприятие встреч"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="community",
    )
    created_at = models.DateTimeField(_("создано"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("сообщество")
        verbose_name_plural = _("сообщества")
        ordering = ["season", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["season", "name"], name="community_name_unique_in_season"),
            models.CheckConstraint(
                condition=Q(kind="district", organisation__isnull=True)
                | Q(kind="school_mentors", organisation__isnull=False),
                name="community_school_kind_has_organisation",
                violation_error_message=_(
                    "Неформальное сообщество педагогов-наставников работает внутри ОО: укажите организацию; "
                    "у районного сообщества организации нет."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class CommunityMember(models.Model):
    community = models.ForeignKey(
        Community, verbose_name=_("сообщество"), on_delete=models.CASCADE, related_name="members"
    )
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(_("роль"), max_length=16, choices=CommunityRole.choices, default=CommunityRole.MEMBER)
    joined_on = models.DateField(_("вступил"))
    left_on = models.DateField(_("вышел"), null=True, blank=True)

    class Meta:
        verbose_name = _("участник сообщества")
        verbose_name_plural = _("участники сообществ")
        ordering = ["community", "enrollment__person__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "enrollment"], name="community_member_once"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="community_member_left_after_joined",
                violation_error_message=_("Дата выхода не может быть раньше даты вступления."),
            ),
        ]

    def __str__(self):
        return f"{self.enrollment.person} — {self.community}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class CommunityReport(models.Model):
    """The half-year report (сид 001, «Определение целей и отчетности»: «Четко сформулированные задачи и
    необходимость отчитываться не препятствуют обмену идеями»)."""

    class Half(models.IntegerChoices):
        FIRST = 1, _("первое полугодие")
        SECOND = 2, _("второе полугодие")

    community = models.ForeignKey(
        Community, verbose_name=_("сообщество"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    half = models.PositiveSmallIntegerField(_("полугодие"), choices=Half.choices)
    due_on = models.DateField(_("срок сдачи"))
    text = models.TextField(_("текст отчёта"), blank=True)
    file = models.FileField(_("файл отчёта"), upload_to="communities/reports/%Y/", blank=True)
    submitted_at = models.DateTimeField(_("сдан"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        Enrollment, verbose_name=_("сдал"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("принят"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, verbose_name=_("принял"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("отчёт сообщества")
        verbose_name_plural = _("отчёты сообществ")
        ordering = ["community", "year", "half"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "half"], name="community_report_once_per_half"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(submitted_at__isnull=False),
                name="community_report_accepted_after_submitted",
            ),
        ]

    def __str__(self):
        return f"{self.community}: {self.get_half_display()} {self.year}"

    @property
    def state_label(self) -> str:
        if self.accepted_at:
            return str(_("принят"))
        if self.submitted_at:
            return str(_("сдан, ждёт проверки"))
        return str(_("не сдан"))


class Practice(models.Model):
    """An item of the bank (сид 001, «Разумная диджитализация»: «банка методических материалов»)."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("Методический материал")
        PRACTICE = "practice", _("Практика")
        # Сид 001, «Траектория развития», мероприятие 4: «Формирование банка эффективных наставнических практик».
        MENTORING = "mentoring", _("Наставническая практика")

    class Review(models.TextChoices):
        """The way of a mentoring practice into the bank (сид 001, «Траектория развития», мероприятие 4: «Внесен
        успешный опыт ОО и рекомендован к представлению на конкурсных и иных мероприятиях»)."""

        SUBMITTED = "submitted", _("Подана")
        REVIEWED = "reviewed", _("Рассмотрена")
        RECOMMENDED = "recommended", _("Рекомендована к представлению на конкурсных и иных мероприятиях")
        RETURNED = "returned", _("Возвращена на доработку")

    community = models.ForeignKey(
        Community, verbose_name=_("сообщество"), on_delete=models.CASCADE, related_name="practices"
    )
    author = models.ForeignKey(
        Enrollment, verbose_name=_("автор"), on_delete=models.CASCADE, related_name="community_practices"
    )
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices, default=Kind.PRACTICE)
    title = models.CharField(_("название"), max_length=300)
    description = models.TextField(_("описание"))
    link = models.URLField(_("ссылка"), max_length=500, blank=True)
    file = models.FileField(_("файл"), upload_to="communities/practices/%Y/", blank=True)
    created_at = models.DateTimeField(_("добавлено"), default=timezone.now)
    hidden_at = models.DateTimeField(_("скрыто"), null=True, blank=True)
    hidden_reason = models.CharField(_("причина скрытия"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        User, verbose_name=_("кто скрыл"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review = models.CharField(
        _("рассмотрение"),
        max_length=16,
        choices=Review.choices,
        blank=True,
        help_text=_("Только у наставнической практики: подана, рассмотрена, рекомендована или возвращена."),
    )
    conclusion = models.TextField(_("заключение методиста"), blank=True)
    returned_reason = models.TextField(_("причина возврата"), blank=True)
    reviewed_at = models.DateTimeField(_("рассмотрена"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, verbose_name=_("кто рассмотрел"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommended_at = models.DateTimeField(_("рекомендована"), null=True, blank=True)

    class Meta:
        verbose_name = _("материал банка практик")
        verbose_name_plural = _("банк материалов и практик")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(link="") | ~Q(file=""), name="practice_has_link_or_file"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="practice_hidden_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(kind="mentoring") & ~Q(review="")) | (~Q(kind="mentoring") & Q(review="")),
                name="practice_review_only_for_mentoring",
            ),
            models.CheckConstraint(
                condition=~Q(review__in=["reviewed", "recommended"]) | ~Q(conclusion=""),
                name="practice_reviewed_has_conclusion",
            ),
            models.CheckConstraint(
                condition=~Q(review="returned") | ~Q(returned_reason=""), name="practice_returned_has_reason"
            ),
        ]

    def __str__(self):
        return self.title


class PracticeRating(models.Model):
    practice = models.ForeignKey(Practice, verbose_name=_("материал"), on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(
        Enrollment, verbose_name=_("кто оценил"), on_delete=models.CASCADE, related_name="practice_ratings"
    )
    score = models.PositiveSmallIntegerField(_("оценка"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("комментарий"), blank=True)
    created_at = models.DateTimeField(_("оценено"), default=timezone.now)

    class Meta:
        verbose_name = _("оценка материала")
        verbose_name_plural = _("оценки материалов")
        ordering = ["practice", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "rater"], name="practice_rating_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="practice_rating_one_to_five"),
        ]

    def __str__(self):
        return f"{self.practice}: {self.score}"


class CascadeTraining(models.Model):
    """A group trained by a member of the community's active (сид 001: «Внедрение в районе каскадного обучения
    педагогических работников с опорой на актив ПРОкомьюнити»): a session whose trainer is the member."""

    community = models.ForeignKey(
        Community, verbose_name=_("сообщество"), on_delete=models.CASCADE, related_name="trainings"
    )
    trainer = models.ForeignKey(
        Enrollment, verbose_name=_("кто проводит"), on_delete=models.CASCADE, related_name="cascade_trainings"
    )
    session = models.OneToOneField(
        Session, verbose_name=_("занятие"), on_delete=models.CASCADE, related_name="cascade_training"
    )

    class Meta:
        verbose_name = _("каскадное обучение")
        verbose_name_plural = _("каскадное обучение")
        ordering = ["session__starts_at", "pk"]

    def __str__(self):
        return f"{self.trainer.person}: {self.session}"


class AcceleratorDirection(models.TextChoices):
    """«Prof-акселератор» по трем направлениям (сид 001, задачи проекта)."""

    INNOVATIONS = "innovations", _("Новации в образовании")
    ADULT_LEARNING = "adult_learning", _("Эффективное обучение взрослых: подходы и особенности")
    COMPETENCES = (
        "competences",
        _("Компетенции, которые пригодятся: наставник/тьютор/коуч/тренер, дизайнер образовательных программ и др."),
    )


class AcceleratorSupport(models.Model):
    """«…в сочетании с персонифицированным сопровождением профессионального развития и карьерного роста» (сид 001):
    a leader's chosen direction, the specialist who accompanies them and their goal."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("лидер"), on_delete=models.CASCADE, related_name="accelerator_support"
    )
    direction = models.CharField(_("направление"), max_length=16, choices=AcceleratorDirection.choices)
    companion = models.ForeignKey(
        ExpertAssignment,
        verbose_name=_("сопровождающий специалист"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accelerator_support",
    )
    goal = models.TextField(_("цель профессионального развития и карьерного роста"))
    notes = models.TextField(_("ход сопровождения"), blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)

    class Meta:
        verbose_name = _("сопровождение в «Prof-акселераторе»")
        verbose_name_plural = _("сопровождение в «Prof-акселераторе»")
        ordering = ["enrollment", "direction"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "direction"], name="accelerator_support_once"),
        ]

    def __str__(self):
        return f"{self.enrollment.person}: {self.get_direction_display()}"


# The seed sets no numbers for «Построение системы мотивации и геймификации»: the portal's defaults, editable per
# season (MotivationScale), labelled as such wherever they are shown.
DEFAULT_WEIGHTS = {
    "practice_added": 5,
    "rating_given": 1,
    "meeting_attended": 2,
    "group_trained": 10,
    "report_submitted": 5,
}
DEFAULT_THRESHOLDS = {"active_from": 20, "elite_from": 60}


def _weight(name: str, label):
    return models.PositiveSmallIntegerField(
        label,
        default=DEFAULT_WEIGHTS[name],
        validators=[MaxValueValidator(1000)],
        help_text=_("по умолчанию портала: %(n)s (в сиде чисел нет)") % {"n": DEFAULT_WEIGHTS[name]},
    )


class MotivationScale(models.Model):
    """Points per contribution and level thresholds of a season (сид 001: «Построение системы мотивации и
    геймификации»). Without a row, the portal's defaults apply."""

    season = models.OneToOneField(
        Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="motivation_scale"
    )
    practice_added = _weight("practice_added", _("баллов за материал или практику в банке"))
    rating_given = _weight("rating_given", _("баллов за оценку чужого материала"))
    meeting_attended = _weight("meeting_attended", _("баллов за посещённую встречу сообщества"))
    group_trained = _weight("group_trained", _("баллов за проведённое занятие каскадного обучения"))
    report_submitted = _weight("report_submitted", _("баллов лидеру за сданный отчёт"))
    active_from = models.PositiveIntegerField(
        _("баллов для уровня «актив сообщества»"),
        default=DEFAULT_THRESHOLDS["active_from"],
        validators=[MaxValueValidator(100000)],
        help_text=_("по умолчанию портала: %(n)s (в сиде чисел нет)") % {"n": DEFAULT_THRESHOLDS["active_from"]},
    )
    elite_from = models.PositiveIntegerField(
        _("баллов для уровня «педагогическая элита»"),
        default=DEFAULT_THRESHOLDS["elite_from"],
        validators=[MaxValueValidator(100000)],
        help_text=_("по умолчанию портала: %(n)s (в сиде чисел нет)") % {"n": DEFAULT_THRESHOLDS["elite_from"]},
    )

    class Meta:
        verbose_name = _("шкала мотивации сообществ")
        verbose_name_plural = _("шкалы мотивации сообществ")
        constraints = [
            models.CheckConstraint(
                condition=Q(elite_from__gt=F("active_from")),
                name="motivation_scale_levels_ascend",
                violation_error_message=_("Порог «педагогической элиты» должен быть выше порога «актива сообщества»."),
            ),
        ]

    def __str__(self):
        return str(self.season)


__all__ = [
    "COMMUNITY_MIN_MEMBERS",
    "DEFAULT_THRESHOLDS",
    "DEFAULT_WEIGHTS",
    "AcceleratorDirection",
    "AcceleratorSupport",
    "CascadeTraining",
    "Community",
    "CommunityMember",
    "CommunityReport",
    "CommunityRole",
    "MotivationScale",
    "Practice",
    "PracticeRating",
]
