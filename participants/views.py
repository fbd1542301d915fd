"""Sign-in, sign-out and password pages (Django's auth views with our form and templates); registration for
a season and the confirmation of the address; the cabinet."""

import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.models import BackgroundJob
from core.outgoing_emails import letters_queued, letters_state, masked_address
from core.protected_files import protected_file_response
from core.throttling import mail_request_allowed, sign_in_lockouts_clear
from programs.models import Organisation, Program, RoadmapModule, Season, Subject
from programs.selectors import registration_state

from . import personal_data, services
from .cabinet import CabinetContext, cabinet_sections
from .cabinet_subscription import with_ground_labels
from .feedback import feedback_is_open, season_quarter, season_questions
from .forms import (
    ApplyForm,
    ConsentWithdrawForm,
    EmailAuthenticationForm,
    EraseForm,
    FeedbackForm,
    PortalPasswordResetForm,
    RegistrationForm,
    ResendConfirmationForm,
    SchoolApplicationForm,
    WithdrawForm,
)
from .landing import landing_url
from .models import Consent, Enrollment, FeedbackResponse, SchoolApplication
from .retention import withdrawal_erase_by, withdrawal_erasure_pending
from .rules import is_enrollment_owner
from .selectors import cabinet_person_enrollments, person_for_user
from .services import (
    consent_set,
    enrollment_withdraw_by_participant,
    feedback_submit,
    person_erase,
    person_is_school_administrator,
    personal_data_consent_withdraw,
    personal_data_export_record,
    school_application_check,
    school_application_submit,
)
from .services_chat import chat_join_claim

REGISTERED_EMAIL_KEY = "participants.registered_email"
REGISTERED_LETTERS_KEY = "participants.registered_letters"


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            # Demo accounts are listed by settings (filled by the demo loader's owner), never in production.
            programs = list(getattr(settings, "DEMO_PROGRAM_ACCOUNTS", []))
            by_program = {email for _title, accounts in programs for email, _role in accounts}
            context["demo_programs"] = programs
            # The rest (management, the other experts, the administrator) below the programs' tables.
            context["demo_accounts"] = [
                (email, role) for email, role in getattr(settings, "DEMO_ACCOUNTS", []) if email not in by_program
            ]
            context["demo_password"] = getattr(settings, "DEMO_PASSWORD", "")
        return context

    def get_default_redirect_url(self):
        # A safe `next` still wins (LoginView.get_success_url asks get_redirect_url first).
        return landing_url(self.request.user)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    # E-mails are subject / text / html triplets under templates/emails/.
    subject_template_name = "emails/password_reset/subject.txt"
    email_template_name = "emails/password_reset/body.txt"
    html_email_template_name = "emails/password_reset/body.html"

    @property
    def extra_email_context(self):
        # Without django.contrib.sites the site name would be the bare host name.
        return {"site_name": settings.PORTAL_NAME}

    def form_valid(self, form):
        # Over the hourly limit the visitor sees the usual «letter sent» page and nothing is sent.
        if not mail_request_allowed(kind="password_reset", email=form.cleaned_data["email"], request=self.request):
            return redirect(self.get_success_url())
        return super().form_valid(form)


@login_required
def cabinet(request):
    # Computed afresh on every request: a constant number of queries whatever the teacher's data (bench «pages»).
    person, enrollments = cabinet_person_enrollments(request.user)
    if person is None:
        # Staff accounts without a person record have nothing to show here.
        return render(request, "participants/cabinet/no_person.html", status=200)
    ctx = CabinetContext(request=request, person=person, enrollments=enrollments, now=timezone.now())
    return render(request, "participants/cabinet/cabinet.html", {"person": person, "sections": cabinet_sections(ctx)})


# --- Methodical Subscription: a school's application ------------------------------------------------


@login_required
def school_application(request, season_id: int):
    """A school administrator applies for their school to join a season of the Methodical Subscription."""
    season = get_object_or_404(
        Season.objects.select_related("program"),
        pk=season_id,
        program__kind=Program.Kind.SUBSCRIPTION,
        program__is_published=True,
    )
    person = person_for_user(request.user)
    if not person_is_school_administrator(person):
        return render(
            request, "participants/subscription/not_school_administrator.html", {"season": season}, status=403
        )
    history = with_ground_labels(
        list(
            SchoolApplication.objects.filter(season=season, organisation_id=person.organisation_id)
            .select_related("applicant")
            .order_by("-submitted_at")
        )
    )
    open_application = next((a for a in history if a.status != SchoolApplication.Status.REJECTED), None)
    try:
        school_application_check(season=season, applicant=person, now=timezone.now())
    except ValidationError as exc:
        refusal = " ".join(exc.messages)
    else:
        refusal = ""
    form = None
    if open_application is None and not refusal:
        form = SchoolApplicationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                school_application_submit(
                    season=season,
                    applicant=person,
                    grounds=form.cleaned_data["grounds"],
                    details=form.cleaned_data["details"],
                    teachers_planned=form.cleaned_data["teachers_planned"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Заявка школы отправлена координатору. Решение придёт на вашу электронную почту."),
                )
                return redirect(f"{reverse('cabinet')}#school-application")
    context = {
        "season": season,
        "person": person,
        "form": form,
        "open_application": open_application,
        "history": history,
        "refusal": refusal,
    }
    return render(request, "participants/subscription/school_application.html", context)


# --- Quarterly feedback, withdrawal and my data ------------------------------------------------------------


def _own_enrollment(request, enrollment_id: int) -> Enrollment:
    """The signed-in person's own enrollment; anyone else's is a 404 that reveals nothing."""
    return get_object_or_404(
        Enrollment.objects.select_related("season__program", "person"), pk=enrollment_id, person__user=request.user
    )


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def feedback_answer(request, enrollment_id: int):
    """The quarter's questions of one program: shown in the cabinet, answered here once per quarter."""
    enrollment = _own_enrollment(request, enrollment_id)
    now = timezone.now()
    year, quarter = season_quarter(enrollment.season, now)
    context = {"enrollment": enrollment, "year": year, "quarter": quarter}
    questions = season_questions(enrollment.season) if feedback_is_open(enrollment, now) else []
    if not questions:
        return render(request, "participants/feedback/answer.html", {**context, "closed": True})
    response = FeedbackResponse.objects.filter(enrollment=enrollment, year=year, quarter=quarter).first()
    if response is not None:
        return render(request, "participants/feedback/answer.html", {**context, "response": response})
    form = FeedbackForm(request.POST or None, questions=questions, prefix=f"e{enrollment.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            feedback_submit(enrollment=enrollment, year=year, quarter=quarter, answers=form.answers(), by=request.user)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Спасибо! Ваши ответы за %(quarter)s квартал %(year)s года сохранены.")
                % {"quarter": quarter, "year": year},
            )
            return redirect(reverse("cabinet") + "#cabinet-feedback")
    return render(request, "participants/feedback/answer.html", {**context, "form": form})


def _withdrawal_letters_text(state) -> str:
    """What became of the coordinators' letters, as it is: a letter the mail server has not taken is not promised."""
    if not state.total:
        return ""
    if state.sent == state.total:
        return _("Координатору программы отправлено уведомление.")
    if state.failed:
        return _(
            "Уведомление координатору не доставлено: почтовый сервер его отклонил. Координатор увидит ваш выход "
            "в списке участников."
        )
    return _("Уведомление координатору почтовый сервер пока не принял — портал повторит отправку автоматически.")


@login_required
def enrollment_withdraw_view(request, enrollment_id: int):
    """«Выйти из программы»: a confirmation page with a required reason."""
    enrollment = _own_enrollment(request, enrollment_id)
    if not enrollment.is_current:
        messages.warning(
            request,
            _("Участие в программе «%(program)s» уже завершено: статус «%(status)s».")
            % {"program": enrollment.season.program.title, "status": enrollment.get_status_display()},
        )
        return redirect("cabinet")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with letters_queued() as letters:
                enrollment_withdraw_by_participant(
                    enrollment=enrollment, by=request.user, reason=form.cleaned_data["reason"]
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            text = _("Вы вышли из программы «%(program)s».") % {"program": enrollment.season.program.title}
            messages.success(request, f"{text} {_withdrawal_letters_text(letters_state(letters))}".strip())
            return redirect(reverse("cabinet") + "#cabinet-participation")
    return render(request, "participants/withdraw/confirm.html", {"enrollment": enrollment, "form": form})


@login_required
@require_POST
def enrollment_chat_claim(request, enrollment_id: int):
    """«Я вступил(а) в чат» (seed 000 §4.4): the participant's own word, confirmed later by the technical specialist."""
    enrollment = Enrollment.objects.select_related("person", "season").filter(pk=enrollment_id).first()
    if not is_enrollment_owner(request.user, enrollment):  # someone else's enrollment exists for nobody else
        raise Http404
    try:
        chat_join_claim(enrollment=enrollment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Спасибо! Технический специалист проверит, что вы в чате, и подтвердит вступление.")
        )
    return redirect(f"{reverse('cabinet')}#chat-{enrollment.pk}")


def _my_person(request):
    person = person_for_user(request.user)
    if person is None:
        # Staff accounts without a person record hold no participant's data.
        raise Http404
    return person


def _my_data_page(request, person, erase_form, withdraw_form=None):
    sections = personal_data.personal_data_collect(person)
    consents = list(Consent.objects.filter(person=person).order_by("kind", "-given_at", "-pk"))
    in_force = {c.kind: c for c in consents if c.withdrawn_at is None}
    pending_erasure = withdrawal_erasure_pending(person)
    erase_by = withdrawal_erase_by(pending_erasure.requested_at) if pending_erasure else None
    return render(
        request,
        "participants/my_data/page.html",
        {
            "person": person,
            "sections": sections,
            "erase_form": erase_form,
            "withdraw_form": withdraw_form or ConsentWithdrawForm(),
            "consents": consents,
            "personal_data_consent": in_force.get(Consent.Kind.PERSONAL_DATA_PROCESSING),
            "rating_consent": in_force.get(Consent.Kind.RATING_PUBLICATION),
            "pending_erasure": pending_erasure,
            "erase_by": erase_by,
        },
    )


@never_cache
@login_required
def my_data(request):
    """What the portal holds about me, my consents, the downloads and the erasure request (152-FZ)."""
    person = _my_person(request)
    return _my_data_page(request, person, EraseForm(user=request.user))


@never_cache
@login_required
@require_POST
def my_data_consent_withdraw(request):
    """Withdraw the consent to processing (152-FZ art. 9 §2): participation ends, erasure is scheduled."""
    person = _my_person(request)
    form = ConsentWithdrawForm(request.POST)
    if not form.is_valid():
        return _my_data_page(request, person, EraseForm(user=request.user), form)
    try:
        data_request = personal_data_consent_withdraw(person=person, by=request.user)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _my_data_page(request, person, EraseForm(user=request.user), form)
    erase_by = timezone.localtime(withdrawal_erase_by(data_request.requested_at))
    messages.success(
        request,
        _(
            "Согласие на обработку персональных данных отозвано. Участие в программах прекращено; данные будут "
            "обезличены не позднее %(date)s."
        )
        % {"date": erase_by.strftime("%d.%m.%Y")},
    )
    return redirect(reverse("my_data") + "#my-data-consents")


@never_cache
@login_required
@require_POST
def my_data_rating_consent(request):
    return rating_consent_post(request, back=reverse("my_data") + "#my-data-consents")


def rating_consent_post(request, *, back: str) -> HttpResponse:
    """Give («1») or withdraw («0») the consent to show my name in the rating (no consequence beyond the rating),
    then go `back`: «Мои данные» and the cabinet's rating section both post here."""
    person = _my_person(request)
    given = request.POST.get("given")
    if given not in ("0", "1"):
        return HttpResponseBadRequest(_("Не указано, дать согласие или отозвать."))
    consent_set(person=person, kind=Consent.Kind.RATING_PUBLICATION, given=given == "1")
    messages.success(
        request,
        _("Спасибо! Ваши фамилия и имя будут видны в рейтинге участников.")
        if given == "1"
        else _("Согласие отозвано: в рейтинге вместо имени показывается «Участник №…»."),
    )
    return redirect(back)


@never_cache
@login_required
@require_POST
def my_data_download(request):
    person = _my_person(request)
    fmt = request.POST.get("format")
    if fmt not in ("json", "xlsx"):
        return HttpResponseBadRequest(_("Неизвестный формат выгрузки."))
    with transaction.atomic():
        personal_data_export_record(person=person, by=request.user, fmt=fmt)
        sections = personal_data.personal_data_collect(person)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(personal_data.export_json(sections), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(
            personal_data.export_xlsx(sections),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.{fmt}"'
    return response


@never_cache
@login_required
@require_POST
def my_data_erase(request):
    person = _my_person(request)
    form = EraseForm(request.POST, user=request.user)
    if not form.is_valid():
        return _my_data_page(request, person, form)
    try:
        data_request = person_erase(person=person, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return _my_data_page(request, person, form)
    logout(request)
    return render(request, "participants/my_data/erased.html", {"data_request": data_request})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a password through a mailed link proves the address, so it confirms it too (imported people) and
    lifts the account's sign-in lock-outs."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.email_confirm(user=form.user)
        sign_in_lockouts_clear(user=form.user)
        return response


# --- Registration --------------------------------------------------------------------------------------


def _posted(request: HttpRequest):
    # An empty POST is still a submission: the form must be bound to show its errors.
    return request.POST if request.method == "POST" else None


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _season_formats(season: Season) -> list[str]:
    """The learning formats the season's roadmap offers, in roadmap order, each once: one query."""
    formats: list[str] = []
    for module_formats in (
        RoadmapModule.objects.filter(season=season).order_by("order").values_list("learning_formats", flat=True)
    ):
        for name in module_formats or []:
            if name not in formats:
                formats.append(name)
    return formats


def _apply_errors(form, exc: ValidationError) -> None:
    """A service's errors at the fields that caused them; the rest above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)


def _registration_organisations(season: Season, admitted_schools_only: bool):
    organisations = Organisation.objects.filter(municipality_id=season.program.municipality_id, is_active=True)
    if admitted_schools_only:
        organisations = organisations.filter(
            subscription_applications__season=season,
            subscription_applications__status=SchoolApplication.Status.APPROVED,
        )
    return organisations.order_by("sort_key", "pk")


@require_http_methods(["GET", "POST"])
def season_register(request: HttpRequest, slug: str, season_id: int) -> HttpResponse:
    """Registration for one season: a new person's form, or a one-button application for a signed-in one."""
    season = get_object_or_404(
        Season.objects.select_related("program__municipality"),
        pk=season_id,
        program__slug=slug,
        program__is_published=True,
    )
    now = timezone.now()
    context = {
        "season": season,
        "program": season.program,
        "state": registration_state(season, now),
        "places_left": services.places_left(season),
    }
    # «Методический абонемент»: past the window, teachers of approved schools still join while the season runs.
    admitted_schools_only = context["state"] == "closed" and services.admission_for_admitted_schools(season, now)
    if admitted_schools_only:
        context.update(state="open", admitted_schools_only=True)
    person = person_for_user(request.user)
    if request.user.is_authenticated:
        context["person"] = person
        if person is not None:
            context["enrollment"] = Enrollment.objects.filter(person=person, season=season).first()
    is_open = context["state"] == "open" and context["places_left"] != 0
    if not is_open or (request.user.is_authenticated and (person is None or context["enrollment"])):
        return render(request, "participants/registration/register.html", context)

    formats = _season_formats(season)
    if person is not None:
        form = ApplyForm(
            _posted(request), formats=formats, needs_consent=not services.person_has_processing_consent(person)
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.enrollment_apply(
                    person=person,
                    season=season,
                    preferred_format=form.cleaned_data.get("preferred_format", ""),
                    consent_given=form.cleaned_data.get("consent_personal_data", False),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Заявка на сезон «%(season)s» подана.") % {"season": season})
                return redirect("cabinet")
        return render(request, "participants/registration/register.html", {**context, "apply_form": form})

    form = RegistrationForm(
        _posted(request),
        season=season,
        organisations=_registration_organisations(season, admitted_schools_only),
        subjects=Subject.objects.order_by("name"),
        formats=formats,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with letters_queued() as letters:
                services.registration_submit(
                    season=season,
                    site_url=_site_url(request),
                    # Counted for every address, known or not, like the password recovery: the limit tells nothing.
                    hint_allowed=mail_request_allowed(kind="registration", email=data["email"], request=request),
                    data=services.RegistrationData(
                        email=data["email"],
                        password=data["password1"],
                        last_name=data["last_name"],
                        first_name=data["first_name"],
                        middle_name=data["middle_name"],
                        gender=data["gender"],
                        birth_date=data["birth_date"],
                        phone=data["phone"],
                        organisation=data["organisation"],
                        position=data["position"],
                        education_level=data["education_level"],
                        experience_years=data["experience_years"],
                        category=data["category"],
                        subjects=list(data["subjects"]),
                        preferred_format=data.get("preferred_format", ""),
                        consent_personal_data=data["consent_personal_data"],
                        consent_rating=data["consent_rating"],
                    ),
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            request.session[REGISTERED_EMAIL_KEY] = data["email"]
            # The ids stay on the server (the session row): the page reports on these letters and no others.
            request.session[REGISTERED_LETTERS_KEY] = letters
            return redirect("registration_sent")
    # A known address is answered as a new one (the letter shows it the way in); a person found by name and
    # birth date under another address is shown the way in here.
    context["already_registered"] = form.has_error(NON_FIELD_ERRORS, "duplicate_person")
    return render(request, "participants/registration/register.html", {**context, "form": form})


def registration_sent(request: HttpRequest) -> HttpResponse:
    """«Check your e-mail»: what became of the letter this browser's registration queued — sent, waiting for
    another try, or given up — to the address it registered, masked; letters to another address are not told."""
    email = request.session.get(REGISTERED_EMAIL_KEY, "")
    ids = request.session.get(REGISTERED_LETTERS_KEY, [])
    state = letters_state(ids if isinstance(ids, list) else [], recipient=email) if email else None
    context = {"email": email, "masked_email": masked_address(email) if email else "", "letters": state}
    return render(request, "participants/registration/sent.html", context)


def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user, _confirmed_now = services.email_confirm_by_token(token=token)
    except ValidationError as exc:
        context = {"reason": exc.code, "form": ResendConfirmationForm()}
        return render(request, "participants/registration/confirm_failed.html", context, status=400)
    request.session.pop(REGISTERED_EMAIL_KEY, None)
    request.session.pop(REGISTERED_LETTERS_KEY, None)
    return render(request, "participants/registration/confirmed.html", {"confirmed_email": user.email})


@require_http_methods(["GET", "POST"])
def email_confirm_resend(request: HttpRequest) -> HttpResponse:
    """Ask for the confirmation letter again; the answer is the same whether the address is known or not."""
    form = ResendConfirmationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if mail_request_allowed(kind="email_confirm", email=email, request=request):
            services.email_confirm_resend(email=email, site_url=_site_url(request))
        return render(request, "participants/registration/resent.html", {"email": form.cleaned_data["email"]})
    return render(request, "participants/registration/resend.html", {"form": form})


def _visible_job(request: HttpRequest, job_id: int) -> BackgroundJob:
    """Another person's job answers 404, like a job that does not exist: ids are not to be probed."""
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None or not request.user.has_perm("participants.view_background_job", job):
        raise Http404
    return job


@never_cache
@login_required
def background_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A long job's status page: a progress bar that follows the job (and reloads itself without JS)."""
    job = _visible_job(request, job_id)
    return render(
        request, "participants/jobs/status.html", {"job": job, "started_from": _job_started_from(request, job)}
    )


JOBS_STARTED_FROM_KEY = "participants.jobs_started_from"


def _job_started_from(request: HttpRequest, job: BackgroundJob) -> str:
    """The page the job was started from, for the «back» link: every start form posts and redirects here, so the
    first visit's Referer is that page (same-origin referrer policy); kept in the session for the reloads.
    Without one (a link from a notification), the person's own landing page."""
    remembered = request.session.get(JOBS_STARTED_FROM_KEY, {})
    key = str(job.pk)
    if key not in remembered:
        referer = request.headers.get("Referer", "")
        path = urlsplit(referer).path if referer else ""
        own_host = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
        if own_host and path.startswith("/") and not path.startswith("/jobs/"):
            query = urlsplit(referer).query
            remembered = {**remembered, key: f"{path}?{query}" if query else path}
            # The last few jobs only: the session is not a log.
            request.session[JOBS_STARTED_FROM_KEY] = dict(list(remembered.items())[-20:])
    return remembered.get(key) or landing_url(request.user)


@never_cache
@login_required
def background_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = _visible_job(request, job_id)
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
            "finished": job.is_finished,
        }
    )


@never_cache
@login_required
def background_job_result(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job's file, streamed from storage to its starter only."""
    job = _visible_job(request, job_id)
    if job.status != BackgroundJob.Status.DONE or not job.result_file:
        raise Http404
    filename = job.result_file.name.rsplit("/", 1)[-1]
    try:
        return protected_file_response(
            request,
            job.result_file,
            filename=filename,
            content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
            as_attachment=True,
        )
    except FileNotFoundError:
        raise Http404 from None
