"""Users (login by e-mail), people and their enrollments in seasons."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    chat_joined_at = models.DateTimeField(_("вступил в чат"), null=True, blank=True)
    preferred_format = models.CharField(_("выбранный формат обучения"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("участие")
        verbose_name_plural = _("участие в программах")
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "season"], name="enrollment_one_per_person_season"),
        ]
        indexes = [models.Index(fields=["season", "status"], name="enrollment_season_status_idx")]

    def __str__(self):
        return f"{self.person} — {self.season}"

    @property
    def is_current(self) -> bool:
        return self.status in {self.Status.APPLIED, self.Status.ACTIVE}


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
        PD_PROCESSING = "pd_processing", _("Обработка персональных данных")
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
