"""The teacher's video-assignment page (task, form, versions, feedback) and the protected video file;
the cabinet's certificate download and private calendar feed."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.protected_files import protected_file_response
from core.uploads import upload_limited, upload_refusal
from participants.models import Enrollment, SubscriptionForm
from participants.selectors import person_for_user

from .attendance_forms import AttendanceImportForm, AttendanceMarksForm, CheckinForm
from .attendance_import import MAX_BYTES as ATTENDANCE_MAX_BYTES
from .calendar import calendar_token_regenerate, person_calendar, person_for_calendar_token
from .filters import AttendanceSessionFilterSet
from .forms import ExtensionRequestForm, SubmissionForm, season_max_bytes
from .models import Attendance, RouteItem, Session, Submission, SubmissionExtension, VideoAssignment
from .panels import render_panels, return_reasons
from .route_builder import RouteItemForm, route_item_add, route_item_move, route_item_update
from .rules import can_build_route
from .selectors import certificates_visible_to, passed_before_admission
from .selectors_attendance import (
    MARKING_DUE,
    attendance_overdue_summary,
    attendance_sessions_for,
    session_attendance_rows,
)
from .selectors_route import enrollment_routes
from .services import (
    attendance_defaults_confirm,
    attendance_import,
    attendance_mark,
    attendance_mark_all_present,
    checkin_open,
    checkin_submit,
    checkin_window,
    session_not_started_error,
    submission_submit,
)
from .services_bucket import bucket_origin, bucket_upload_file, bucket_upload_settle, bucket_uploads_enabled
from .services_extension_requests import extension_request_check, extension_request_create
from .services_resumable import resumable_upload_file, resumable_upload_settle
from .upload_handlers import VideoSizeLimitUploadHandler
from .video_files import format_size_limit
from .video_links import stored_video_link
from .video_player import video_player
from .video_state import assignment_state, effective_cutoff, format_moment

CONTENT_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "mov": "video/quicktime"}


def _teacher_assignment(request, pk: int) -> tuple[VideoAssignment, Enrollment]:
    """The assignment and the signed-in teacher's enrollment in its season; 404 for anyone else."""
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    assignment = get_object_or_404(
        VideoAssignment.objects.select_related("activity__season__program", "activity__module"), pk=pk
    )
    enrollment = Enrollment.objects.filter(person=person, season_id=assignment.activity.season_id).first()
    if enrollment is None:
        raise Http404
    enrollment.season = assignment.activity.season
    return assignment, enrollment


@login_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def assignment_detail(request, pk: int):
    # csrf_exempt here and csrf_protect on _assignment_page: the size limit must be installed before anything
    # reads request.POST, and the CSRF check reads it (see VideoSizeLimitUploadHandler).
    assignment, enrollment = _teacher_assignment(request, pk)
    limit = None
    if request.method == "POST":
        limit = VideoSizeLimitUploadHandler(request, max_bytes=season_max_bytes(assignment.activity.season))
        request.upload_handlers.insert(0, limit)
    return _assignment_page(request, assignment, enrollment, limit)


@csrf_protect
def _assignment_page(request, assignment: VideoAssignment, enrollment: Enrollment, limit):
    season = assignment.activity.season
    module = assignment.activity.module
    learning_formats = list(module.learning_formats or []) if module is not None else []
    form_kwargs = {"learning_formats": learning_formats, "max_bytes": season_max_bytes(season)}
    if request.method == "POST":
        data, files = request.POST, request.FILES  # parsing the body is what runs the size limit
        form_kwargs["upload_error"] = limit.exceeded_message if limit.exceeded else None
        staged = None
        in_bucket = bucket_uploads_enabled()
        if (upload_id := _upload_id(data)) and not files.get("video_file"):
            # The file came beforehand (in pieces to the portal, or straight to the S3 bucket): the same form and
            # service check it as if it came now.
            staged_file = bucket_upload_file if in_bucket else resumable_upload_file
            try:
                staged = staged_file(user=request.user, assignment=assignment, upload_id=upload_id)
            except ValidationError as exc:
                form_kwargs["upload_error"] = exc.messages[0]
                data = data.copy()
                data["upload"] = ""
            else:
                files = files.copy()
                files["video_file"] = staged
        form = SubmissionForm(data, files, **form_kwargs)
        submitted = False
        try:
            submitted = form.is_valid() and _submit(request, assignment, enrollment, form)
        finally:
            if staged is not None:
                settle = bucket_upload_settle if in_bucket else resumable_upload_settle
                settle(staged=staged, used=submitted)
        if submitted:
            messages.success(request, _("Видеоурок сдан. Его можно заменить, пока эксперты не начали проверку."))
            return redirect("video_assignment", pk=assignment.pk)
    else:
        form = SubmissionForm(initial=_initial(assignment, enrollment), **form_kwargs)
    context = _page_context(assignment, enrollment, form)
    response = render(request, "activities/assignment_detail.html", context)
    if context["bucket_origin"]:
        response._csp_update = {"connect-src": [context["bucket_origin"]]}  # the parts go there (django-csp)
    return response


def _upload_id(data) -> uuid.UUID | None:
    try:
        return uuid.UUID(data.get("upload", ""))
    except ValueError:
        return None


def _submit(request, assignment: VideoAssignment, enrollment: Enrollment, form: SubmissionForm) -> bool:
    data = form.cleaned_data
    try:
        submission_submit(
            enrollment=enrollment,
            assignment=assignment,
            link=data["video_url"] or None,
            file=data["video_file"] or None,
            topic=data["topic"],
            grade=data["grade"],
            subject=data["subject"],
            learning_format=data["learning_format"],
            reflection=data["reflection"],
            by=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


def _initial(assignment: VideoAssignment, enrollment: Enrollment) -> dict:
    """A replacement starts from what the current version says; a first one from the chosen format."""
    current = Submission.objects.filter(assignment=assignment, enrollment=enrollment, is_current=True).first()
    if current is None:
        return {"learning_format": enrollment.preferred_format}
    return {
        "topic": current.topic,
        "grade": current.grade,
        "subject": current.subject_id,
        "learning_format": current.learning_format,
        "reflection": current.reflection,
    }


def _page_context(assignment: VideoAssignment, enrollment: Enrollment, form: SubmissionForm) -> dict:
    season = assignment.activity.season
    now = timezone.now()
    versions = list(
        Submission.objects.filter(assignment=assignment, enrollment=enrollment)
        .select_related("subject")
        .order_by("-version")
    )
    current = next((v for v in versions if v.is_current), None)
    extension = SubmissionExtension.objects.filter(assignment=assignment, enrollment=enrollment).first()
    state = assignment_state(assignment=assignment, current=current, extension=extension, now=now)
    for version in versions:
        version.link = stored_video_link(version.video_url)
    closed_reason = None
    if enrollment.status != Enrollment.Status.ACTIVE:
        closed_reason = (
            _("Сдать работу можно после того, как координатор утвердит вашу заявку.")
            if enrollment.status == Enrollment.Status.APPLIED
            else _("Вы не участвуете в программе (статус «%(status)s»), поэтому сдать работу нельзя.")
            % {"status": enrollment.get_status_display()}
        )
    elif not state.can_replace:
        closed_reason = (
            _("Видеоурок уже проверен, поэтому заменить его нельзя.")
            if current is not None and current.status == Submission.Status.REVIEWED
            else _("Эксперты уже проверяют видеоурок, поэтому заменить его нельзя.")
        )
    elif not state.window_open:
        closed_reason = (
            _("Приём работ откроется %(opens)s.") % {"opens": format_moment(assignment.opens_at, season)}
            if now < assignment.opens_at
            else _("Приём работ закрыт. Если причина уважительная, обратитесь к координатору за продлением.")
        )
    cutoff = effective_cutoff(assignment, extension)
    in_bucket = bucket_uploads_enabled()
    return {
        "assignment": assignment,
        "activity": assignment.activity,
        "season": season,
        "enrollment": enrollment,
        "now": now,
        "state": state,
        "dates": [
            (_("Приём открывается"), format_moment(assignment.opens_at, season)),
            (_("Срок сдачи"), format_moment(assignment.due_at, season)),
            (_("Окончательный срок"), format_moment(assignment.cutoff_at, season)),
        ],
        "extension": extension,
        "extension_until": format_moment(cutoff, season) if cutoff > assignment.cutoff_at else None,
        "deadline_text": format_moment(state.deadline, season) if state.deadline else None,
        "current": current,
        # The page's player, which the experts' time-coded comments move (ratings/_timecodes.html).
        "player": video_player(current) if current is not None else None,
        "versions": versions,
        "current_reason": return_reasons([current]).get(current.pk) if current else None,
        "panels": render_panels(versions),
        "form": form,
        "can_submit": closed_reason is None,
        "closed_reason": closed_reason,
        "max_bytes": season_max_bytes(season),
        "plain_max": format_size_limit(settings.PLAIN_UPLOAD_MAX_BYTES),
        "resumable": settings.RESUMABLE_UPLOAD_CLIENT and not in_bucket,
        "bucket_upload": in_bucket,
        "bucket_origin": bucket_origin() if in_bucket and closed_reason is None else "",
        "resumable_chunk_bytes": settings.RESUMABLE_UPLOAD_CHUNK_BYTES,
        "too_large_message": _("Файл больше допустимых %(limit)s: выберите файл поменьше или сожмите видео.")
        % {"limit": format_size_limit(season_max_bytes(season))},
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def submission_file(request, pk: int):
    """The uploaded video, to its owner, the season's coordinators and experts only; 404 for everyone else."""
    submission = get_object_or_404(
        Submission.objects.select_related("enrollment__person", "assignment__activity__season__program").exclude(
            video_file=""
        ),
        pk=pk,
    )
    if not request.user.has_perm("activities.view_submission_file", submission):
        raise Http404
    return _video_response(request, submission)


def _video_response(request, submission: Submission) -> HttpResponse:
    extension = submission.video_file.name.rsplit(".", 1)[-1].lower()
    try:
        response = protected_file_response(
            request,
            submission.video_file,
            filename=f"video-{submission.pk}-v{submission.version}.{extension}",
            content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        )
    except FileNotFoundError:
        raise Http404 from None
    return _protect(response)


def _protect(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    # Opened on its own, the file can run nothing and be framed by nobody.
    response["Content-Security-Policy"] = "default-src 'none'; media-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- Cabinet: certificates and calendar ---------------------------------------------------------------


@login_required
@require_GET
def certificate_download(request, pk: int):
    """The stored PDF of a certificate, for its owner and the coordinators of its municipality; others get 404."""
    certificate = get_object_or_404(
        certificates_visible_to(request.user).select_related("activity", "enrollment__season__program"), pk=pk
    )
    if certificate.revoked_at is not None:
        return render(
            request, "activities/cabinet/certificate_unavailable.html", {"certificate": certificate}, status=410
        )
    if certificate.pdf:
        try:
            response = protected_file_response(
                request,
                certificate.pdf,
                filename=f"{certificate.number}.pdf",
                content_type="application/pdf",
                as_attachment=True,
            )
        except FileNotFoundError:
            pass
        else:
            response["Cache-Control"] = "private, no-store"
            return response
    # No stored PDF yet (certificates are generated in the background): say so rather than fail.
    return render(request, "activities/cabinet/certificate_unavailable.html", {"certificate": certificate})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def cabinet_calendar(request):
    """My private calendar feed address, and the button that creates or replaces it."""
    person = person_for_user(request.user)
    if person is None:
        raise Http404("No person record")
    if request.method == "POST":
        had_token = bool(person.calendar_token)
        calendar_token_regenerate(person=person)
        if had_token:
            messages.success(request, _("Создан новый адрес календаря. Прежний адрес больше не работает."))
        else:
            messages.success(request, _("Адрес календаря создан."))
        return redirect("cabinet_calendar")
    feed_url = None
    if person.calendar_token:
        feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[person.calendar_token]))
    return render(request, "activities/cabinet/calendar.html", {"person": person, "feed_url": feed_url})


@require_GET
def calendar_feed(request, token: str):
    """The iCalendar feed behind a secret token: no login, as calendar apps cannot sign in."""
    person = person_for_calendar_token(token)
    if person is None:
        raise Http404("Unknown calendar token")
    response = HttpResponse(
        person_calendar(person=person, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- Attendance: the sessions a coordinator or an expert marks, one page per session, the teacher's check-in --

SESSIONS_PER_PAGE = 20


@login_required
@require_GET
def attendance_sessions(request):
    """Recent and upcoming sessions the user may mark, with unmarked participants and overdue marks."""
    if not request.user.has_perm("activities.list_attendance_sessions"):
        raise Http404
    now = timezone.now()
    sessions = attendance_sessions_for(request.user, now=now)
    # «есть неподтверждённые отметки по умолчанию»: what a coordinator still has to confirm (or correct).
    filters = AttendanceSessionFilterSet(request.GET or None, sessions)
    page = Paginator(filters.qs, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for session in page:
        unmarked = max(session.expected_count - session.marked_count, 0)
        if session.starts_at > now:
            state, label = "upcoming", _("Предстоит")
        elif session.ends_at >= now:
            state, label = "running", _("Идёт сейчас")
        elif unmarked and session.ends_at < now - MARKING_DUE:
            state, label = "overdue", _("Отметка просрочена")
        elif unmarked:
            state, label = "unmarked", _("Нужно отметить")
        else:
            state, label = "done", _("Отмечено")
        rows.append({"session": session, "unmarked": unmarked, "state": state, "label": label})
    context = {
        "page": page,
        "rows": rows,
        "summary": attendance_overdue_summary(sessions, now=now),
        "only_defaults": filters.only_defaults,
        "filter_errors": [error for errors in filters.errors.values() for error in errors],
    }
    return render(request, "activities/attendance/sessions.html", context)


def _session_to_mark(request, pk: int) -> Session:
    """The session, if the user may take its attendance; 404 otherwise, so ids reveal nothing."""
    session = get_object_or_404(Session.objects.select_related("activity__season__program", "activity__module"), pk=pk)
    if not request.user.has_perm("activities.take_attendance", session):
        raise Http404
    return session


def _attendance_page(request, session: Session, *, marks_form=None, import_form=None, report=None, status=200):
    now = timezone.now()
    rows = marks_form.rows if marks_form is not None else session_attendance_rows(session)
    marks_form = marks_form or AttendanceMarksForm(rows=rows)
    opens, closes = checkin_window(session)
    counts = {value: 0 for value in Attendance.Status.values}
    for row in rows:
        if row.mark is not None and not row.mark.is_default:  # a default mark is not a mark yet (п. 4.4)
            counts[row.mark.status] += 1
    context = {
        "session": session,
        "activity": session.activity,
        "season": session.activity.season,
        "form": marks_form,
        "entries": marks_form.entries(),
        "import_form": import_form or AttendanceImportForm(),
        "report": report,
        "total": len(rows),
        "unmarked": sum(1 for row in rows if row.mark is None),
        "defaults": sum(1 for row in rows if row.mark is not None and row.mark.is_default),
        "can_confirm_defaults": request.user.has_perm("activities.confirm_attendance_defaults", session),
        "counts": [(label, counts[value]) for value, label in Attendance.Status.choices],
        "checkin_opens": opens,
        "checkin_closes": closes,
        "checkin_running": opens <= now <= closes,
        "session_ended": now > session.ends_at,
        # Marks wait for the start (the services refuse them earlier): the page says from when instead.
        "not_started": session_not_started_error(session, now),
    }
    return render(request, "activities/attendance/session.html", context, status=status)


def _not_started_page(request, session: Session):
    """The page with the refusal, 409, when a mark is posted before the session starts; None once it has."""
    if message := session_not_started_error(session, timezone.now()):
        messages.error(request, message)
        return _attendance_page(request, session, status=409)
    return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk: int):
    """One page per session: every expected participant with a status, saved together."""
    session = _session_to_mark(request, pk)
    if request.method != "POST":
        return _attendance_page(request, session)
    if refused := _not_started_page(request, session):
        return refused
    form = AttendanceMarksForm(request.POST, rows=session_attendance_rows(session))
    if form.is_valid():
        try:
            changed = attendance_mark(session=session, marks=form.marks(), by=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Посещаемость сохранена. Изменено отметок: %(n)s.") % {"n": changed})
            return redirect("session_attendance", pk=session.pk)
    messages.error(request, _("Отметки не сохранены: исправьте ошибки, отмеченные ниже."))
    return _attendance_page(request, session, marks_form=form)


@login_required
@require_POST
def session_attendance_all_present(request, pk: int):
    session = _session_to_mark(request, pk)
    if refused := _not_started_page(request, session):
        return refused
    marked, kept = attendance_mark_all_present(session=session, by=request.user)
    message = _("Отмечены присутствующими: %(marked)s.") % {"marked": marked}
    if kept:
        message += " " + _("Уже стоявшие отметки оставлены без изменений: %(kept)s.") % {"kept": kept}
    messages.success(request, message)
    return redirect("session_attendance", pk=session.pk)


@login_required
@require_POST
def session_attendance_confirm_defaults(request, pk: int):
    """«Подтвердить отметки по умолчанию»: the coordinator makes the session's default marks real ones."""
    session = _session_to_mark(request, pk)
    if not request.user.has_perm("activities.confirm_attendance_defaults", session):
        # An expert who marks this session still gets 404, as everyone refused does (the permissions matrix).
        raise Http404
    try:
        confirmed = attendance_defaults_confirm(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Подтверждено отметок по умолчанию: %(n)s.") % {"n": confirmed})
    return redirect("session_attendance", pk=session.pk)


@login_required
@require_POST
def session_checkin_open(request, pk: int):
    session = _session_to_mark(request, pk)
    try:
        checkin_open(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Код для самоотметки выдан. Покажите его участникам на занятии."))
    return redirect(f"{reverse('session_attendance', args=[session.pk])}#checkin")


@login_required
@require_POST
@upload_limited(ATTENDANCE_MAX_BYTES)
def session_attendance_import(request, pk: int):
    session = _session_to_mark(request, pk)
    data, files = request.POST, request.FILES  # parsing the body is what runs the size cap
    if refused := _not_started_page(request, session):
        return refused
    form = AttendanceImportForm(data, files, upload_error=upload_refusal(request))
    if not form.is_valid():
        return _attendance_page(request, session, import_form=form)
    try:
        report = attendance_import(
            session=session, file=form.cleaned_data["file"], by=request.user, overwrite=form.cleaned_data["overwrite"]
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return _attendance_page(request, session, import_form=form)
    messages.success(
        request,
        _("Отчёт загружен: отмечено %(marked)s, не сопоставлено строк %(unmatched)s.")
        % {"marked": len(report.marked), "unmatched": len(report.unmatched)},
    )
    # The report is shown right here, under the refreshed marks: it lives only in this response.
    return _attendance_page(request, session, import_form=AttendanceImportForm(), report=report)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def session_checkin(request, pk: int):
    """The teacher's own mark with the code shown at the meeting; a session of another season is 404."""
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    session = get_object_or_404(Session.objects.select_related("activity__season__program"), pk=pk)
    enrollment = Enrollment.objects.filter(person=person, season_id=session.activity.season_id).first()
    if enrollment is None:
        raise Http404
    form = CheckinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mark = checkin_submit(session=session, enrollment=enrollment, code=form.cleaned_data["code"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Вы отмечены на занятии «%(session)s»: %(status)s.")
                % {"session": session, "status": mark.get_status_display().lower()},
            )
            return redirect("cabinet")
    opens, closes = checkin_window(session)
    context = {
        "session": session,
        "activity": session.activity,
        "season": session.activity.season,
        "form": form,
        "opens": opens,
        "closes": closes,
    }
    return render(request, "activities/attendance/checkin.html", context)


# --- The tutor's route builder (/expert/requests/<id>/route/) --------------------------------------------


def _route_enrollment(request, request_id: int) -> Enrollment:
    """The enrollment of an individual request with the request's own fields, if the user may build its
    route; 404 otherwise (the request is reached through enrollment.individual_requests, by name only)."""
    enrollment = (
        Enrollment.objects.filter(individual_requests__pk=request_id)
        .select_related("person__organisation", "season__program")
        .annotate(
            request_topic=F("individual_requests__topic"),
            request_deficit=F("individual_requests__deficit"),
            request_form=F("individual_requests__preferred_form"),
            request_status=F("individual_requests__status"),
        )
        .first()
    )
    if enrollment is None or not can_build_route(request.user, enrollment):
        raise Http404
    enrollment.request_id = request_id
    return enrollment


@login_required
@require_http_methods(["GET", "POST"])
def route_builder(request, request_id: int):
    """The tutor adds steps to the teacher's route, moves them up and down, and cancels them."""
    enrollment = _route_enrollment(request, request_id)
    form = RouteItemForm(request.POST or None, enrollment=enrollment)
    if request.method == "POST" and form.is_valid():
        try:
            item = route_item_add(enrollment=enrollment, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Шаг «%(step)s» добавлен в маршрут.") % {"step": item})
            return redirect("route_builder", request_id=request_id)
    steps = enrollment_routes([enrollment]).get(enrollment.pk, [])
    context = {
        "enrollment": enrollment,
        "season": enrollment.season,
        "request_form_label": SubscriptionForm(enrollment.request_form).label,
        "steps": steps,
        "form": form,
        "cancelled": RouteItem.Status.CANCELLED,
        "planned": RouteItem.Status.PLANNED,
    }
    return render(request, "activities/route_builder/builder.html", context)


def _form_errors(form, exc: ValidationError) -> None:
    """A service's refusal at the fields it names (those the form has), the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
def route_item_edit(request, request_id: int, item_id: int):
    """The tutor (or the municipality's coordinator) edits a planned step: what, form, when, activity or
    session of the teacher's season, note. Everything goes through route_item_update, which tells the teacher."""
    enrollment = _route_enrollment(request, request_id)
    item = get_object_or_404(
        RouteItem.objects.select_related("module", "activity", "session"), pk=item_id, enrollment=enrollment
    )
    back = f"{reverse('route_builder', kwargs={'request_id': request_id})}#step-{item.pk}"
    if item.status != RouteItem.Status.PLANNED:
        messages.error(
            request,
            _("Изменить можно только запланированный шаг: этот шаг уже «%(status)s».")
            % {"status": item.get_status_display()},
        )
        return redirect(back)
    initial = {
        "form": item.form,
        "title": item.title,
        "module": item.module_id,
        "activity": item.activity_id,
        "session": item.session_id,
        "planned_on": item.planned_on,
        "note": item.note,
    }
    form = RouteItemForm(request.POST or None, initial=initial, enrollment=enrollment)
    if request.method == "POST" and form.is_valid():
        try:
            item = route_item_update(item=item, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Шаг «%(step)s» изменён.") % {"step": item})
            return redirect(back)
    context = {"enrollment": enrollment, "season": enrollment.season, "item": item, "form": form, "back": back}
    return render(request, "activities/route_builder/edit.html", context)


@login_required
@require_POST
def route_item_action(request, request_id: int, item_id: int, action: str):
    """Move a step up or down, cancel it or bring a cancelled one back."""
    enrollment = _route_enrollment(request, request_id)
    item = get_object_or_404(RouteItem, pk=item_id, enrollment=enrollment)
    try:
        if action in {"up", "down"}:
            route_item_move(item=item, up=action == "up")
        elif action == "cancel":
            route_item_update(item=item, status=RouteItem.Status.CANCELLED)
            messages.success(request, _("Шаг «%(step)s» отменён.") % {"step": item})
        elif action == "restore":
            route_item_update(item=item, status=RouteItem.Status.PLANNED)
            messages.success(request, _("Шаг «%(step)s» снова запланирован.") % {"step": item})
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('route_builder', kwargs={'request_id': request_id})}#step-{item.pk}")


# --- A teacher's request for a personal extension of a video lesson's cut-off ------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def extension_request_new(request, enrollment_id: int, assignment_id: int):
    """The form asking the coordinator for an extension; another person's enrollment, or an assignment of another
    season, is 404."""
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("person", "season__program"), pk=enrollment_id, person__user=request.user
    )
    assignment = get_object_or_404(
        VideoAssignment.objects.select_related("activity__season__program"),
        pk=assignment_id,
        activity__season_id=enrollment.season_id,
    )
    form = ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            extension_request_create(
                enrollment=enrollment, assignment=assignment, message=form.cleaned_data["message"], by=request.user
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Запрос на продление отправлен координатору. О решении вы получите уведомление."),
            )
            return redirect("cabinet")
    season = assignment.activity.season
    refusal, last = extension_request_check(enrollment=enrollment, assignment=assignment, now=timezone.now())
    context = {
        "form": form,
        "enrollment": enrollment,
        "assignment": assignment,
        "activity": assignment.activity,
        "season": season,
        "cutoff_text": format_moment(last, season),
        "before_admission": passed_before_admission(last, enrollment),
        "refusal": refusal,
    }
    return render(request, "activities/extension_request.html", context)
