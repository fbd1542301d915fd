"""A teacher's request for a personal extension of a video lesson's cut-off, and the coordinator's decision.

A teacher admitted after a lesson's cut-off is not in breach (seed 000, п. 4.4, 5.5: the deadline passed before
they were a participant), yet the season allows them to do the lesson: they ask the coordinator, who extends the
cut-off for them (a SubmissionExtension through `extension_grant`) or refuses with a written note. The same
request serves anyone whose cut-off has passed or is within REQUEST_WINDOW. One open request per teacher and
lesson; the season's coordinators are told of a new one, the teacher of the decision.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Notification
from core.notifications import NotificationDraft, notifications_create
from participants.models import Enrollment, User
from participants.services import season_coordinators

from .models import Submission, SubmissionExtension, SubmissionExtensionRequest, VideoAssignment
from .rules import can_grant_extension
from .services import extension_grant
from .video_state import effective_cutoff, format_moment

# A request is for a cut-off already passed or this close; earlier the teacher still has time to submit.
REQUEST_WINDOW = timedelta(days=7)
MESSAGE_MAX_LENGTH = 2000


def extension_request_error(
    *,
    enrollment: Enrollment,
    assignment: VideoAssignment,
    extension: SubmissionExtension | None,
    submitted: bool,
    pending: bool,
    now: datetime,
) -> str | None:
    """Why a request for this lesson cannot be made now (a Russian sentence), or None when it can.

    Reads nothing: the caller passes what it loaded (the cabinet has it all in its shared data)."""
    if enrollment.status != Enrollment.Status.ACTIVE:
        return _("Просить о продлении могут только участники программы; ваш статус: «%(status)s».") % {
            "status": enrollment.get_status_display()
        }
    if assignment.activity.season_id != enrollment.season_id:
        return _("Это задание другой программы или другого сезона.")
    if submitted:
        return _("Видеоурок уже сдан: продление срока не нужно.")
    if pending:
        return _("Запрос на продление этого видеоурока уже отправлен и ждёт решения координатора.")
    last = effective_cutoff(assignment, extension)
    if last > now + REQUEST_WINDOW:
        return _(
            "До окончательного срока (%(cutoff)s) больше 7 дней: сдайте видеоурок в срок. Просить о продлении можно, "
            "когда до срока остаётся не больше 7 дней или он уже прошёл."
        ) % {"cutoff": format_moment(last, assignment.activity.season)}
    return None


def extension_request_check(
    *, enrollment: Enrollment, assignment: VideoAssignment, now: datetime
) -> tuple[str | None, datetime]:
    """extension_request_error over the rows read for this one lesson (three queries), and its last moment."""
    extension = SubmissionExtension.objects.filter(assignment=assignment, enrollment=enrollment).first()
    error = extension_request_error(
        enrollment=enrollment,
        assignment=assignment,
        extension=extension,
        submitted=Submission.objects.filter(assignment=assignment, enrollment=enrollment, is_current=True).exists(),
        pending=SubmissionExtensionRequest.objects.filter(
            assignment=assignment, enrollment=enrollment, status=SubmissionExtensionRequest.Status.PENDING
        ).exists(),
        now=now,
    )
    return error, effective_cutoff(assignment, extension)


def _coordinator_drafts(request: SubmissionExtensionRequest) -> list[NotificationDraft]:
    enrollment, assignment = request.enrollment, request.assignment
    season = assignment.activity.season
    title = _("Запрос на продление срока видеоурока: %(person)s, «%(activity)s»") % {
        "person": enrollment.person,
        "activity": assignment.activity.title,
    }
    url = reverse("admin:activities_submissionextensionrequest_change", args=[request.pk])
    return [
        NotificationDraft(
            user_id=user_id,
            kind=Notification.Kind.INFO,
            title=title,
            body=request.message,
            url=url,
            dedupe_key=f"extension-request:{request.pk}",
        )
        for user_id in season_coordinators(season).values_list("pk", flat=True)
    ]


@transaction.atomic
def extension_request_create(
    *, enrollment: Enrollment, assignment: VideoAssignment, message: str, by: User, now: datetime | None = None
) -> SubmissionExtensionRequest:
    """A teacher asks the season's coordinators to extend a video lesson's cut-off for them.

    Only the enrollment's own teacher, on an active enrollment, for a lesson of its season not yet submitted
    whose last moment has passed or is within REQUEST_WINDOW; a second open request is refused. The
    enrollment row is locked so that two parallel requests line up (and the unique constraint backs it).
    """
    now = now or timezone.now()
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",)).select_related("person", "season").get(pk=enrollment.pk)
    )
    if by is None or enrollment.person.user_id != by.pk:
        raise PermissionDenied(_("Просить о продлении может только сам участник."))
    assignment = VideoAssignment.objects.select_related("activity__season__program").get(pk=assignment.pk)
    message = (message or "").strip()
    error, _last = extension_request_check(enrollment=enrollment, assignment=assignment, now=now)
    if error:
        raise ValidationError(error)
    if not message:
        raise ValidationError({"message": [_("Напишите координатору, почему вам нужно продление.")]})
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"message": [_("Сообщение длиннее %(n)s знаков: сократите его.") % {"n": MESSAGE_MAX_LENGTH}]}
        )
    try:
        with transaction.atomic():
            request = SubmissionExtensionRequest.objects.create(
                assignment=assignment, enrollment=enrollment, message=message, requested_at=now
            )
    except IntegrityError:
        raise ValidationError(
            _("Запрос на продление этого видеоурока уже отправлен и ждёт решения координатора.")
        ) from None
    notifications_create(drafts=_coordinator_drafts(request), now=now)
    return request


# --- The coordinator's decision --------------------------------------------------------------------------------


def _locked(request: SubmissionExtensionRequest) -> SubmissionExtensionRequest:
    return (
        SubmissionExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("enrollment__person__user", "assignment__activity__season__program")
        .get(pk=request.pk)
    )


def _decision_check(request: SubmissionExtensionRequest, by: User) -> None:
    if by is None or not can_grant_extension.test(by, request.assignment):
        raise PermissionDenied(_("Решения по продлению сроков принимает координатор муниципалитета этой программы."))
    if request.status != SubmissionExtensionRequest.Status.PENDING:
        raise ValidationError(
            _("По этому запросу уже принято решение: «%(status)s».") % {"status": request.get_status_display()}
        )


def _teacher_draft(request: SubmissionExtensionRequest, *, title: str, body: str) -> NotificationDraft | None:
    enrollment = request.enrollment
    user_id = enrollment.person.user_id
    if not user_id:
        return None
    season = request.assignment.activity.season
    path = reverse("video_assignment", args=[request.assignment_id])
    return NotificationDraft(
        user_id=user_id,
        kind=Notification.Kind.INFO,
        title=title,
        body=body,
        url=path,
        dedupe_key=f"extension-request:{request.pk}:{request.status}",
        email_template="extension_request_decided",
        email_context={
            "title": title,
            "activity": request.assignment.activity.title,
            "program": season.program.title,
            "season": season.title,
            "granted": request.status == SubmissionExtensionRequest.Status.GRANTED,
            "note": request.decision_note,
            "link": f"{settings.SITE_URL.rstrip('/')}{path}",
        },
    )


@transaction.atomic
def extension_request_grant(
    *, request: SubmissionExtensionRequest, until: datetime, note: str = "", by: User
) -> SubmissionExtension:
    """The coordinator extends the cut-off as asked: a SubmissionExtension (extension_grant), the request
    closed as «продлено», the teacher told. The extension's reason is the note, else the teacher's message."""
    request = _locked(request)
    _decision_check(request, by)
    note = (note or "").strip()
    reason = note or _("По запросу участника: %(message)s") % {"message": request.message}
    extension = extension_grant(
        assignment=request.assignment, enrollment=request.enrollment, until=until, reason=reason, by=by
    )
    now = timezone.now()
    request.status = SubmissionExtensionRequest.Status.GRANTED
    request.decided_by, request.decided_at, request.decision_note = by, now, note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    season = request.assignment.activity.season
    names = {"activity": request.assignment.activity.title, "until": format_moment(extension.until, season)}
    title = _("Срок сдачи видеоурока «%(activity)s» продлён для вас до %(until)s") % names
    draft = _teacher_draft(request, title=title, body=note)
    notifications_create(drafts=[draft] if draft else [], now=now)
    return extension


@transaction.atomic
def extension_request_reject(*, request: SubmissionExtensionRequest, note: str, by: User) -> SubmissionExtensionRequest:
    """The coordinator refuses the request with a written reason; the teacher is told it."""
    request = _locked(request)
    _decision_check(request, by)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Напишите причину отказа: её увидит участник.")]})
    now = timezone.now()
    request.status = SubmissionExtensionRequest.Status.REJECTED
    request.decided_by, request.decided_at, request.decision_note = by, now, note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    title = _("Продление срока видеоурока «%(activity)s» отклонено") % {"activity": request.assignment.activity.title}
    draft = _teacher_draft(request, title=title, body=note)
    notifications_create(drafts=[draft] if draft else [], now=now)
    return request
