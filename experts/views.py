"""The teacher's pages of the bank of requests (submit, withdraw a new one) and the expert's workspace."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.models import Enrollment
from participants.selectors import person_for_user
from programs.models import Program

from .forms import IndividualRequestForm
from .models import IndividualRequest
from .selectors import person_expert_assignments
from .services import individual_request_check_enrollment, individual_request_submit, individual_request_withdraw
from .workspace import WorkspaceContext, workspace_panels


def _my_requests_url() -> str:
    return f"{reverse('cabinet')}#my-requests"


@login_required
def individual_request_create(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    # Someone else's enrollment, or one outside the Subscription, does not exist for this teacher.
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("season__program"),
        pk=enrollment_id,
        person=person,
        season__program__kind=Program.Kind.SUBSCRIPTION,
    )
    try:
        individual_request_check_enrollment(enrollment)
    except ValidationError as exc:
        refusal = " ".join(exc.messages)
    else:
        refusal = ""
    form = None
    if not refusal:
        form = IndividualRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                individual_request_submit(enrollment=enrollment, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Запрос отправлен в банк запросов. Координатор назначит тьютора и составит маршрут.")
                )
                return redirect(_my_requests_url())
    context = {"enrollment": enrollment, "form": form, "refusal": refusal}
    return render(request, "experts/request_form.html", context)


@login_required
@require_POST
def individual_request_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    item = get_object_or_404(IndividualRequest, pk=pk, enrollment__person=person)
    try:
        individual_request_withdraw(individual_request=item, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Запрос «%(topic)s» отозван.") % {"topic": item.topic})
    return redirect(_my_requests_url())


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """The expert's workspace: a panel per role and season, each with what waits and what is overdue."""
    person = person_for_user(request.user)
    assignments = person_expert_assignments(person) if person is not None else []
    if not assignments:
        return render(request, "experts/workspace/no_assignments.html", status=200)
    ctx = WorkspaceContext(request=request, person=person, assignments=assignments, now=timezone.now())
    return render(
        request,
        "experts/workspace/workspace.html",
        {"person": person, "assignments": assignments, "panels": workspace_panels(ctx)},
    )
