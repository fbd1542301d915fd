"""The coordinator's view of background work: the job log, the scheduled jobs' overview and long jobs.

All of it is read-only evidence; the only action is «Запустить сейчас», which queues a scheduled job and needs
the core.run_jobs permission (the «Координаторы» group and superusers have it).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import admin_grammar
from .admin_grammar import FEMININE, MASCULINE, NEUTER, Forms
from .admin_mixins import ReadOnlyAdminMixin
from .job_schedule import job_title, job_titles, scheduled_job_start, scheduled_jobs
from .models import BackgroundJob, JobRun, Notification, OutgoingEmail
from .outgoing_emails import outgoing_emails_retry, outgoing_emails_send_now

RUN_PERMISSION = "core.run_jobs"

# The admin index links to the overview (templates/admin/portal_index.html).
admin.site.index_template = "admin/portal_index.html"


def status_badge(status: str, label: str):
    return format_html(
        '<span class="job-status job-status-{}">{}</span>',  # colours in static/css/admin.css
        status,
        label,
    )


def duration_words(duration: timedelta | None) -> str:
    """«0,4 с», «12 с», «3 мин 05 с», «1 ч 02 мин»."""
    if duration is None:
        return "—"
    seconds = max(duration.total_seconds(), 0)
    if seconds < 10:
        return gettext("%(s)s с") % {"s": f"{seconds:.1f}".replace(".", ",")}
    seconds = int(seconds)
    if seconds < 60:
        return gettext("%(s)d с") % {"s": seconds}
    if seconds < 3600:
        return gettext("%(m)d мин %(s)02d с") % {"m": seconds // 60, "s": seconds % 60}
    return gettext("%(h)d ч %(m)02d мин") % {"h": seconds // 3600, "m": seconds % 3600 // 60}


class JobFilter(admin.SimpleListFilter):
    """The job filter by its Russian title; the choices are the known jobs, so the filter costs no query."""

    title = _("задача")
    parameter_name = "job"

    def lookups(self, request, model_admin):
        return list(job_titles().items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(job=self.value())
        return queryset


admin_grammar.register(
    JobRun,
    Forms(
        MASCULINE,
        "запуск фоновой задачи",
        accusative="запуск фоновой задачи",
        accusative_plural="запуски фоновых задач",
        few="запуска фоновых задач",
        many="запусков фоновых задач",
    ),
)


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["job_display", "trigger", "status_display", "started_at", "duration", "message_short"]
    list_filter = [JobFilter, "status", "trigger"]
    list_per_page = 50
    show_full_result_count = False
    change_list_template = "admin/core/jobrun/change_list.html"
    fields = [
        "job_display",
        "trigger",
        "status_display",
        "started_at",
        "finished_at",
        "duration",
        "summary_display",
        "message",
        "error_display",
    ]
    readonly_fields = fields

    @admin.display(description=_("задача"), ordering="job")
    def job_display(self, obj):
        return job_title(obj.job)

    @admin.display(description=_("состояние"), ordering="status")
    def status_display(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("длительность"))
    def duration(self, obj):
        return duration_words(obj.finished_at - obj.started_at if obj.finished_at else None)

    @admin.display(description=_("что сделано"))
    def message_short(self, obj):
        text = obj.message.splitlines()[0] if obj.message else ""
        if obj.status == JobRun.Status.FAILED and obj.error:
            text = text or obj.error.strip().splitlines()[-1]
        return text[:200]

    @admin.display(description=_("итоги"))
    def summary_display(self, obj):
        if not obj.summary:
            return "—"
        rows = format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td></tr>", sorted(obj.summary.items()))
        return format_html("<table>{}</table>", rows)

    @admin.display(description=_("ошибка"))
    def error_display(self, obj):
        if not obj.error:
            return "—"
        return format_html('<pre class="portal-pre-wrap">{}</pre>', obj.error)

    def get_urls(self):
        return [
            path("overview/", self.admin_site.admin_view(self.overview_view), name="core_jobrun_overview"),
            path(
                "overview/<slug:job>/run/",
                self.admin_site.admin_view(require_POST(self.run_view)),
                name="core_jobrun_run",
            ),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "overview_url": reverse("admin:core_jobrun_overview")}
        return super().changelist_view(request, extra_context)

    def overview_view(self, request):
        """«Фоновые задачи»: one row per scheduled job with its last and next run."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Фоновые задачи"),
            "opts": self.model._meta,
            "rows": [
                (job, status_badge(job.last_run.status, job.last_run.get_status_display()) if job.last_run else "")
                for job in scheduled_jobs()
            ],
            "can_run": request.user.has_perm(RUN_PERMISSION),
            "time_zone": timezone.get_current_timezone_name(),
        }
        return TemplateResponse(request, "admin/core/jobrun/overview.html", context)

    def run_view(self, request, job: str):
        if not request.user.has_perm(RUN_PERMISSION):
            raise PermissionDenied
        try:
            scheduled_job_start(job=job)
        except KeyError:
            raise Http404 from None
        messages.success(
            request,
            gettext("Задача «%(title)s» поставлена в очередь; её запуск появится в журнале.")
            % {"title": job_title(job)},
        )
        return redirect("admin:core_jobrun_overview")


admin_grammar.register(
    BackgroundJob,
    Forms(
        FEMININE,
        "длительная операция",
        accusative="длительную операцию",
        accusative_plural="длительные операции",
        few="длительные операции",
        many="длительных операций",
    ),
)


@admin.register(BackgroundJob)
class BackgroundJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Long jobs: a coordinator sees the ones they started (results may hold others' data); a superuser sees all."""

    list_display = ["title", "kind", "started_by", "status_display", "progress", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    list_select_related = ["started_by"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "title",
        "kind",
        "started_by",
        "status_display",
        "progress",
        "message",
        "created_at",
        "started_at",
        "heartbeat_at",
        "attempts",
        "finished_at",
        "result_link",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(started_by=request.user)

    def view_on_site(self, obj):
        return reverse("background_job", args=[obj.pk])

    @admin.display(description=_("состояние"), ordering="status")
    def status_display(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("ход выполнения"))
    def progress(self, obj):
        if obj.total:
            return format_html("{}% ({} / {})", obj.percent, obj.done, obj.total)
        return f"{obj.percent}%"

    @admin.display(description=_("результат"))
    def result_link(self, obj):
        if obj.status != BackgroundJob.Status.DONE or not (obj.result_file or obj.result_url):
            return "—"
        url = reverse("background_job_result", args=[obj.pk]) if obj.result_file else obj.result_url
        return format_html('<a href="{}">{}</a>', url, _("Скачать результат") if obj.result_file else _("Открыть"))


admin_grammar.register(
    Notification,
    Forms(
        NEUTER,
        "уведомление",
        accusative="уведомление",
        accusative_plural="уведомления",
        few="уведомления",
        many="уведомлений",
    ),
)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The notifications and their e-mail outbox: whether each letter went, how many tries, the next try and the
    mail server's answer to the last one (core.notifications retries with a growing pause, then gives up).
    For the superusers who run the portal and its mail server."""

    list_display = ["title", "user", "email_template", "email_status", "email_attempts", "email_next_attempt_at"]
    list_filter = ["email_status", "kind"]
    search_fields = ["title", "user__email"]
    list_select_related = ["user"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "user",
        "kind",
        "title",
        "url",
        "created_at",
        "read_at",
        "email_template",
        "email_status",
        "email_attempts",
        "email_next_attempt_at",
        "email_sent_at",
        "email_error",
    ]
    readonly_fields = fields

    # Letters of every municipality, with the people's addresses: the portal's operators (superusers) only.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.none()


admin_grammar.register(
    OutgoingEmail,
    Forms(
        NEUTER,
        "исходящее письмо",
        accusative="исходящее письмо",
        accusative_plural="исходящие письма",
        few="исходящих письма",
        many="исходящих писем",
    ),
)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """«Исходящие письма»: the letters to addresses (core.outgoing_emails) — whether each went, how many tries,
    the next try and the mail server's answer. The letter's data is never shown: a confirmation or password link
    lets its holder in. Addresses of every municipality: the portal's operators (superusers) only, like the
    notification outbox."""

    list_display = ["recipient", "template", "status", "attempts", "next_attempt_at", "sent_at", "created_at"]
    list_filter = ["status", "template"]
    search_fields = ["recipient"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "recipient",
        "template",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "created_at",
        "error",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def get_queryset(self, request):
        qs = super().get_queryset(request).defer("context")
        return qs if request.user.is_superuser else qs.none()

    @admin.action(description=_("Отправить снова"), permissions=["view"])
    def send_again(self, request, queryset):
        chosen = list(queryset.values_list("pk", flat=True))
        queued = outgoing_emails_retry(ids=chosen)
        if queued:
            transaction.on_commit(lambda: outgoing_emails_send_now(ids=chosen))
        self.message_user(
            request,
            gettext(
                "Писем снова поставлено в очередь: %(n)d (отправляются не отправленные письма; письмо со ссылкой для "
                "входа, уже стёртой, заново не отправить)."
            )
            % {"n": queued},
            messages.SUCCESS if queued else messages.WARNING,
        )
