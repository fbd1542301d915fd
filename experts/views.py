"""The teacher's pages of the bank of requests (submit, withdraw a new one) and the expert's workspace."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participants.forms import FeedbackForm
from participants.models import Enrollment
from participants.selectors import person_for_user
from participants.services_chat import chat_membership_confirm
from programs.models import Program, Season
from programs.periods import period_of

from .filters import ConsultationFilterSet, TutorRequestFilterSet
from .forms import (
    ConsultationForm,
    IndividualRequestForm,
    LessonVisitForm,
    MentoringMeetingForm,
    TutorRequestStatusForm,
)
from .models import (
    Consultation,
    ExpertAssignment,
    ExpertFeedbackResponse,
    ExpertGroup,
    ExpertRole,
    IndividualRequest,
    MentoringPair,
)
from .rules import (
    can_confirm_chat_membership,
    can_log_visit,
    is_consultation_author,
    is_group_curator,
    is_season_coordinator,
    is_season_methodist,
)
from .rules_mentoring import is_pair_mentor, is_request_tutor
from .selectors import (
    OVERDUE_SHARE,
    current_quarter,
    expert_consultations,
    expert_visits,
    group_members_with_results,
    person_expert_assignments,
    person_requests,
    season_chat_members,
    season_today,
)
from .selectors_obligations import FEEDBACK_ROLES, expert_questions
from .selectors_tutor_mentor import (
    QUIET_DAYS,
    ROUTE_DUE_DAYS,
    mentor_pairs,
    pair_meetings,
    tutor_request_for,
    tutor_requests,
    with_role,
)
from .services import (
    CONSULTING_ROLES,
    consultation_log,
    expert_feedback_submit,
    individual_request_check_enrollment,
    individual_request_submit,
    individual_request_withdraw,
    individual_requests_set_status,
    lesson_visit_log,
    mentoring_meeting_log,
)
from .workspace import WorkspaceContext, workspace_panels

# One confirmation covers at most a season's worth of participants (the guidance's 150, with room to spare).
CHAT_CONFIRM_MAX = 1000


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
    requests = person_requests(person, enrollment=enrollment)
    context = {"enrollment": enrollment, "form": form, "refusal": refusal, "requests": requests}
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


# === Groups, lesson visits and consultations (issue 4, items 3, 4, 7) =====================================
#
# Who may log a visit: the curator of the participant's group, or any active methodist of the participant's
# season (see experts/rules.py). Another person's or a guessed id answers 404, never 403.


def _expert_person(request: HttpRequest):
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    return person


@login_required
def group_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The curator's group: members with entry results, last visit and this quarter's coverage."""
    group = get_object_or_404(ExpertGroup.objects.select_related("season__program", "curator__person"), pk=pk)
    user = request.user
    is_curator = is_group_curator(user, group)
    is_coordinator = is_season_coordinator(user, group)
    is_methodist = not (is_curator or is_coordinator) and is_season_methodist(user, group)
    if not (is_curator or is_coordinator or is_methodist):
        raise Http404
    season = group.season
    quarter = current_quarter(season)
    today = season_today(season)
    members = group_members_with_results(group)
    for member in members:
        member.visited_this_quarter = bool(member.last_visit and member.last_visit >= quarter.starts_on)
        member.can_visit = member.enrollment.status == Enrollment.Status.ACTIVE and (is_curator or is_methodist)
    not_visited = sum(
        1 for m in members if m.enrollment.status == Enrollment.Status.ACTIVE and not m.visited_this_quarter
    )
    context = {
        "group": group,
        "season": season,
        "members": members,
        "show_notes": is_curator or is_coordinator,
        "can_consult": is_curator or is_methodist,
        "quarter": quarter,
        "not_visited": not_visited,
        "overdue": not_visited > 0 and quarter.elapsed(today) > OVERDUE_SHARE,
        "read_only": not is_curator,
    }
    return render(request, "experts/groups/detail.html", context)


def _visit_assignment(person, enrollment: Enrollment) -> ExpertAssignment | None:
    """The assignment a visit is logged under: the group's curator first, else a methodist of the season."""
    membership = getattr(enrollment, "group_membership", None)
    curator_id = membership.group.curator_id if membership is not None else None
    candidates = ExpertAssignment.objects.filter(
        person=person,
        season_id=enrollment.season_id,
        is_active=True,
        role__in=[ExpertRole.CURATOR, ExpertRole.METHODIST],
    )
    for assignment in candidates:
        if assignment.pk == curator_id:
            return assignment
    return next((a for a in candidates if a.role == ExpertRole.METHODIST), None)


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    person = _expert_person(request)
    try:
        enrollment_id = int(request.GET.get("enrollment", ""))
    except ValueError:
        raise Http404 from None
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("person", "season__program", "group_membership__group"), pk=enrollment_id
    )
    if not can_log_visit(request.user, enrollment):
        raise Http404
    expert = _visit_assignment(person, enrollment)
    if expert is None:
        raise Http404
    today = season_today(enrollment.season)
    form = LessonVisitForm(request.POST or None, initial={"visited_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            lesson_visit_log(enrollment=enrollment, expert=expert, today=today, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Посещение урока участника %(name)s записано.") % {"name": enrollment.person.full_name},
            )
            membership = getattr(enrollment, "group_membership", None)
            if membership is not None and membership.group.curator_id == expert.pk:
                return redirect("expert_group", pk=membership.group_id)
            return redirect("expert_visits")
    context = {"form": form, "enrollment": enrollment, "expert": expert}
    return render(request, "experts/visits/form.html", context)


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    person = _expert_person(request)
    if not person.expert_assignments.filter(role__in=[ExpertRole.CURATOR, ExpertRole.METHODIST]).exists():
        raise Http404
    return render(request, "experts/visits/list.html", {"visits": expert_visits(person)})


def _consulting_assignments(person) -> list[ExpertAssignment]:
    return [a for a in person_expert_assignments(person) if a.role in CONSULTING_ROLES]


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    person = _expert_person(request)
    assignments = _consulting_assignments(person)
    if not assignments:
        raise Http404
    chosen = request.GET.get("as", "")
    expert = next((a for a in assignments if str(a.pk) == chosen), None)
    if expert is None and len(assignments) == 1:
        expert = assignments[0]
    preselected = request.GET.get("enrollment", "")
    if expert is None:
        context = {"assignments": assignments, "enrollment": preselected if preselected.isdecimal() else ""}
        return render(request, "experts/consultations/choose.html", context)
    participants = (
        Enrollment.objects.filter(season_id=expert.season_id, status=Enrollment.Status.ACTIVE)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    initial = {"held_at": timezone.localtime(timezone.now(), expert.season.tz).replace(second=0, microsecond=0)}
    if preselected.isdecimal():  # isdigit() passes «²», which int() refuses
        initial["participants"] = [int(preselected)]
    confidential = expert.role == ExpertRole.PSYCHOLOGIST
    form = ConsultationForm(
        request.POST or None,
        initial=initial,
        participants=participants,
        tz=expert.season.tz,
        confidential=confidential,
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation = consultation_log(expert=expert, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Консультация «%(topic)s» записана.") % {"topic": consultation.topic})
            return redirect("expert_consultations")
    context = {"form": form, "expert": expert, "confidential": confidential}
    return render(request, "experts/consultations/form.html", context)


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    person = _expert_person(request)
    assignments = list(person.expert_assignments.filter(role__in=CONSULTING_ROLES).select_related("season__program"))
    if not assignments:
        raise Http404
    filters = ConsultationFilterSet(request.GET or None, expert_consultations(person), assignments=assignments)
    context = {"consultations": list(filters.qs), "filters": filters.form, "filtered": filters.filtered}
    return render(request, "experts/consultations/list.html", context)


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A consultation with its content: for its author only (a psychologist's is confidential)."""
    consultation = get_object_or_404(Consultation.objects.select_related("season__program", "expert__person"), pk=pk)
    if not is_consultation_author(request.user, consultation):
        raise Http404
    participants = consultation.participants.select_related("person").order_by("person__last_name")
    return render(
        request,
        "experts/consultations/detail.html",
        {"consultation": consultation, "participants": participants},
    )


# --- The mentor's pairs and the tutor's bank of requests (/expert/mentoring/, /expert/requests/) ----------


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
    pairs = mentor_pairs(mentors, now=timezone.now())
    context = {
        "person": person,
        "mentors": mentors,
        "active": [p for p in pairs if p.running],
        "ended": [p for p in pairs if not p.running],
        "quiet_days": QUIET_DAYS,
        "consultation_url": _consultation_url(),
    }
    return render(request, "experts/mentoring/pairs.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mentoring_meetings(request: HttpRequest, pair_id: int) -> HttpResponse:
    """The meetings of one of the mentor's own pairs, and the form to log one; another mentor's pair is 404."""
    pair = get_object_or_404(
        MentoringPair.objects.select_related(
            "mentor__person", "mentee__person__organisation", "mentee__season__program", "season"
        ),
        pk=pair_id,
    )
    if not is_pair_mentor(request.user, pair):
        raise Http404
    today = season_today(pair.season)
    form = MentoringMeetingForm(request.POST or None, initial={"held_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            mentoring_meeting_log(pair=pair, by=request.user, today=today, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Встреча с %(name)s записана.") % {"name": pair.mentee.person.full_name})
            return redirect("expert_mentoring_meetings", pair_id=pair.pk)
    context = {
        "pair": pair,
        "meetings": list(pair_meetings(pair)),
        "form": form,
        "quiet_days": QUIET_DAYS,
        "running": pair.ended_on is None or pair.ended_on > today,
    }
    return render(request, "experts/mentoring/meetings.html", context)


@login_required
def tutor_request_list(request: HttpRequest) -> HttpResponse:
    """The bank of requests of the tutor's seasons: the tutor's own first, then the new ones, read-only."""
    person, tutors = _role_assignments(request, ExpertRole.TUTOR)
    filters = TutorRequestFilterSet(request.GET or None, tutor_requests(tutors))
    items = list(filters.qs)
    tutor_ids = {a.pk for a in tutors}
    context = {
        "person": person,
        "tutors": tutors,
        "filters": filters.form,
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


# --- The participants' chat (seed 000 §4.4, §5.7) -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def chat_members(request: HttpRequest, season_id: int) -> HttpResponse:
    """The season's participants with their chat membership: «сообщил(а)», «подтверждено» or nothing yet. The
    technical specialist (who runs the chat) or a coordinator of the season confirms the ones ticked."""
    season = get_object_or_404(Season.objects.select_related("program"), pk=season_id)
    if not can_confirm_chat_membership(request.user, season):
        raise Http404
    if request.method == "POST":
        # isdigit() passes «²», which int() refuses; more than 18 digits overflow the id column.
        posted = request.POST.getlist("enrollment")
        ids = [int(v) for v in posted if v.isdecimal() and len(v) <= 18][:CHAT_CONFIRM_MAX]
        chosen = Enrollment.objects.filter(season=season, pk__in=ids)
        if not ids:
            messages.error(request, _("Отметьте участников, чьё вступление в чат вы подтверждаете."))
        else:
            confirmed, skipped = chat_membership_confirm(enrollments=chosen, by=request.user)
            if confirmed:
                messages.success(request, _("Вступление в чат подтверждено: %(n)s.") % {"n": confirmed})
            for enrollment, why in skipped:
                messages.warning(
                    request, _("%(person)s: не подтверждено — %(why)s.") % {"person": enrollment.person, "why": why}
                )
        return redirect("expert_chat_members", season_id=season.pk)
    members = season_chat_members(season)
    context = {
        "season": season,
        "members": members,
        "claimed": sum(1 for m in members if m.chat_joined_at is None and m.chat_join_claimed_at is not None),
        "confirmed": sum(1 for m in members if m.chat_joined_at is not None),
    }
    return render(request, "experts/chat/members.html", context)


# --- The expert's quarterly feedback (seed 000 §2.2: «от участников и экспертов (минимум раз в квартал)») -----


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def expert_feedback(request: HttpRequest, season_id: int) -> HttpResponse:
    """This quarter's questions for an active expert of the season: one response per quarter, editable until the
    quarter ends. Another season's id, or a season where the person is no active expert, is a 404."""
    person = _expert_person(request)
    mine = list(
        ExpertAssignment.objects.filter(
            person=person, season_id=season_id, is_active=True, role__in=FEEDBACK_ROLES
        ).select_related("season__program")
    )
    if not mine:
        raise Http404
    season = mine[0].season
    now = timezone.now()
    today = season_today(season, now)
    period = period_of(today, 3, season=season)
    context = {"season": season, "period": period}
    questions = (expert_questions([season.pk]).get(season.pk) or []) if season.is_running(today) else []
    if not questions:
        return render(request, "experts/feedback/answer.html", {**context, "closed": True})
    response = (
        ExpertFeedbackResponse.objects.filter(assignment__in=mine, year=period.year, quarter=period.number)
        .prefetch_related("answers")
        .first()
    )
    initial = {}
    if response is not None:
        for answer in response.answers.all():
            value = answer.scale_value if answer.scale_value is not None else answer.text_value
            initial[f"q_{answer.question_id}"] = value
    form = FeedbackForm(request.POST or None, questions=questions, initial=initial, prefix="f")
    if request.method == "POST" and form.is_valid():
        try:
            expert_feedback_submit(
                assignment=mine[0], year=period.year, quarter=period.number, answers=form.answers(), by=request.user
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Спасибо! Ваши ответы за %(quarter)s квартал %(year)s года сохранены. До конца квартала их можно изменить."
                )
                % {"quarter": period.number, "year": period.year},
            )
            return redirect(reverse("expert_workspace") + "#panel-obligations")
    return render(request, "experts/feedback/answer.html", {**context, "form": form, "response": response})
