"""Activities of the roadmap, their sessions, attendance and video-lesson assignments."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import AuditHistory
from participants.models import Enrollment, Person, SubscriptionForm
from programs.models import Program, RoadmapModule, Season, Subject


class ActivityKind(models.TextChoices):
    SETUP_MEETING = "setup_meeting", _("Установочная встреча")
    SEMINAR = "seminar", _("Установочный семинар")
    INTENSIVE = "intensive", _("Интенсив")
    PSYCHOLOGIST_MEETING = "psychologist_meeting", _("Встреча с психологом")
    INDIVIDUAL_FEEDBACK = "individual_feedback", _("Индивидуальная обратная связь")
    GROUP_FEEDBACK = "group_feedback", _("Групповая обратная связь")
    LESSON_VISIT = "lesson_visit", _("Посещение занятия/урока")
    TEAM_GAME = "team_game", _("Командная игра")
    MODULAR_TRAINING = "modular_training", _("Модульное обучение")
    VIDEO_LESSON = "video_lesson", _("Практическая часть: запись урока")
    CONFERENCE = "conference", _("Конференция")
    WEBINAR = "webinar", _("Вебинар")
    EVENT = "event", _("Мероприятие")
    # The seven forms of the Methodical Subscription (seed 004, §III.3).
    METHODICAL_SESSION = "methodical_session", _("Методическая сессия")
    PRACTICUM = "practicum", _("Практикум")
    MASTER_CLASS = "master_class", _("Мастер-класс")
    METHODICAL_INTENSIVE = "methodical_intensive", _("Методический интенсив")
    TRAINING = "training", _("Тренинг")
    PSYCHOLOGICAL_CONSULTING = "psychological_consulting", _("Психологический консалтинг")
    MENTORING_HOUR = "mentoring_hour", _("Наставнический час")
    # A meeting of a professional community «ПРОкомьюнити» (сид 001), held for its members.
    COMMUNITY_MEETING = "community_meeting", _("Встреча сообщества")


# Kinds that are feedback meetings whatever module they sit in (seed 000 §5.9); the activity's own
# is_feedback_meeting also covers other kinds, e.g. the psychologist's meeting of the «Обратная связь» module.
FEEDBACK_KINDS = frozenset({ActivityKind.INDIVIDUAL_FEEDBACK, ActivityKind.GROUP_FEEDBACK, ActivityKind.LESSON_VISIT})
SUBSCRIPTION_FORMS = (
    ActivityKind.METHODICAL_SESSION,
    ActivityKind.PRACTICUM,
    ActivityKind.MASTER_CLASS,
    ActivityKind.METHODICAL_INTENSIVE,
    ActivityKind.TRAINING,
    ActivityKind.PSYCHOLOGICAL_CONSULTING,
    ActivityKind.MENTORING_HOUR,
)


class ActivityFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Очно")
    REMOTE = "remote", _("Дистанционно")
    MIXED = "mixed", _("Очно или дистанционно")


class ActivityAudience(models.TextChoices):
    """Who is expected at an activity's sessions (положение «Прогрессивный педагог», п. 3, п. 4.4)."""

    ALL = "all", _("Все участники сезона")
    OPEN = "open", _("По желанию — может прийти любой участник")
    FORMAT = "format", _("Выбравшие формат обучения")
    INVITED = "invited", _("Приглашённые")


class Activity(models.Model):
    season = models.ForeignKey(Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="activities")
    module = models.ForeignKey(
        RoadmapModule,
        verbose_name=_("модуль дорожной карты"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    order = models.PositiveSmallIntegerField(_("порядок в модуле"), default=0)
    title = models.CharField(_("название"), max_length=300)
    kind = models.CharField(_("вид"), max_length=32, choices=ActivityKind.choices)
    format = models.CharField(_("формат"), max_length=16, choices=ActivityFormat.choices, default=ActivityFormat.REMOTE)
    description = models.TextField(_("описание"), blank=True)
    is_mandatory = models.BooleanField(_("обязательное"), default=True)
    gives_certificate = models.BooleanField(_("даёт сертификат"), default=True)
    is_feedback_meeting = models.BooleanField(
        _("встреча для получения обратной связи"),
        default=False,
        help_text=_(
            "Сертификат за такую встречу не выдаётся (положение «Прогрессивный педагог», п. 5.9: «Исключение "
            "составляют встречи получения обратной связи от кураторов, методистов и психолога Проекта»). "
            "Шаблон программы ставит отметку всем мероприятиям модуля «Обратная связь»."
        ),
    )
    audience = models.CharField(
        _("кто участвует"),
        max_length=16,
        choices=ActivityAudience.choices,
        default=ActivityAudience.ALL,
        help_text=_(
            "Кого ждут на занятиях: отметки по умолчанию, пропуски и основания для исключения считаются только "
            "для ожидаемых участников. «Приглашённые» — те, кого пригласили на занятие, и те, в чьём "
            "индивидуальном маршруте оно стоит."
        ),
    )
    learning_format = models.CharField(
        _("формат обучения"),
        max_length=200,
        blank=True,
        help_text=_("Для мероприятия выбравших формат: участники, выбравшие этот формат (сами или через группу)."),
    )
    hours = models.DecimalField(_("часов"), max_digits=5, decimal_places=1, default=0)
    required_sessions = models.PositiveSmallIntegerField(
        _("занятий для зачёта"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Сколько занятий нужно посетить, чтобы мероприятие засчитали (для интенсива — не менее 3)"),
    )

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ["season", "module__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(k.value for k in FEEDBACK_KINDS)) | Q(gives_certificate=False),
                name="activity_feedback_gives_no_certificate",
            ),
            models.CheckConstraint(
                condition=Q(is_feedback_meeting=False) | Q(gives_certificate=False),
                name="activity_feedback_meeting_gives_no_certificate",
                violation_error_message=_(
                    "Встреча для получения обратной связи не даёт сертификата (в «Прогрессивном педагоге» — "
                    "приказ № 643-од, п. 5.9 положения): снимите отметку «даёт сертификат» или «встреча для "
                    "получения обратной связи»."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(audience="format") | ~Q(learning_format=""),
                name="activity_format_audience_has_format",
                violation_error_message=_(
                    "Для мероприятия «Выбравшие формат обучения» укажите формат обучения (положение, п. 3)."
                ),
            ),
        ]

    def __str__(self):
        return self.title


class Session(models.Model):
    """One meeting of an activity, with its start and end."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("мероприятие"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("тема занятия"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))
    place = models.CharField(_("место или ссылка"), max_length=500, blank=True)
    # Self check-in: a one-time code shown at the meeting, accepted only while the session runs.
    checkin_code = models.CharField(_("код отметки"), max_length=12, blank=True, editable=False)
    # Set by the deadline job once the season's default status was given to everyone left unmarked.
    defaults_applied_at = models.DateTimeField(
        _("отметки по умолчанию проставлены"), null=True, blank=True, editable=False
    )
    # For an activity of audience «Приглашённые»: a group, or individual meetings (with the route's teachers).
    invited = models.ManyToManyField(
        Enrollment, verbose_name=_("приглашённые участники"), blank=True, related_name="invited_sessions"
    )

    class Meta:
        verbose_name = _("занятие")
        verbose_name_plural = _("занятия")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
        ]
        indexes = [models.Index(fields=["starts_at"], name="session_starts_idx")]

    def __str__(self):
        return self.title or f"{self.activity} — {timezone.localtime(self.starts_at):%d.%m.%Y}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Присутствовал")
        LATE = "late", _("Опоздал")
        EXCUSED = "excused", _("Отсутствовал по уважительной причине")
        ABSENT = "absent", _("Отсутствовал")

    session = models.ForeignKey(Session, verbose_name=_("занятие"), on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("отметка"), max_length=16, choices=Status.choices)
    reason = models.CharField(_("причина"), max_length=300, blank=True)
    marked_at = models.DateTimeField(_("отмечено"), default=timezone.now)
    marked_by = models.ForeignKey(
        Person,
        verbose_name=_("кто отметил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_default = models.BooleanField(_("отметка по умолчанию"), default=False)
    source = models.CharField(
        _("источник отметки"),
        max_length=20,
        choices=[
            ("manual", _("Отмечено вручную")),
            ("import", _("Импорт из отчёта видеовстречи")),
            ("self", _("Самоотметка по коду")),
            ("default", _("Отметка по умолчанию")),
            ("confirmed_default", _("Отметка по умолчанию подтверждена координатором")),
        ],
        default="manual",
    )

    history = AuditHistory(
        verbose_name=_("история изменений: отметка посещаемости"),
        verbose_name_plural=_("история изменений отметок посещаемости"),
    )

    class Meta:
        verbose_name = _("отметка посещаемости")
        verbose_name_plural = _("посещаемость")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="attendance_one_per_session"),
            models.CheckConstraint(
                condition=~Q(status="excused") | ~Q(reason=""), name="attendance_excused_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["enrollment", "status"], name="attendance_enrollment_idx")]

    def __str__(self):
        return f"{self.enrollment.person} — {self.status_label}"

    @property
    def status_label(self) -> str:
        """A default mark is no evidence until a coordinator confirms it: it never reads as a real «отсутствовал»."""
        if self.is_default:
            return str(DEFAULT_MARK_LABEL)
        return self.get_status_display()


# How a default mark reads everywhere (attendance page, admin, the teacher's roadmap) until it is confirmed.
DEFAULT_MARK_LABEL = _("не отмечено (по умолчанию)")


class CheckinAttempt(models.Model):
    """Wrong self check-in codes a participant typed for one session: the limit guards a six-digit secret, so
    its count lives in the database (a cache may lose it, and django-redis answers nothing while Redis is down)."""

    session = models.ForeignKey(
        Session, verbose_name=_("занятие"), on_delete=models.CASCADE, related_name="checkin_attempts"
    )
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="checkin_attempts"
    )
    wrong = models.PositiveSmallIntegerField(_("неверных кодов"), default=0)
    last_wrong_at = models.DateTimeField(_("последний неверный код"), null=True, blank=True)

    class Meta:
        verbose_name = _("попытки самоотметки")
        verbose_name_plural = _("попытки самоотметки")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="checkin_attempt_one_per_session"),
        ]

    def __str__(self):
        return f"{self.enrollment} — {self.session}: {self.wrong}"


class VideoAssignment(models.Model):
    """The video-lesson practical part of an activity, with its dates."""

    activity = models.OneToOneField(
        Activity, verbose_name=_("мероприятие"), on_delete=models.CASCADE, related_name="video_assignment"
    )
    instructions = models.TextField(_("задание"), blank=True)
    opens_at = models.DateTimeField(_("приём открывается"))
    due_at = models.DateTimeField(_("срок сдачи"), help_text=_("Позже — с отметкой «с опозданием»"))
    cutoff_at = models.DateTimeField(_("окончательный срок"), help_text=_("После него работы не принимаются"))

    class Meta:
        verbose_name = _("задание: видеоурок")
        verbose_name_plural = _("задания: видеоуроки")
        ordering = ["due_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("opens_at")) & Q(cutoff_at__gte=models.F("due_at")),
                name="video_assignment_dates_ordered",
            ),
        ]

    def __str__(self):
        return str(self.activity)


class Submission(models.Model):
    """A teacher's video lesson for an assignment; every replacement is a new version."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Сдан")
        IN_REVIEW = "in_review", _("На проверке")
        RETURNED = "returned", _("Возвращён на доработку")
        REVIEWED = "reviewed", _("Проверен")

    assignment = models.ForeignKey(
        VideoAssignment, verbose_name=_("задание"), on_delete=models.CASCADE, related_name="submissions"
    )
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="submissions"
    )
    version = models.PositiveSmallIntegerField(_("версия"), default=1)
    is_current = models.BooleanField(_("текущая версия"), default=True)
    video_url = models.URLField(_("ссылка на видео"), max_length=1000, blank=True)
    video_file = models.FileField(_("видеофайл"), upload_to="submissions/%Y/%m/", blank=True)
    topic = models.CharField(_("тема урока"), max_length=300)
    grade = models.CharField(_("класс"), max_length=32, blank=True)
    subject = models.ForeignKey(
        Subject, verbose_name=_("предмет"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    learning_format = models.CharField(_("формат обучения"), max_length=200, blank=True)
    reflection = models.TextField(_("самоанализ"), blank=True)
    submitted_at = models.DateTimeField(_("сдан"), default=timezone.now)
    is_late = models.BooleanField(_("с опозданием"), default=False)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)

    class Meta:
        verbose_name = _("видеоурок")
        verbose_name_plural = _("видеоуроки")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "enrollment", "version"], name="submission_unique_version"),
            models.UniqueConstraint(
                fields=["assignment", "enrollment"],
                condition=Q(is_current=True),
                name="submission_one_current",
            ),
            models.CheckConstraint(condition=~Q(video_url="") | ~Q(video_file=""), name="submission_has_video"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="submission_queue_idx")]

    def __str__(self):
        return f"{self.topic} ({self.enrollment.person})"


class SubmissionExtension(models.Model):
    """A personal extension of an assignment's cut-off, granted by a coordinator."""

    assignment = models.ForeignKey(
        VideoAssignment, verbose_name=_("задание"), on_delete=models.CASCADE, related_name="extensions"
    )
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="video_extensions"
    )
    until = models.DateTimeField(_("продлено до"))
    reason = models.TextField(_("основание"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто продлил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("продлено"), default=timezone.now)

    class Meta:
        verbose_name = _("продление срока")
        verbose_name_plural = _("продления сроков")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "enrollment"], name="extension_one_per_assignment"),
        ]

    def __str__(self):
        return f"{self.enrollment} — {self.assignment}"


class SubmissionExtensionRequest(models.Model):
    """A teacher's request to the coordinator for a personal extension of a video lesson's cut-off.

    A late joiner (whose cut-off passed before admission) or anyone whose cut-off is past or near asks; the
    coordinator extends (a SubmissionExtension through extension_grant) or refuses with a written note.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Ожидает решения")
        GRANTED = "granted", _("Продлено")
        REJECTED = "rejected", _("Отклонено")

    assignment = models.ForeignKey(
        VideoAssignment, verbose_name=_("задание"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="video_extension_requests"
    )
    message = models.TextField(_("сообщение участника"))
    requested_at = models.DateTimeField(_("запрошено"), default=timezone.now)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто решил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    decision_note = models.TextField(_("комментарий к решению"), blank=True)

    class Meta:
        verbose_name = _("запрос на продление срока")
        verbose_name_plural = _("запросы на продление сроков")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "enrollment"],
                condition=Q(status="pending"),
                name="extension_request_one_open",
            ),
        ]
        indexes = [models.Index(fields=["status", "-requested_at"], name="extension_request_status_idx")]

    def __str__(self):
        return f"{self.enrollment} — {self.assignment}"


class ResumableUpload(models.Model):
    """A video file arriving in pieces over the tus protocol (activities/resumable.py), before it is submitted.

    The bytes wait in settings.RESUMABLE_UPLOAD_DIR under the row's id; the submission form then names the
    finished upload instead of carrying the file. An upload untouched for RESUMABLE_UPLOAD_EXPIRY_HOURS is
    deleted with its bytes by the job «clean_resumable_uploads».
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), on_delete=models.CASCADE, related_name="+"
    )
    assignment = models.ForeignKey(
        VideoAssignment, verbose_name=_("задание"), on_delete=models.CASCADE, related_name="resumable_uploads"
    )
    filename = models.CharField(_("имя файла"), max_length=255, blank=True)
    length = models.PositiveBigIntegerField(_("размер, байт"))
    offset = models.PositiveBigIntegerField(_("получено, байт"), default=0)
    created_at = models.DateTimeField(_("начата"), default=timezone.now)
    updated_at = models.DateTimeField(_("последняя часть"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("незавершённая загрузка видео")
        verbose_name_plural = _("незавершённые загрузки видео")
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__lte=F("length")) & Q(length__gt=0), name="resumable_upload_offset_within"
            ),
        ]

    def __str__(self):
        return f"{self.filename or self.pk} ({self.offset}/{self.length})"

    @property
    def is_complete(self) -> bool:
        return self.offset == self.length


class BucketUpload(models.Model):
    """A video file the browser sends straight to the S3 bucket by multipart upload (activities/services_bucket.py),
    before it is submitted: used instead of ResumableUpload when media live on S3.

    The parts wait in the bucket under settings.S3_UPLOAD_PREFIX as S3's own unfinished upload `multipart_id`;
    once completed they are one object at `key`, which the submission form then names. An upload untouched for
    RESUMABLE_UPLOAD_EXPIRY_HOURS is aborted (or its object deleted) by the job «clean_resumable_uploads».
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), on_delete=models.CASCADE, related_name="+"
    )
    assignment = models.ForeignKey(
        VideoAssignment, verbose_name=_("задание"), on_delete=models.CASCADE, related_name="bucket_uploads"
    )
    filename = models.CharField(_("имя файла"), max_length=255, blank=True)
    length = models.PositiveBigIntegerField(_("размер, байт"))
    part_size = models.PositiveBigIntegerField(_("размер части, байт"))
    key = models.CharField(_("ключ объекта в корзине"), max_length=500, unique=True)
    multipart_id = models.CharField(_("номер загрузки S3"), max_length=1024)
    created_at = models.DateTimeField(_("начата"), default=timezone.now)
    updated_at = models.DateTimeField(_("последнее действие"), default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(_("собрана в корзине"), null=True, blank=True)

    class Meta:
        verbose_name = _("незавершённая загрузка видео в корзину S3")
        verbose_name_plural = _("незавершённые загрузки видео в корзину S3")
        constraints = [
            models.CheckConstraint(condition=Q(length__gt=0) & Q(part_size__gt=0), name="bucket_upload_sizes_positive"),
        ]

    def __str__(self):
        return f"{self.filename or self.pk} ({self.length})"

    @property
    def parts_count(self) -> int:
        return -(-self.length // self.part_size)

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class MissedVideo(models.Model):
    """A video lesson not submitted by its last moment (the cut-off or a later personal extension)."""

    assignment = models.ForeignKey(
        VideoAssignment, verbose_name=_("задание"), on_delete=models.CASCADE, related_name="misses"
    )
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="video_misses"
    )
    cutoff_at = models.DateTimeField(_("последний срок"))
    recorded_at = models.DateTimeField(_("зафиксировано"), default=timezone.now)

    class Meta:
        verbose_name = _("несданный видеоурок")
        verbose_name_plural = _("несданные видеоуроки")
        ordering = ["-cutoff_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "enrollment"], name="missed_video_once"),
        ]

    def __str__(self):
        return f"{self.enrollment} — {self.assignment}"


class ExclusionCase(models.Model):
    """The grounds for excluding an active participant under the season's rules (seed 000 §4.4, §5.5).

    `reasons` lists every breached rule with its evidence: [{"key", "rule", "rule_text", "evidence", "at"}];
    the key ("absence:<session id>", "video:<assignment id>", "chat") lets a later run add new grounds
    without repeating old ones, and keeps dismissed grounds from opening a new case.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Ждёт решения координатора")
        EXCLUDED = "excluded", _("Участник исключён")
        DISMISSED = "dismissed", _("Исключение отклонено")
        REINSTATED = "reinstated", _("Участник восстановлен")

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="exclusion_cases"
    )
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.OPEN)
    reasons = models.JSONField(_("основания"), default=list)
    automatic = models.BooleanField(_("исключён автоматически"), default=False)
    opened_at = models.DateTimeField(_("открыто"), default=timezone.now)
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто решил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("обоснование решения"), blank=True)

    history = AuditHistory(
        verbose_name=_("история изменений: основание для исключения"),
        verbose_name_plural=_("история изменений оснований для исключения"),
    )

    class Meta:
        verbose_name = _("основание для исключения")
        verbose_name_plural = _("основания для исключения")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment"], condition=Q(status="open"), name="exclusion_case_one_open"),
        ]
        indexes = [models.Index(fields=["status", "-opened_at"], name="exclusion_case_status_idx")]

    def __str__(self):
        return f"{self.enrollment} — {self.get_status_display()}"

    @property
    def reason_keys(self) -> set[str]:
        return {reason.get("key", "") for reason in self.reasons or []}


class ExclusionCaseEvent(models.Model):
    """The audit trail of an exclusion case: every step, who took it and why."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Открыто")
        REASONS_ADDED = "reasons_added", _("Добавлены основания")
        WARNED = "warned", _("Участник предупреждён")
        EXCLUDED = "excluded", _("Исключён автоматически")
        CONFIRMED = "confirmed", _("Исключение подтверждено")
        DISMISSED = "dismissed", _("Исключение отклонено")
        REINSTATED = "reinstated", _("Восстановлен")

    case = models.ForeignKey(ExclusionCase, verbose_name=_("дело"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("действие"), max_length=16, choices=Action.choices)
    at = models.DateTimeField(_("когда"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("пояснение"), blank=True)

    class Meta:
        verbose_name = _("событие по основанию для исключения")
        verbose_name_plural = _("история оснований для исключения")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.get_action_display()


class RouteItem(models.Model):
    """A step of a teacher's individual route (ИОМ): a planned module, activity or session and its status."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Запланировано")
        DONE = "done", _("Пройдено")
        MISSED = "missed", _("Пропущено")
        CANCELLED = "cancelled", _("Отменено")

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="route_items"
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    module = models.ForeignKey(
        RoadmapModule, verbose_name=_("модуль"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("мероприятие"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("занятие"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    form = models.CharField(_("форма"), max_length=32, choices=SubscriptionForm.choices, blank=True)
    title = models.CharField(_("что запланировано"), max_length=300, blank=True)
    planned_on = models.DateField(_("когда"), null=True, blank=True)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(_("примечание"), blank=True)
    created_at = models.DateTimeField(_("добавлено"), auto_now_add=True)

    class Meta:
        verbose_name = _("шаг индивидуального маршрута")
        verbose_name_plural = _("индивидуальный образовательный маршрут")
        ordering = ["enrollment", "order", "planned_on", "pk"]

    def __str__(self):
        return self.title or str(self.activity or self.module or self.session or "")


class Certificate(models.Model):
    """A certificate (seed 000 §5.9): for an attended activity or for completing the season."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("За мероприятие")
        SEASON = "season", _("За завершение программы")

    number = models.CharField(_("номер"), max_length=32, unique=True)
    code = models.CharField(_("код проверки"), max_length=32, unique=True)
    # The number's parts: «ПП-2025-000123» is program ПП, year 2025, sequence 123 — unique per program and year.
    program = models.ForeignKey(
        Program, verbose_name=_("программа"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("год номера"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("порядковый номер"), null=True, blank=True)
    # What the certificate says it is for, frozen at issue (the activity may be renamed later).
    title = models.CharField(_("за что выдан"), max_length=400, blank=True)
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("участник"), on_delete=models.PROTECT, related_name="certificates"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("мероприятие"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices, default=Kind.ACTIVITY)
    hours = models.DecimalField(_("часов"), max_digits=6, decimal_places=1, default=0)
    issued_at = models.DateTimeField(_("выдан"), default=timezone.now)
    pdf = models.FileField(_("файл PDF"), upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("контрольная сумма PDF"), max_length=64, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто выдал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Пусто — выдан автоматически"),
    )
    reissue_of = models.ForeignKey(
        "self",
        verbose_name=_("взамен сертификата"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reissues",
    )
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто отозвал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoke_reason = models.TextField(_("причина отзыва"), blank=True)

    history = AuditHistory(
        verbose_name=_("история изменений: сертификат"),
        verbose_name_plural=_("история изменений сертификатов"),
    )

    class Meta:
        verbose_name = _("сертификат")
        verbose_name_plural = _("сертификаты")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "activity"],
                condition=Q(revoked_at__isnull=True, activity__isnull=False),
                name="certificate_one_valid_per_activity",
            ),
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(revoked_at__isnull=True, kind="season"),
                name="certificate_one_valid_per_season",
            ),
            models.CheckConstraint(
                condition=Q(kind="season", activity__isnull=True) | Q(kind="activity", activity__isnull=False),
                name="certificate_kind_matches_activity",
            ),
            models.UniqueConstraint(fields=["program", "year", "sequence"], name="certificate_number_per_program_year"),
        ]

    def __str__(self):
        return self.number


class CertificateCounter(models.Model):
    """The last certificate sequence used per program and year; locked while numbers are given out.

    Numbers come from this row in the same transaction that inserts the certificates, so a batch that
    dies leaves neither a used number behind (no gap) nor a certificate without one.
    """

    program = models.ForeignKey(Program, verbose_name=_("программа"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("год"))
    last = models.PositiveIntegerField(_("последний номер"), default=0)

    class Meta:
        verbose_name = _("счётчик номеров сертификатов")
        verbose_name_plural = _("счётчики номеров сертификатов")
        constraints = [models.UniqueConstraint(fields=["program", "year"], name="certificate_counter_unique")]

    def __str__(self):
        return f"{self.program.code}-{self.year}: {self.last}"
