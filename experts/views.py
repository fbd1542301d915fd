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


# --- The mentor's pairs and the tutor's bank of requests (/expert/mentoring/, /expert/requests/) ----------

from django.urls import NoReverseMatch  # noqa: E402

from .forms import TutorRequestFilterForm, TutorRequestStatusForm  # noqa: E402
from .models import ExpertRole  # noqa: E402
from .rules_mentoring import is_request_tutor  # noqa: E402
from .selectors_tutor_mentor import (  # noqa: E402
    QUIET_DAYS,
    ROUTE_DUE_DAYS,
    is_quiet,
    mentor_pairs,
    tutor_request_for,
    tutor_requests,
    with_role,
)
from .services import individual_requests_set_status  # noqa: E402


def _role_assignments(request: HttpRequest, role: str):
    """The signed-in person and their active assignments in the role; 404 for anyone else."""
    person = person_for_user(request.user)
    assignments = with_role(person_expert_assignments(person), role) if person is not None else []
    if not assignments:
        raise Http404
    return person, assignments


def _consultation_url() -> str:
    """The consultation log lives in another part of the workspace; link to it only when it is there."""
    try:
        return reverse("consultation_create")
    except NoReverseMatch:
        return ""


@login_required
def mentoring_pairs(request: HttpRequest) -> HttpResponse:
    """The mentor's pairs with each mentee's progress in the program."""
    person, mentors = _role_assignments(request, ExpertRole.MENTOR)
    now = timezone.now()
    pairs = mentor_pairs(mentors)
    for pair in pairs:
        pair.quiet = is_quiet(pair, now=now)
    context = {
        "person": person,
        "mentors": mentors,
        "active": [p for p in pairs if p.ended_on is None],
        "ended": [p for p in pairs if p.ended_on is not None],
        "quiet_days": QUIET_DAYS,
        "consultation_url": _consultation_url(),
    }
    return render(request, "experts/mentoring/pairs.html", context)


@login_required
def tutor_request_list(request: HttpRequest) -> HttpResponse:
    """The bank of requests of the tutor's seasons: the tutor's own first, then the new ones, read-only."""
    person, tutors = _role_assignments(request, ExpertRole.TUTOR)
    filters = TutorRequestFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    items = list(tutor_requests(tutors, status=chosen.get("status", ""), form=chosen.get("form", "")))
    tutor_ids = {a.pk for a in tutors}
    context = {
        "person": person,
        "tutors": tutors,
        "filters": filters,
        "mine": [i for i in items if i.tutor_id in tutor_ids],
        "waiting": [i for i in items if i.tutor_id not in tutor_ids],
        "route_due_days": ROUTE_DUE_DAYS,
    }
    return render(request, "experts/requests/list.html", context)


@login_required
def tutor_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: its tutor moves it to «in work» or «done»; a new one of the tutor's season is read-only."""
    _person, tutors = _role_assignments(request, ExpertRole.TUTOR)
    item = tutor_request_for(tutors, pk)
    if item is None:
        raise Http404
    is_tutor = is_request_tutor(request.user, item)
    form = None
    if is_tutor and item.status in {
        IndividualRequest.Status.ASSIGNED,
        IndividualRequest.Status.IN_WORK,
        IndividualRequest.Status.DONE,
    }:
        form = TutorRequestStatusForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                changed, skipped = individual_requests_set_status(
                    requests=[item], to_status=form.cleaned_data["to_status"], reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if changed:
                    messages.success(
                        request,
                        _("Статус запроса «%(topic)s»: %(status)s.")
                        % {
                            "topic": item.topic,
                            "status": IndividualRequest.Status(form.cleaned_data["to_status"]).label,
                        },
                    )
                    return redirect("tutor_request_detail", pk=item.pk)
                why = " ".join(why for _item, why in skipped)
                form.add_error(None, why[:1].upper() + why[1:])
    elif request.method == "POST":
        raise Http404
    context = {"item": item, "is_tutor": is_tutor, "form": form, "route_due_days": ROUTE_DUE_DAYS}
    return render(request, "experts/requests/detail.html", context)
