"""Sign-in, sign-out and password pages (Django's auth views with our form and templates); the cabinet."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .cabinet import CabinetContext, cabinet_sections
from .forms import EmailAuthenticationForm
from .selectors import person_enrollments, person_for_user


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
