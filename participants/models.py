"""Users (login by e-mail), people and their enrollments in seasons."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import AuditHistory
from programs.models import EducationLevel, Municipality, Organisation, Season, Subject


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError(_("Нужен адрес электронной почты"))
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        TEACHER = "teacher", _("Педагог")
        EXPERT = "expert", _("Эксперт")
        COORDINATOR = "coordinator", _("Координатор")
        MANAGEMENT = "management", _("Руководство")
        DIRECTOR = "director", _("Руководитель организации")

    email = models.EmailField(_("электронная почта"), unique=True)
    role = models.CharField(_("основная роль"), max_length=16, choices=Role.choices, default=Role.TEACHER)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("муниципалитет (для координатора и руководства)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_users",
    )
    is_staff = models.BooleanField(_("доступ к администрированию"), default=False)
    is_active = models.BooleanField(_("активен"), default=True)
    date_joined = models.DateTimeField(_("зарегистрирован"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("почта подтверждена"), null=True, blank=True)
    # Kept by core.notifications so that the unread badge on every page costs no query.
    unread_notifications = models.PositiveIntegerField(_("непрочитанных уведомлений"), default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        person = getattr(self, "person", None)
        return person.full_name if person else self.email

    def get_short_name(self):
        person = getattr(self, "person", None)
        return person.short_name if person else self.email


class Person(models.Model):
    """A teacher, expert or manager: the personal data 152-FZ speaks of."""

    class Category(models.TextChoices):
        NONE = "none", _("Без категории")
        CONFORMITY = "conformity", _("Соответствие занимаемой должности")
        FIRST = "first", _("Первая")
        HIGHEST = "highest", _("Высшая")

    class Gender(models.TextChoices):
        """Grammatical gender of the documents a person is handed (certificates); unset — guessed from the
        patronymic and first name, else a neutral wording (participants.gender)."""

        MALE = "male", _("мужской")
        FEMALE = "female", _("женский")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("учётная запись"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    gender = models.CharField(
        _("пол"),
        max_length=8,
        choices=Gender.choices,
        blank=True,
        help_text=_("Для окончаний в сертификатах («принял» или «приняла»). Можно не указывать."),
    )
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=32, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    position = models.CharField(_("должность"), max_length=200, blank=True)
    subjects = models.ManyToManyField(Subject, verbose_name=_("предметы"), blank=True, related_name="people")
    education_level = models.CharField(
        _("уровень образования"), max_length=24, choices=EducationLevel.choices, blank=True
    )
    experience_years = models.PositiveSmallIntegerField(_("педагогический стаж, лет"), null=True, blank=True)
    category = models.CharField(
        _("квалификационная категория"), max_length=16, choices=Category.choices, default=Category.NONE
    )
    is_manager = models.BooleanField(_("руководящий работник"), default=False)
    is_anonymised = models.BooleanField(_("обезличен"), default=False, editable=False)
    calendar_token = models.CharField(
        _("ключ календаря"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    class Meta:
        verbose_name = _("человек")
        verbose_name_plural = _("люди")
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [
            models.Index(fields=["birth_date"], name="person_birth_date_idx"),
            models.Index(Lower("email"), name="person_email_idx"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()


class Enrollment(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Заявка подана")
        ACTIVE = "active", _("Участвует")
        REJECTED = "rejected", _("Заявка отклонена")
        WITHDRAWN = "withdrawn", _("Вышел добровольно")
        EXCLUDED = "excluded", _("Исключён")
        COMPLETED = "completed", _("Завершил программу")

    person = models.ForeignKey(Person, verbose_name=_("участник"), on_delete=models.PROTECT, related_name="enrollments")
    season = models.ForeignKey(Season, verbose_name=_("сезон"), on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.APPLIED)
    applied_at = models.DateTimeField(_("заявка подана"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("статус изменён"), default=timezone.now)
    # Seed 000 §4.4: joining the participants' chat. The teacher says so (claimed); the season's technical specialist
    # or a coordinator confirms. chat_joined_at is the confirmed membership — the one the exclusion rule reads.
    chat_join_claimed_at = models.DateTimeField(_("сообщил(а) о вступлении в чат"), null=True, blank=True)
    chat_joined_at = models.DateTimeField(_("вступление в чат подтверждено"), null=True, blank=True)
    chat_join_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто подтвердил вступление в чат"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    preferred_format = models.CharField(_("выбранный формат обучения"), max_length=200, blank=True)
    # «Методический абонемент» admits teachers of schools whose request the centre approved (seed 004, §III.2);
    # a coordinator may admit a teacher without it, and that decision is kept here with who, when and why.
    school_gate_override_reason = models.TextField(_("допуск без одобренной заявки школы: основание"), blank=True)
    school_gate_override_at = models.DateTimeField(
        _("допуск без одобренной заявки школы: когда"), null=True, blank=True
    )
    school_gate_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("допуск без одобренной заявки школы: кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = AuditHistory(
        verbose_name=_("история изменений: участие"),
        verbose_name_plural=_("история изменений участия"),
    )

    class Meta:
        verbose_name = _("участие")
        verbose_name_plural = _("участие в программах")
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "season"], name="enrollment_one_per_person_season"),
            models.CheckConstraint(
                condition=Q(school_gate_override_at__isnull=True) | ~Q(school_gate_override_reason=""),
                name="enrollment_school_gate_override_has_reason",
            ),
        ]
        indexes = [
            # A season's list by status, newest applications first (the coordinators' enrollment list orders by
            # -applied_at, -pk): the page's 50 rows come straight off the index instead of sorting the season.
            models.Index(fields=["season", "status", "-applied_at", "-id"], name="enrollment_season_status_idx"),
            # The same order over a whole municipality (no season chosen).
            models.Index(fields=["-applied_at", "-id"], name="enrollment_newest_idx"),
        ]

    def __str__(self):
        return f"{self.person} — {self.season}"

    @property
    def is_current(self) -> bool:
        return self.status in {self.Status.APPLIED, self.Status.ACTIVE}

    @property
    def has_school_gate_override(self) -> bool:
        return self.school_gate_override_at is not None

    # The moment a participant was admitted (approved, or reinstated): status_changed_at of an active enrollment.
    # Deadlines and sessions before it are never grounds for exclusion (seed 000, п. 4.4, 5.5). Set-based code
    # compares with this column in SQL (ADMITTED_AT_FIELD) only together with status=ACTIVE.
    ADMITTED_AT_FIELD = "status_changed_at"

    @property
    def admitted_at(self) -> datetime | None:
        """When the participant was admitted; None unless the enrollment is active."""
        return self.status_changed_at if self.status == self.Status.ACTIVE else None


class EnrollmentStatusChange(models.Model):
    """Every change of an enrollment's status: who, when and why."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участие"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("было"), max_length=16, choices=Enrollment.Status.choices, blank=True)
    to_status = models.CharField(_("стало"), max_length=16, choices=Enrollment.Status.choices)
    changed_at = models.DateTimeField(_("когда"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("причина"), blank=True)

    class Meta:
        verbose_name = _("изменение статуса участия")
        verbose_name_plural = _("история статусов участия")
        ordering = ["enrollment", "changed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=models.F("to_status")), name="status_change_is_change"),
        ]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class Consent(models.Model):
    """A consent given by a person (152-FZ): which text, which version, when; and its withdrawal."""

    class Kind(models.TextChoices):
        # The stored value keeps its first spelling: every consent given so far is recorded under it.
        PERSONAL_DATA_PROCESSING = "pd_processing", _("Обработка персональных данных")
        RATING_PUBLICATION = "rating_publication", _("Публикация имени в рейтинге")

    person = models.ForeignKey(Person, verbose_name=_("человек"), on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("вид согласия"), max_length=32, choices=Kind.choices)
    text_version = models.CharField(_("версия текста"), max_length=32)
    text_sha256 = models.CharField(_("контрольная сумма текста"), max_length=64)
    given_at = models.DateTimeField(_("дано"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("согласие")
        verbose_name_plural = _("согласия")
        ordering = ["person", "kind", "-given_at"]
        constraints = [
            # At most one consent of a kind in force per person; withdrawn ones stay as history.
            models.UniqueConstraint(
                fields=["person", "kind"], condition=Q(withdrawn_at__isnull=True), name="consent_one_in_force"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.text_version})"


class SubscriptionForm(models.TextChoices):
    """The seven forms of the Methodical Subscription (seed 004, §III.3); activities use the same values."""

    METHODICAL_SESSION = "methodical_session", _("Методическая сессия")
    PRACTICUM = "practicum", _("Практикум")
    MASTER_CLASS = "master_class", _("Мастер-класс")
    METHODICAL_INTENSIVE = "methodical_intensive", _("Методический интенсив")
    TRAINING = "training", _("Тренинг")
    PSYCHOLOGICAL_CONSULTING = "psychological_consulting", _("Психологический консалтинг")
    MENTORING_HOUR = "mentoring_hour", _("Наставнический час")


class SchoolApplication(models.Model):
    """A school's official request to join a season of the Methodical Subscription (seed 004, §III.1–2)."""

    class Ground(models.TextChoices):
        OWN_REQUEST = "own_request", _("По заявке образовательной организации")
        VPR = "vpr", _("По результатам ВПР (независимая оценка качества обучения)")
        DIAGNOSTICS = "diagnostics", _("По итогам диагностики дефицитов предметной компетентности")

    class Status(models.TextChoices):
        APPLIED = "applied", _("На рассмотрении")
        APPROVED = "approved", _("Одобрена")
        REJECTED = "rejected", _("Отклонена")

    season = models.ForeignKey(
        Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="school_applications"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("организация"), on_delete=models.PROTECT, related_name="subscription_applications"
    )
    applicant = models.ForeignKey(
        Person, verbose_name=_("заявитель"), on_delete=models.PROTECT, related_name="school_applications"
    )
    grounds = models.JSONField(_("основания"), default=list)
    details = models.TextField(_("обоснование"), blank=True, help_text=_("Результаты ВПР, выявленные дефициты"))
    teachers_planned = models.PositiveSmallIntegerField(_("педагогов планируется"), null=True, blank=True)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.APPLIED)
    submitted_at = models.DateTimeField(_("подана"), default=timezone.now)
    decided_at = models.DateTimeField(_("рассмотрена"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто рассмотрел"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("причина решения"), blank=True)

    class Meta:
        verbose_name = _("заявка школы на абонемент")
        verbose_name_plural = _("заявки школ на абонемент")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "organisation"],
                condition=Q(status__in=["applied", "approved"]),
                name="school_application_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.season}"


class FeedbackQuestion(models.Model):
    """A question of the season's quarterly feedback; the burnout pulse is a 1–5 scale question."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Шкала 1–5")
        TEXT = "text", _("Свободный ответ")
        CHOICE = "choice", _("Выбор из вариантов")

    class Audience(models.TextChoices):
        """Seed 000 §2.2: feedback «от участников и экспертов (минимум раз в квартал)»."""

        PARTICIPANTS = "participants", _("участники")
        EXPERTS = "experts", _("эксперты")

    season = models.ForeignKey(
        Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="feedback_questions"
    )
    audience = models.CharField(
        _("кому задаётся"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.PARTICIPANTS,
        help_text=_(
            "П. 2.2 положения: обратная связь от участников и экспертов не реже раза в квартал. Если у сезона нет "
            "действующих вопросов для экспертов, эксперты отвечают на те же вопросы, что и участники."
        ),
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    text = models.CharField(_("вопрос"), max_length=500)
    help_text = models.CharField(_("пояснение"), max_length=500, blank=True)
    kind = models.CharField(_("вид ответа"), max_length=16, choices=Kind.choices, default=Kind.SCALE)
    choices = models.JSONField(_("варианты"), default=list, blank=True)
    is_required = models.BooleanField(_("обязательный"), default=True)
    is_pulse = models.BooleanField(
        _("пульс нагрузки / выгорания"), default=False, help_text=_("Шкала 1–5 для тренда в отчётах")
    )
    shows_individual_answers = models.BooleanField(
        _("показывать ответы поимённо"),
        default=False,
        help_text=_("По умолчанию в отчётах только сводные данные"),
    )
    is_active = models.BooleanField(_("задаётся"), default=True)

    class Meta:
        verbose_name = _("вопрос обратной связи")
        verbose_name_plural = _("вопросы ежеквартальной обратной связи")
        ordering = ["season", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(is_pulse=True) | Q(kind="scale"), name="feedback_pulse_is_scale"),
        ]

    def __str__(self):
        return self.text


class FeedbackResponse(models.Model):
    """One participant's answers for one quarter: asked once per quarter."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="feedback_responses"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    quarter = models.PositiveSmallIntegerField(_("квартал"))
    submitted_at = models.DateTimeField(_("ответ дан"), default=timezone.now)

    class Meta:
        verbose_name = _("ответ на обратную связь")
        verbose_name_plural = _("ответы на обратную связь")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "year", "quarter"], name="feedback_once_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="feedback_quarter_range"),
        ]

    def __str__(self):
        return _("%(enrollment)s — %(quarter)s кв. %(year)s") % {
            "enrollment": self.enrollment,
            "quarter": self.quarter,
            "year": self.year,
        }


class FeedbackAnswer(models.Model):
    response = models.ForeignKey(
        FeedbackResponse, verbose_name=_("ответ"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        FeedbackQuestion, verbose_name=_("вопрос"), on_delete=models.CASCADE, related_name="answers"
    )
    scale_value = models.PositiveSmallIntegerField(_("оценка"), null=True, blank=True)
    text_value = models.TextField(_("текст ответа"), blank=True)

    class Meta:
        verbose_name = _("ответ на вопрос")
        verbose_name_plural = _("ответы на вопросы")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="feedback_answer_unique"),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True) | (Q(scale_value__gte=1) & Q(scale_value__lte=5)),
                name="feedback_scale_range",
            ),
        ]

    def __str__(self):
        return str(self.question)


class PersonalDataRequest(models.Model):
    """A person's request under 152-FZ (export or erasure) and the record of how it was carried out."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Выгрузка данных")
        ERASURE = "erasure", _("Удаление (обезличивание) данных")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Получен")
        DONE = "done", _("Исполнен")
        REFUSED = "refused", _("Отклонён")

    class Basis(models.TextChoices):
        """Why the data are processed or destroyed: the person's own request, their withdrawn consent
        (152-FZ art. 9 §2, 21 §5: destroyed within 30 days) or the end of the retention period (art. 5 §7)."""

        REQUEST = "request", _("Запрос человека")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Отзыв согласия на обработку")
        RETENTION_EXPIRED = "retention_expired", _("Истёк срок хранения")

    person = models.ForeignKey(
        Person, verbose_name=_("человек"), null=True, on_delete=models.SET_NULL, related_name="data_requests"
    )
    # Kept after erasure so the record of the destruction survives without the personal data.
    person_ref = models.CharField(_("номер человека"), max_length=32, editable=False)
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    basis = models.CharField(_("основание"), max_length=24, choices=Basis.choices, default=Basis.REQUEST)
    reason = models.TextField(_("пояснение"), blank=True)
    requested_at = models.DateTimeField(_("получен"), default=timezone.now)
    completed_at = models.DateTimeField(_("исполнен"), null=True, blank=True)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто исполнил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result = models.TextField(_("что сделано"), blank=True)

    class Meta:
        verbose_name = _("запрос по персональным данным")
        verbose_name_plural = _("запросы по персональным данным")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.person_ref}"


class ProfessionalDevelopment(models.Model):
    """A completed course of additional professional education (ДПО, курсы повышения квалификации).

    The facts the PD KPIs count (seed 002 §6.2, seed 003): in the Federal Registry, chosen on the basis of
    competence diagnostics, remote without leaving work, a continuous-education format; taken under the teacher's
    individual educational route (ИОМ, seed 001, «Школа – Школе»).
    """

    class Source(models.TextChoices):
        MANUAL = "manual", _("Внесено вручную")
        IMPORT = "import", _("Импорт из XLSX")

    person = models.ForeignKey(
        Person, verbose_name=_("педагог"), on_delete=models.CASCADE, related_name="professional_development"
    )
    course_title = models.CharField(_("программа (курс)"), max_length=400)
    provider = models.CharField(_("организация, проводившая обучение"), max_length=300)
    hours = models.PositiveSmallIntegerField(_("объём, часов"))
    starts_on = models.DateField(_("начало обучения"), null=True, blank=True)
    ends_on = models.DateField(_("окончание обучения"))
    in_federal_registry = models.BooleanField(_("программа из Федерального реестра ДПП"), default=False)
    is_remote = models.BooleanField(_("дистанционно, без отрыва от работы"), default=False)
    based_on_diagnostics = models.BooleanField(
        _("подобрана по результатам диагностики профессиональных дефицитов"), default=False
    )
    is_continuous_format = models.BooleanField(
        _("формат непрерывного образования"),
        default=False,
        help_text=_("Стажировка, методическая сессия, сетевое сообщество и другие формы, кроме разовых курсов"),
    )
    # Сид 001, «Школа – Школе», ожидаемые результаты: «учителей, прошедших повышение квалификации в соответствии с ИОМ».
    per_individual_route = models.BooleanField(
        _("в соответствии с индивидуальным образовательным маршрутом (ИОМ)"),
        default=False,
        help_text=_(
            "Курс входит в индивидуальный образовательный маршрут педагога, построенный по выявленным "
            "профессиональным дефицитам."
        ),
    )
    document_number = models.CharField(_("номер удостоверения"), max_length=100, blank=True)
    source = models.CharField(_("источник"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(_("внесено"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто внёс"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("повышение квалификации")
        verbose_name_plural = _("повышение квалификации (ДПО)")
        ordering = ["-ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="pd_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["person", "document_number"],
                condition=~Q(document_number=""),
                name="pd_one_per_document",
            ),
        ]
        indexes = [models.Index(fields=["ends_on"], name="pd_ends_on_idx")]

    def __str__(self):
        return f"{self.course_title} ({self.ends_on:%Y})"


class CompetenceDiagnostic(models.Model):
    """A result of professional-competence diagnostics: when, on which platform, where the deficits are."""

    person = models.ForeignKey(
        Person, verbose_name=_("педагог"), on_delete=models.CASCADE, related_name="competence_diagnostics"
    )
    taken_on = models.DateField(_("дата диагностики"))
    platform = models.CharField(
        _("платформа"), max_length=200, help_text=_("Например, ФГАОУ ДПО «Академия Минпросвещения России»")
    )
    deficit_areas = models.JSONField(_("области с дефицитами"), default=list, blank=True)
    score = models.DecimalField(_("результат, %"), max_digits=5, decimal_places=1, null=True, blank=True)
    created_at = models.DateTimeField(_("внесено"), default=timezone.now)

    class Meta:
        verbose_name = _("диагностика профессиональных компетенций")
        verbose_name_plural = _("диагностика профессиональных компетенций")
        ordering = ["-taken_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "taken_on", "platform"], name="diagnostic_once_per_day"),
        ]

    def __str__(self):
        return f"{self.platform} — {self.taken_on:%d.%m.%Y}"


class ManagementTeamMember(models.Model):
    """A member of an organisation's management team (director, deputies) for the management-team KPI."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("организация"), on_delete=models.CASCADE, related_name="management_team"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("сотрудник"), on_delete=models.CASCADE, related_name="management_roles"
    )
    role = models.CharField(_("должность в команде"), max_length=200)
    since = models.DateField(_("в команде с"), null=True, blank=True)
    until = models.DateField(_("в команде по"), null=True, blank=True)

    class Meta:
        verbose_name = _("член управленческой команды")
        verbose_name_plural = _("управленческие команды")
        ordering = ["organisation", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"], condition=Q(until__isnull=True), name="management_member_once"
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="management_member_dates_ordered",
            ),
        ]

    def __str__(self):
        # The person first: the team programme's form picks members by this label (autocomplete).
        return f"{self.person} — {self.role}"


# Seed 002, п. 6.2, показатель 2: a team took part «as a team» when at least this many of its members were in
# one programme — or all of a smaller team.
TEAM_PROGRAMME_MIN_MEMBERS = 2


class ManagementTeamProgramme(models.Model):
    """A programme of further training an organisation's management team took part in as a team (seed 002,
    п. 6.2, показатель 2: «управленческие команды, принявшие участие в программах повышения квалификации»)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="management_programmes",
    )
    title = models.CharField(_("программа повышения квалификации"), max_length=400)
    provider = models.CharField(_("организация, проводившая обучение"), max_length=300, blank=True)
    starts_on = models.DateField(_("начало обучения"), null=True, blank=True)
    ends_on = models.DateField(_("окончание обучения"))
    members = models.ManyToManyField(
        ManagementTeamMember,
        verbose_name=_("участники от команды"),
        related_name="programmes",
        help_text=_(
            "Команда участвует как команда: в одной программе не меньше двух её членов, "
            "а если в команде один человек — он сам. Только члены команды этой организации."
        ),
    )
    created_at = models.DateTimeField(_("внесено"), default=timezone.now)

    class Meta:
        verbose_name = _("программа управленческой команды")
        verbose_name_plural = _("программы управленческих команд")
        ordering = ["-ends_on", "pk"]
        indexes = [models.Index(fields=["organisation", "ends_on"], name="team_programme_org_end_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="team_programme_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.organisation})"


# The KPI year of a roster: the staff on 31 December of that calendar year (see StaffRosterEntry).
ROSTER_YEAR_HELP = _(
    "Календарный год показателя: состав на 31 декабря этого года (как в формах 85-К и ОО-1 — численность на "
    "отчётную дату). Показатели приказов за год считаются по составу этого года."
)


class StaffRosterEntry(models.Model):
    """One worker of an organisation's staff roster (кадровый состав) for one KPI year.

    `year` is the calendar year the roster stands «на 31 декабря»: the orders' targets are set per calendar year
    (seed 002 §6.2, seed 003 «Показатели реализации проекта»), and the statistical forms 85-К and ОО-1 count staff at
    a reporting date, so a year's KPI reads the staff of that year's reporting date — not whoever is on the portal
    today. Someone who left during the year (`left_on` on or before 31.12) stays in the year's list as a record but
    is not counted on the reporting date; the copy to the next year leaves them out.
    """

    class StaffKind(models.TextChoices):
        PEDAGOGICAL = "pedagogical", _("Педагогический работник")
        MANAGEMENT = "management", _("Руководящий работник")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("организация"), on_delete=models.PROTECT, related_name="staff_roster"
    )
    year = models.PositiveSmallIntegerField(_("год (состав на 31 декабря)"), help_text=ROSTER_YEAR_HELP)
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    position = models.CharField(_("должность"), max_length=200)
    staff_kind = models.CharField(
        _("категория персонала"), max_length=16, choices=StaffKind.choices, default=StaffKind.PEDAGOGICAL
    )
    # Seed 003, показатель 2 counts «учителей» among the pedagogical workers: a position «учитель …».
    is_teacher = models.BooleanField(
        _("учитель"),
        default=False,
        editable=False,
        help_text=_("Педагогический работник в должности «учитель…»: определяется по должности."),
    )
    education_level = models.CharField(
        _("уровень образования"), max_length=24, choices=EducationLevel.choices, blank=True
    )
    experience_years = models.PositiveSmallIntegerField(
        _("педагогический стаж, лет"),
        null=True,
        blank=True,
        help_text=_("Полных лет педагогического стажа на 31 декабря года состава."),
    )
    category = models.CharField(
        _("квалификационная категория"), max_length=16, choices=Person.Category.choices, default=Person.Category.NONE
    )
    hired_on = models.DateField(_("принят(а) на работу"), null=True, blank=True)
    left_on = models.DateField(
        _("уволен(а)"),
        null=True,
        blank=True,
        help_text=_("Уволенный до 31 декабря в показатели года не входит и в состав следующего года не переносится."),
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("человек на портале"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roster_entries",
        help_text=_("Сопоставление с портальной записью: по ней показатели находят повышение квалификации."),
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("работник в кадровом составе")
        verbose_name_plural = _("кадровый состав организаций")
        ordering = ["organisation", "-year", "last_name", "first_name", "middle_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "person"],
                condition=Q(person__isnull=False),
                name="roster_person_once",
                violation_error_message=_("Этот человек уже есть в составе организации за этот год."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "year", "last_name", "first_name", "middle_name", "birth_date"],
                name="roster_name_birth_once",
                violation_error_message=_("Работник с таким ФИО и датой рождения уже есть в составе за этот год."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "year", "last_name", "first_name", "middle_name"],
                condition=Q(birth_date__isnull=True),
                name="roster_name_once_without_birth",
                violation_error_message=_("Работник с таким ФИО без даты рождения уже есть в составе за этот год."),
            ),
            models.CheckConstraint(
                condition=Q(hired_on__isnull=True) | Q(left_on__isnull=True) | Q(left_on__gte=models.F("hired_on")),
                name="roster_dates_ordered",
                violation_error_message=_("Дата увольнения раньше даты приёма."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="roster_year_sane",
                violation_error_message=_("Год — от 2000 до 2100."),
            ),
        ]
        indexes = [models.Index(fields=["year", "organisation"], name="roster_year_org_idx")]

    def __str__(self):
        return f"{self.full_name} — {self.position} ({self.year})"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class StaffHeadcount(models.Model):
    """An organisation's staff numbers for one KPI year, for a municipality that keeps only numbers (forms ОО-1,
    раздел 3.1, and 85-К): the denominators of the order KPIs without names. Where the organisation also has a
    named roster for the year (StaffRosterEntry), the roster wins and these numbers are not used."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("организация"), on_delete=models.PROTECT, related_name="staff_headcounts"
    )
    year = models.PositiveSmallIntegerField(_("год (численность на 31 декабря)"), help_text=ROSTER_YEAR_HELP)
    pedagogical_total = models.PositiveIntegerField(_("педагогические работники, всего"))
    teachers = models.PositiveIntegerField(_("из них учителя"))
    higher_education = models.PositiveIntegerField(_("педагогические работники с высшим образованием"))
    teachers_under_5_years = models.PositiveIntegerField(_("учителя со стажем педагогической работы до 5 лет"))
    management_total = models.PositiveIntegerField(_("руководящие работники"), default=0)
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("численность персонала")
        verbose_name_plural = _("численность персонала (без поимённого состава)")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="headcount_once_per_year",
                violation_error_message=_("Численность этой организации за этот год уже внесена."),
            ),
            models.CheckConstraint(condition=Q(teachers__lte=models.F("pedagogical_total")), name="headcount_teachers"),
            models.CheckConstraint(
                condition=Q(higher_education__lte=models.F("pedagogical_total")), name="headcount_higher_education"
            ),
            models.CheckConstraint(
                condition=Q(teachers_under_5_years__lte=models.F("teachers")), name="headcount_young_teachers"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="headcount_year_sane",
                violation_error_message=_("Год — от 2000 до 2100."),
            ),
        ]

    def __str__(self):
        return _("%(organisation)s: численность на 31.12.%(year)s") % {
            "organisation": self.organisation,
            "year": self.year,
        }
