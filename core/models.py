"""The infrastructure's own rows: the notification list and its e-mail outbox, the outbox of letters to addresses,
the job log, the long jobs a person started, and the task outbox. They know no app: a recipient or a starter is
settings.AUTH_USER_MODEL.

They were created by the participants app; the tables keep their names (Meta.db_table), so moving the models
here moved no data (core/migrations/0001_from_participants.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .zones import moment_text


class Notification(models.Model):
    """A message in the portal's notification list, optionally also sent by e-mail (an outbox row)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Напоминание о сроке")
        RISK = "risk", _("Предупреждение об исключении")
        EXCLUSION = "exclusion", _("Исключение и восстановление")
        CERTIFICATE = "certificate", _("Сертификат")
        JOB = "job", _("Фоновая задача")
        INFO = "info", _("Сообщение")

    class EmailStatus(models.TextChoices):
        NONE = "", _("Без письма")
        PENDING = "pending", _("Письмо ждёт отправки")
        SENT = "sent", _("Письмо отправлено")
        FAILED = "failed", _("Письмо не отправлено")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("получатель"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices, default=Kind.INFO)
    title = models.CharField(_("заголовок"), max_length=300)
    body = models.TextField(_("текст"), blank=True)
    url = models.CharField(_("ссылка"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)
    # One notification per key and user however often a job runs, e.g. "reminder:video:12:<due>:48h".
    dedupe_key = models.CharField(_("ключ повтора"), max_length=200, blank=True)
    # The e-mail: a triplet under templates/emails/<email_template>/ rendered with email_context.
    email_template = models.CharField(_("шаблон письма"), max_length=64, blank=True)
    email_context = models.JSONField(_("данные письма"), default=dict, blank=True)
    email_status = models.CharField(
        _("письмо"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.NONE, blank=True
    )
    email_sent_at = models.DateTimeField(_("письмо отправлено"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("попыток отправки"), default=0)
    # A failed send waits for its next try (core.notifications: backoff); the mail server's answer is kept.
    email_next_attempt_at = models.DateTimeField(_("следующая попытка отправки"), null=True, blank=True)
    email_error = models.TextField(_("причина ошибки отправки"), blank=True)

    class Meta:
        db_table = "participants_notification"
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_once_per_key"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(
                fields=["email_status", "created_at"],
                condition=Q(email_status="pending"),
                name="notification_outbox_idx",
            ),
        ]

    def __str__(self):
        return self.title


class OutgoingEmail(models.Model):
    """A letter to an address rather than to a user's notification list (a registration not yet confirmed has no
    list): the durable outbox row core.outgoing_emails sends after the commit and retries with the notification
    outbox's policy. The letter is rendered at send time from templates/emails/<template>/ and `context`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("ожидает отправки")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("не отправлено")

    recipient = models.EmailField(_("адрес получателя"), max_length=254)
    template = models.CharField(_("шаблон письма"), max_length=64)
    # JSON only (ids, names, URLs); emptied once a secret letter is sent or given up.
    context = models.JSONField(_("данные письма"), default=dict, blank=True)
    # The letter carries a link that lets its holder in (confirmation, password set or reset).
    secret = models.BooleanField(_("содержит ссылку для входа"), default=False)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("попыток отправки"), default=0)
    next_attempt_at = models.DateTimeField(_("следующая попытка"), null=True, blank=True)
    error = models.TextField(_("причина ошибки отправки"), blank=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)

    class Meta:
        verbose_name = _("исходящее письмо")
        verbose_name_plural = _("исходящие письма")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(status="pending"), name="outgoingemail_outbox_idx"),
            models.Index(fields=["recipient"], name="outgoingemail_recipient_idx"),
        ]

    def __str__(self):
        return f"{self.template} → {self.recipient}"


class JobRun(models.Model):
    """One run of a scheduled job (deadlines, reminders, certificates…): when, how it ended and what it did."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Выполняется")
        SUCCESS = "success", _("Выполнено")
        FAILED = "failed", _("Ошибка")
        SKIPPED = "skipped", _("Пропущено: уже выполняется")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("По расписанию")
        COMMAND = "command", _("Команда оператора")
        MANUAL = "manual", _("Запущено координатором")

    job = models.CharField(_("задача"), max_length=64, db_index=True)
    trigger = models.CharField(_("запуск"), max_length=16, choices=Trigger.choices, default=Trigger.SCHEDULE)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("начало"), default=timezone.now)
    finished_at = models.DateTimeField(_("окончание"), null=True, blank=True)
    # Counts by name, e.g. {"late": 3, "missed": 1}; `message` says the same in words.
    summary = models.JSONField(_("итоги"), default=dict, blank=True)
    message = models.TextField(_("что сделано"), blank=True)
    error = models.TextField(_("ошибка"), blank=True)

    class Meta:
        db_table = "participants_jobrun"
        verbose_name = _("запуск фоновой задачи")
        verbose_name_plural = _("журнал фоновых задач")
        ordering = ["-started_at", "-pk"]
        # Coordinators get it with every portal permission (participants.roles); management only views.
        permissions = [("run_jobs", _("Может запускать фоновые задачи вручную"))]
        indexes = [
            models.Index(fields=["job", "-started_at"], name="jobrun_job_idx"),
            # The minute sweeper's look for runs left running (core.jobs.job_runs_close_orphans).
            models.Index(fields=["job"], condition=Q(status="running"), name="jobrun_running_idx"),
        ]

    def __str__(self):
        return f"{self.job} — {moment_text(self.started_at, timezone.get_current_timezone(), 'd.m.Y H:i')}"


class BackgroundJob(models.Model):
    """A long job a person started (a certificate batch, a large export): progress and result for its page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("В очереди")
        RUNNING = "running", _("Выполняется")
        # Its worker stopped (the lease lapsed); the sweeper queued it again (core.jobs).
        INTERRUPTED = "interrupted", _("Прервано")
        DONE = "done", _("Готово")
        FAILED = "failed", _("Ошибка")

    kind = models.CharField(_("вид"), max_length=64)
    # The dotted Celery task that runs it with {"job_id": pk}: what the sweeper queues again after a worker died.
    task = models.CharField(_("задача Celery"), max_length=200, blank=True)
    title = models.CharField(_("название"), max_length=300)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто запустил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="background_jobs",
    )
    params = models.JSONField(_("параметры"), default=dict, blank=True)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("всего"), default=0)
    done = models.PositiveIntegerField(_("сделано"), default=0)
    message = models.TextField(_("сообщение"), blank=True)
    result_file = models.FileField(_("результат"), upload_to="jobs/%Y/%m/", blank=True)
    result_url = models.CharField(_("ссылка на результат"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    started_at = models.DateTimeField(_("начато"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    # The lease: a worker renews it with every progress report; one older than BACKGROUND_JOB_LEASE_SECONDS
    # means the worker died (or the queued message was lost) and the sweeper takes over.
    heartbeat_at = models.DateTimeField(_("последний признак жизни"), null=True, blank=True)
    # Runs begun by a worker, and queued runs no worker took; BACKGROUND_JOB_MAX_ATTEMPTS bounds them.
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    # "host:pid" of the worker process running it: a worker on the same host sees at once that it is dead.
    worker = models.CharField(_("обработчик"), max_length=100, blank=True)

    class Meta:
        db_table = "participants_backgroundjob"
        verbose_name = _("длительная операция")
        verbose_name_plural = _("длительные операции")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["started_by", "-created_at"], name="backgroundjob_owner_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="backgroundjob_lease_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class TaskOutbox(models.Model):
    """A Celery task queued by a committed change (core.task_outbox): written in the change's own
    transaction, published after the commit, re-published by the minute job until the broker took it."""

    task = models.CharField(_("задача"), max_length=200)
    kwargs = models.JSONField(_("параметры"), default=dict, blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    sent_at = models.DateTimeField(_("передано в очередь"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("попыток"), default=0)
    last_error = models.TextField(_("последняя ошибка"), blank=True)

    class Meta:
        db_table = "participants_taskoutbox"
        verbose_name = _("задача в очереди отправки")
        verbose_name_plural = _("задачи в очереди отправки")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="taskoutbox_unsent_idx")]

    def __str__(self):
        return self.task
