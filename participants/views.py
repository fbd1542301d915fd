"""Sign-in, sign-out and password pages (Django's auth views with our form and templates); the cabinet."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Program, Season

from .cabinet import CabinetContext, cabinet_sections
from .cabinet_subscription import with_ground_labels
from .forms import EmailAuthenticationForm, SchoolApplicationForm
from .models import SchoolApplication
from .selectors import person_enrollments, person_for_user
from .services import person_is_school_administrator, school_application_check, school_application_submit


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
