"""Municipalities, organisations, programs, seasons and their roadmaps."""

import re
from datetime import date
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.natural_sort import natural_sort_key

from .rule_sources import DEFAULT_SOURCE


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Неизвестный часовой пояс: %(tz)s"), params={"tz": value})


class EducationLevel(models.TextChoices):
    HIGHER = "higher", _("Высшее")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Среднее профессиональное")
    SECONDARY_GENERAL = "secondary_general", _("Среднее общее")
    OTHER = "other", _("Другое")


class Municipality(models.Model):
    name = models.CharField(_("название"), max_length=200, unique=True)
    region = models.CharField(_("субъект РФ"), max_length=200)
    time_zone = models.CharField(
        _("часовой пояс"), max_length=64, default="Europe/Moscow", validators=[validate_time_zone]
    )

    class Meta:
        verbose_name = _("муниципалитет")
        verbose_name_plural = _("муниципалитеты")
        ordering = ["name"]

    def __str__(self):
        return self.name


def low_results_exists(*, year: int | None = None, outer: str = "pk") -> Exists:
    """Сид 001, «Школа – Школе»: the organisation at OuterRef(`outer`) is a «школа с низкими образовательными
    результатами» (ШНОР) — by its «Сведения организации за год» of `year`, or, without a year, of its latest year
    with facts. An organisation without facts is not one. The one reading of the mark: the yearly fact is the
    record and nothing stores a copy of it."""
    marked = OrganisationYearFacts.objects.filter(organisation=OuterRef(outer), low_results=True)
    if year is not None:
        return Exists(marked.filter(year=year))
    later = OrganisationYearFacts.objects.filter(organisation=OuterRef("organisation"), year__gt=OuterRef("year"))
    return Exists(marked.filter(~Exists(later)))


class OrganisationQuerySet(models.QuerySet):
    def with_low_results(self, year: int | None = None) -> "OrganisationQuerySet":
        """Each organisation with `low_results`: its ШНОР mark of `year`, or of its latest year (low_results_exists),
        in the same query — lists annotate, never a query per row."""
        return self.annotate(low_results=low_results_exists(year=year))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("Школа")
        KINDERGARTEN = "kindergarten", _("Детский сад")
        ADDITIONAL = "additional", _("Дополнительное образование")
        METHODICAL_CENTRE = "methodical_centre", _("Методический центр")
        EDUCATION_AUTHORITY = "education_authority", _("Орган управления образованием")
        OTHER = "other", _("Другое")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципалитет"), on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("полное название"), max_length=400)
    short_name = models.CharField(_("краткое название"), max_length=200)
    kind = models.CharField(_("тип"), max_length=32, choices=Kind.choices, default=Kind.SCHOOL)
    is_active = models.BooleanField(_("действует"), default=True)
    # The short name's natural sort key (core.natural_sort): every list, filter, select and workbook orders
    # organisations by it. Filled by save(); a bulk write fills it with organisation_sort_key (tests/test_sort_key_guard.py).
    sort_key = models.TextField(_("ключ сортировки"), default="", editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        ordering = ["municipality__name", "sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "short_name"], name="organisation_unique_short_name"),
        ]

    def __str__(self):
        return self.short_name

    def save(self, *args, **kwargs):
        self.sort_key = organisation_sort_key(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "short_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)


def organisation_sort_key(organisation: Organisation) -> str:
    """The key an organisation is listed by: its short name in natural order (core.natural_sort). Every bulk
    write of organisations sets it with this function."""
    return natural_sort_key(organisation.short_name or organisation.name)


class Subject(models.Model):
    """A school subject or a support profile (a methodist's specialism, a teacher's subject)."""

    name = models.CharField(_("название"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("предмет")
        verbose_name_plural = _("предметы")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Program(models.Model):
    class Kind(models.TextChoices):
        PROJECT = "project", _("Проект сопровождения")
        SUBSCRIPTION = "subscription", _("Методический абонемент (индивидуальные маршруты)")
        CLUSTER = "cluster", _("Муниципальный проект / кластер")
        SYSTEM = "system", _("Муниципальная система сопровождения")

    slug = models.SlugField(_("адрес"), max_length=80, unique=True)
    title = models.CharField(_("название"), max_length=200)
    code = models.CharField(
        _("код для номеров сертификатов"),
        max_length=8,
        unique=True,
        help_text=_("Например, ПП: ПП-2025-000123"),
    )
    kind = models.CharField(_("вид программы"), max_length=16, choices=Kind.choices, default=Kind.PROJECT)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципалитет"), on_delete=models.PROTECT, related_name="programs"
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("координатор программы (организация)"),
        on_delete=models.PROTECT,
        related_name="organised_programs",
    )
    summary = models.CharField(_("кратко"), max_length=400, blank=True)
    description = models.TextField(_("описание"), blank=True)
    goals = models.TextField(_("цели и задачи"), blank=True)
    eligibility = models.TextField(_("условия участия"), blank=True)
    mandatory_conditions = models.TextField(_("обязательные условия"), blank=True)
    order_reference = models.CharField(
        _("нормативный документ"),
        max_length=300,
        blank=True,
        help_text=_("Например: приказ № 643-од от 09.09.2024"),
    )
    is_published = models.BooleanField(_("опубликована"), default=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    class Meta:
        verbose_name = _("программа")
        verbose_name_plural = _("программы")
        ordering = ["title"]

    def __str__(self):
        return self.title


_OFFSET_TOKEN = re.compile(r"^(\d+)\s*(д|дн|дня|дней|d|ч|h)?$", re.IGNORECASE)
MAX_REMINDER_OFFSET_HOURS = 60 * 24


def parse_reminder_offsets(value: str) -> list[int]:
    """«7д, 2д, 3ч» → [168, 48, 3]: hours before a due date, largest first; a bare number means hours.

    Raises ValidationError naming the piece that is not understood.
    """
    hours = set()
    for piece in re.split(r"[,;\s]+(?=\d)", (value or "").strip()):
        piece = piece.strip().strip(",;").strip()
        if not piece:
            continue
        match = _OFFSET_TOKEN.match(piece)
        if not match:
            raise ValidationError(
                _("Не понятно «%(piece)s»: пишите сроки через запятую, например «7д, 2д, 3ч»."), params={"piece": piece}
            )
        number, unit = int(match.group(1)), (match.group(2) or "ч").lower()
        value_hours = number * 24 if unit.startswith(("д", "d")) else number
        if not 0 < value_hours <= MAX_REMINDER_OFFSET_HOURS:
            raise ValidationError(_("Напоминание «%(piece)s»: от 1 часа до 60 дней до срока."), params={"piece": piece})
        hours.add(value_hours)
    return sorted(hours, reverse=True)


def validate_reminder_offsets(value: str) -> None:
    parse_reminder_offsets(value)


# The participants' information chat (seed 000 §4.4, §5.7) lives in one of the messengers Russian schools use.
CHAT_SERVICES = {
    "ВКонтакте": ("vk.com", "vk.ru", "vk.me"),
    "Telegram": ("t.me", "telegram.me"),
    "Max": ("max.ru",),
    "Сферум": ("sferum.ru",),
}


def chat_service(url: str) -> str:
    """The messenger a chat link leads to («Telegram»…), or "" when its host is none of CHAT_SERVICES'."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme != "https" or not host:
        return ""
    for service, domains in CHAT_SERVICES.items():
        if any(host == domain or host.endswith("." + domain) for domain in domains):
            return service
    return ""


def validate_chat_url(value: str) -> None:
    if value and not chat_service(value):
        raise ValidationError(
            _(
                "Ссылка на чат должна вести в ВКонтакте (vk.com, vk.me), Telegram (t.me), Max (max.ru) или "
                "Сферум (sferum.ru) и начинаться с https://."
            ),
            code="chat_host",
        )


class ReviewRelease(models.TextChoices):
    ON_SUBMIT = "on_submit", _("Сразу после оценки эксперта")
    AFTER_CHECK = "after_check", _("После проверки координатором")


class VideoScoreRule(models.TextChoices):
    """How a video lesson reviewed by several experts enters the rating (seed 000 §5.8 names no rule)."""

    MEAN = "mean", _("Среднее опубликованных рецензий")
    LEAD = "lead", _("Оценка ведущего эксперта — методиста")


class VisitPeriod(models.TextChoices):
    """How often the curator must visit each participant's lessons; the label names the clause that decides."""

    MONTHLY = "monthly", _("ежемесячно (п. 1.4 положения)")
    QUARTERLY = "quarterly", _("раз в квартал (п. 2.2 положения)")
    NONE = "none", _("не требуется")


class Season(models.Model):
    """One run of a program (an academic year) with its own window, rules and weights."""

    class ExclusionPolicy(models.TextChoices):
        AUTOMATIC = "automatic", _("Исключать автоматически")
        CONFIRMATION = "confirmation", _("Исключать после подтверждения координатором")

    class AttendanceDefault(models.TextChoices):
        ABSENT = "absent", _("Отсутствовал")
        PRESENT = "present", _("Присутствовал")
        NONE = "", _("Оставить неотмеченным")

    program = models.ForeignKey(Program, verbose_name=_("программа"), on_delete=models.CASCADE, related_name="seasons")
    title = models.CharField(_("название сезона"), max_length=100, help_text=_("Например, 2024–2025"))
    starts_on = models.DateField(_("начало"))
    ends_on = models.DateField(_("окончание"))
    time_zone = models.CharField(
        _("часовой пояс"), max_length=64, default="Europe/Moscow", validators=[validate_time_zone]
    )
    registration_opens_at = models.DateTimeField(_("регистрация открывается"))
    registration_closes_at = models.DateTimeField(_("регистрация закрывается"))
    capacity = models.PositiveIntegerField(
        _("количество мест"), null=True, blank=True, help_text=_("Пусто — без ограничения")
    )
    requires_approval = models.BooleanField(_("заявки утверждает координатор"), default=True)
    eligible_education_levels = models.JSONField(
        _("допустимый уровень образования"),
        default=list,
        blank=True,
        help_text=_("Пусто — без ограничения по образованию"),
    )
    exclusion_policy = models.CharField(
        _("порядок исключения"),
        max_length=16,
        choices=ExclusionPolicy.choices,
        default=ExclusionPolicy.CONFIRMATION,
    )
    exclude_on_unexcused_absence = models.BooleanField(
        _("исключать за неуважительный пропуск обязательного мероприятия"), default=True
    )
    exclude_on_missed_video = models.BooleanField(_("исключать за видеоурок, не сданный в срок"), default=True)
    chat_join_days = models.PositiveSmallIntegerField(
        _("дней на вступление в чат"), null=True, blank=True, help_text=_("Пусто — правило не применяется")
    )
    chat_url = models.URLField(
        _("ссылка на информационный чат участников"),
        max_length=300,
        blank=True,
        validators=[validate_chat_url],
        help_text=_(
            "Чат во ВКонтакте, Telegram, Max или Сферуме. Ссылку получают утверждённые участники в письме и в "
            "личном кабинете."
        ),
    )
    # Seed 000 §1.4: the curator visits each participant's lessons monthly; §2.2: a methodist or curator at least
    # once a quarter. Other programs' orders say nothing, so nothing is due unless the season says so.
    visit_period = models.CharField(
        _("посещение уроков участника куратором"),
        max_length=16,
        choices=VisitPeriod.choices,
        default=VisitPeriod.NONE,
        help_text=_(
            "Как часто куратор или методист сезона должен посетить уроки каждого действующего участника. "
            "«Прогрессивный педагог»: ежемесячно — решает п. 1.4 положения (куратор «ежемесячно посещает уроки "
            "каждого участника»); п. 2.2 требует не реже раза в квартал. Срок — последний день месяца "
            "(квартала) по часовому поясу сезона; месяц без посещения после его окончания считается просроченным."
        ),
    )
    default_attendance_status = models.CharField(
        _("отметка по умолчанию после занятия"),
        max_length=16,
        choices=AttendanceDefault.choices,
        default=AttendanceDefault.ABSENT,
        blank=True,
    )
    issue_final_certificate = models.BooleanField(_("сертификат за завершение сезона"), default=True)
    certificate_signatory = models.CharField(_("подпись на сертификатах"), max_length=200, blank=True)
    weight_attendance = models.DecimalField(_("вес: посещаемость"), max_digits=5, decimal_places=2, default=1)
    weight_video_score = models.DecimalField(
        _("баллы: видеоурок, оценённый на максимум"),
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text=_(
            "Каждый видеоурок входит в рейтинг один раз: доля максимума рубрики, умноженная на это число. "
            "Значение портала по умолчанию, можно изменить."
        ),
    )
    video_score_rule = models.CharField(
        _("оценка видеоурока в рейтинге"),
        max_length=8,
        choices=VideoScoreRule.choices,
        default=VideoScoreRule.MEAN,
        help_text=_(
            "Если урок проверили несколько экспертов: среднее их опубликованных рецензий или оценка методиста "
            "(пока её нет — среднее). Значение портала по умолчанию, можно изменить."
        ),
    )
    weight_achievement_municipal = models.DecimalField(
        _("баллы: достижение муниципального уровня"), max_digits=5, decimal_places=2, default=1
    )
    weight_achievement_regional = models.DecimalField(
        _("баллы: достижение регионального уровня"), max_digits=5, decimal_places=2, default=2
    )
    weight_achievement_federal = models.DecimalField(
        _("баллы: достижение федерального уровня"), max_digits=5, decimal_places=2, default=3
    )
    weight_achievement_international = models.DecimalField(
        _("баллы: достижение международного уровня"), max_digits=5, decimal_places=2, default=4
    )
    video_max_size_mb = models.PositiveIntegerField(
        _("максимальный размер видеофайла, МБ"), default=2048, validators=[MinValueValidator(1)]
    )
    # Review of video lessons: who gets a submission, when the teacher sees the result, how long.
    review_by_subject_methodist = models.BooleanField(_("видеоуроки проверяет методист по предмету"), default=True)
    review_by_curator = models.BooleanField(_("видеоуроки проверяет куратор группы"), default=True)
    review_release = models.CharField(
        _("публикация рецензии участнику"),
        max_length=16,
        choices=ReviewRelease.choices,
        default=ReviewRelease.AFTER_CHECK,
    )
    review_due_days = models.PositiveSmallIntegerField(
        _("срок проверки видеоурока, дней"), default=7, validators=[MinValueValidator(1)]
    )
    review_lock_hours = models.PositiveSmallIntegerField(
        _("видеоурок закрепляется за экспертом на, часов"), default=4, validators=[MinValueValidator(1)]
    )
    # Who opens a teacher's video file (activities.rules.can_view_submission_file): its reviewers, the group's
    # curator and the coordinators; all the season's experts only when the season says so, and why.
    videos_open_to_experts = models.BooleanField(
        _("видеоуроки открыты всем экспертам сезона"),
        default=False,
        help_text=_(
            "Обычно видеофайл урока открывают только сам педагог, эксперты, назначенные его проверять, куратор "
            "его группы и координаторы. Включите, если с уроками по должности работает вся команда сезона: "
            "например, технический специалист «собирает материалы от участников Программы» (приложение к приказу "
            "№ 643-од, «Прогрессивный педагог»). Тогда видеофайлы откроют все действующие эксперты сезона — "
            "психолог и методисты других предметов тоже. Причину укажите ниже."
        ),
    )
    videos_open_reason = models.CharField(
        _("почему видеоуроки открыты всем экспертам"),
        max_length=500,
        blank=True,
        help_text=_(
            "Обязательно, если видеоуроки открыты всем экспертам: на каком основании (пункт приказа, решение)."
        ),
    )
    # Reminders: how long before a due date teachers and experts are reminded.
    reminder_offsets = models.CharField(
        _("напоминать до срока"),
        max_length=100,
        default="7д, 2д, 3ч",
        blank=True,
        validators=[validate_reminder_offsets],
        help_text=_("Через запятую: «7д» — за 7 дней, «3ч» — за 3 часа. Пусто — не напоминать."),
    )
    # Rule key (a field above, or one of rule_sources.NON_FIELD_RULES) → the order's clause it follows, or
    # «изменено координатором <дата>»; a key not here reads rule_sources.DEFAULT_SOURCE.
    rule_sources = models.JSONField(
        _("источники правил"),
        default=dict,
        blank=True,
        help_text=_("Пункт приказа для каждого правила сезона; заполняет шаблон программы и форма сезона."),
    )
    cloned_from = models.ForeignKey(
        "self", verbose_name=_("создан копированием"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    class Meta:
        verbose_name = _("сезон")
        verbose_name_plural = _("сезоны")
        ordering = ["program__title", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["program", "title"], name="season_unique_title"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="season_dates_ordered"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="season_registration_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(videos_open_to_experts=False) | ~Q(videos_open_reason=""),
                name="season_videos_open_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.program} — {self.title}"

    @property
    def chat_service_name(self) -> str:
        return chat_service(self.chat_url)

    def rule_source(self, key: str) -> tuple[str, bool]:
        """The recorded source of a rule and False, or the portal-default label and True."""
        text = (self.rule_sources or {}).get(key, "")
        if text:
            return text, False
        return str(DEFAULT_SOURCE), True

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Окончание не может быть раньше начала.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Регистрация должна закрываться позже, чем открывается.")
        if self.videos_open_to_experts and not (self.videos_open_reason or "").strip():
            errors["videos_open_reason"] = _(
                "Укажите, почему видеоуроки открыты всем экспертам сезона, или снимите эту отметку."
            )
        bad = set(self.eligible_education_levels or []) - set(EducationLevel.values)
        if bad:
            errors["eligible_education_levels"] = _("Неизвестный уровень образования: %(v)s") % {
                "v": ", ".join(sorted(bad))
            }
        if errors:
            raise ValidationError(errors)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_opens_at <= now < self.registration_closes_at

    @property
    def reminder_offset_hours(self) -> list[int]:
        """The reminder offsets in hours, largest first; an unreadable value reminds of nothing."""
        try:
            return parse_reminder_offsets(self.reminder_offsets)
        except ValidationError:
            return []

    def is_running(self, today: date | None = None) -> bool:
        today = today or timezone.localdate(timezone=self.tz)
        return self.starts_on <= today <= self.ends_on


class RoadmapModule(models.Model):
    """A line of the roadmap: a theme over a month range, holding activities."""

    season = models.ForeignKey(Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("порядок"))
    number = models.CharField(
        _("номер по документу"),
        max_length=8,
        blank=True,
        help_text=_("Как в приказе; может идти с пропусками"),
    )
    title = models.CharField(_("направление (модуль)"), max_length=300)
    description = models.TextField(_("варианты активностей"), blank=True)
    starts_on = models.DateField(_("с"))
    ends_on = models.DateField(_("по"))
    learning_formats = models.JSONField(
        _("форматы обучения на выбор"), default=list, blank=True, help_text=_("Список названий форматов")
    )

    class Meta:
        verbose_name = _("модуль дорожной карты")
        verbose_name_plural = _("модули дорожной карты")
        ordering = ["season", "order"]
        constraints = [
            models.UniqueConstraint(fields=["season", "order"], name="module_unique_order"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="module_dates_ordered"),
        ]

    def __str__(self):
        return self.title


class OrganisationYearFacts(models.Model):
    """What a school reports for a year where a KPI needs it (seed 003): methodical associations,
    pedagogical classes, the target model of mentoring."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("организация"), on_delete=models.CASCADE, related_name="year_facts"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    methodical_associations = models.PositiveSmallIntegerField(_("методических объединений"), default=0)
    pedagogical_classes = models.PositiveSmallIntegerField(_("психолого-педагогических классов"), default=0)
    runs_mentoring_model = models.BooleanField(_("реализует целевую модель наставничества"), default=False)
    # Сид 001, «Школа – Школе»: «уменьшение количества школ, демонстрирующих низкие результаты обучения» is
    # counted per year; the organisation's current mark is this fact of its latest year (low_results_exists).
    low_results = models.BooleanField(
        _("школа с низкими образовательными результатами"),
        default=False,
        help_text=_("Школа была в списке ШНОР в этом году. Отметка последнего года становится текущей отметкой школы."),
    )
    note = models.TextField(_("примечание"), blank=True)

    class Meta:
        verbose_name = _("сведения организации за год")
        verbose_name_plural = _("сведения организаций за год")
        ordering = ["-year", "organisation"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="organisation_facts_once_a_year")]

    def __str__(self):
        return f"{self.organisation} — {self.year}"


class MunicipalEvent(models.Model):
    """An event held in the municipality that a KPI counts (seed 003: at least two a year of a kind)."""

    class Category(models.TextChoices):
        PROFESSION_STATUS = "profession_status", _("Повышение значимости педагогического труда, профилактика выгорания")
        PRE_PROFESSIONAL = "pre_professional", _("Допрофессиональная подготовка обучающихся")
        METHODICAL = "methodical", _("Методическое мероприятие")
        OTHER = "other", _("Другое")

    class Level(models.TextChoices):
        SCHOOL = "school", _("Школьный")
        MUNICIPAL = "municipal", _("Муниципальный")
        REGIONAL = "regional", _("Региональный")
        FEDERAL = "federal", _("Федеральный")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципалитет"), on_delete=models.CASCADE, related_name="events"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организатор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    title = models.CharField(_("название"), max_length=400)
    held_on = models.DateField(_("дата проведения"))
    category = models.CharField(_("направление"), max_length=32, choices=Category.choices, default=Category.METHODICAL)
    level = models.CharField(_("уровень"), max_length=16, choices=Level.choices, default=Level.MUNICIPAL)
    participants_count = models.PositiveIntegerField(_("участников"), null=True, blank=True)

    class Meta:
        verbose_name = _("мероприятие муниципалитета")
        verbose_name_plural = _("мероприятия муниципалитета")
        ordering = ["-held_on", "pk"]
        indexes = [models.Index(fields=["municipality", "held_on"], name="municipal_event_idx")]

    def __str__(self):
        return self.title
