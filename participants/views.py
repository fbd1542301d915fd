"""Sign-in, sign-out and password pages (Django's auth views with our form and templates); the cabinet."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from programs.models import Program, Season

from . import personal_data
from .cabinet import CabinetContext, cabinet_sections
from .cabinet_subscription import with_ground_labels
from .feedback import feedback_is_open, season_quarter, season_questions
from .forms import EmailAuthenticationForm, EraseForm, FeedbackForm, SchoolApplicationForm, WithdrawForm
from .models import Enrollment, FeedbackResponse, SchoolApplication
from .selectors import person_enrollments, person_for_user
from .services import (
    enrollment_withdraw_by_participant,
    feedback_submit,
    person_erase,
    person_is_school_administrator,
    personal_data_export_record,
    school_application_check,
    school_application_submit,
)


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            # Demo accounts are listed by settings (filled by the demo loader's owner), never in production.
            context["demo_accounts"] = list(getattr(settings, "DEMO_ACCOUNTS", []))
            context["demo_password"] = getattr(settings, "DEMO_PASSWORD", "")
        return context


class PasswordResetView(auth_views.PasswordResetView):
    # E-mails are subject / text / html triplets under templates/emails/.
    subject_template_name = "emails/password_reset/subject.txt"
    email_template_name = "emails/password_reset/body.txt"
    html_email_template_name = "emails/password_reset/body.html"

    @property
    def extra_email_context(self):
        # Without django.contrib.sites the site name would be the bare host name.
        return {"site_name": settings.PORTAL_NAME}


@login_required
def cabinet(request):
    person = person_for_user(request.user)
    if person is None:
        # Staff accounts without a person record have nothing to show here.
        return render(request, "participants/cabinet/no_person.html", status=200)
    ctx = CabinetContext(request=request, person=person, enrollments=person_enrollments(person), now=timezone.now())
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
        admin_url = request.build_absolute_uri(reverse("admin:participants_enrollment_change", args=[enrollment.pk]))
        try:
            enrollment_withdraw_by_participant(
                enrollment=enrollment, by=request.user, reason=form.cleaned_data["reason"], admin_url=admin_url
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Вы вышли из программы «%(program)s». Координатор программы получил уведомление.")
                % {"program": enrollment.season.program.title},
            )
            return redirect(reverse("cabinet") + "#cabinet-participation")
    return render(request, "participants/withdraw/confirm.html", {"enrollment": enrollment, "form": form})


def _my_person(request):
    person = person_for_user(request.user)
    if person is None:
        # Staff accounts without a person record hold no participant's data.
        raise Http404
    return person


def _my_data_page(request, person, erase_form):
    sections = personal_data.personal_data_collect(person)
    return render(
        request,
        "participants/my_data/page.html",
        {"person": person, "sections": sections, "erase_form": erase_form},
    )


@never_cache
@login_required
def my_data(request):
    """What the portal holds about me, the downloads and the erasure request (152-FZ)."""
    person = _my_person(request)
    return _my_data_page(request, person, EraseForm(user=request.user))


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
