"""Pages of the professional communities «ПРОкомьюнити» (сид 001): the list of a season's communities, a
community's page, the bank of materials and practices, the district board of points."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.pagination import window_page
from core.protected_files import protected_file_response
from core.uploads import upload_limited, upload_refusal
from participants.models import Enrollment
from participants.roles import user_is_coordinator
from participants.selectors import person_for_user
from programs.models import Season

from . import selectors_communities as sel
from . import services_communities as services
from .community_files import COMMUNITY_FILE_MAX_BYTES, content_type_of
from .filters_communities import BankFilterSet
from .forms_communities import (
    AcceleratorInviteForm,
    CascadeTrainingForm,
    HideForm,
    MeetingForm,
    MotivationScaleForm,
    PracticeForm,
    RatingForm,
    ReportForm,
    ReportPlanForm,
    StatusForm,
)
from .models import Community, CommunityReport, CommunityRole, MotivationScale, Practice
from .models.communities import DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS
from .rules_communities import member_or_curator_q, user_is_management

BANK_PAGE_SIZE = 20
BOARD_PAGE_SIZE = 50
# Stream-time cap a little above the file check's own, so the check (not the cut-off) speaks for near misses.
UPLOAD_CAP = COMMUNITY_FILE_MAX_BYTES + 1024 * 1024


def _season(season_id: int, user) -> Season:
    season = get_object_or_404(Season.objects.select_related("program__municipality"), pk=season_id)
    if not user.has_perm("projects.view_season_communities", season):
        raise Http404
    return season


def _community(pk: int, user) -> Community:
    community = get_object_or_404(
        Community.objects.select_related("season__program", "leader__person", "curator__person"), pk=pk
    )
    if not user.has_perm("projects.view_community", community):
        raise Http404
    return community


def _own_enrollment(user, season: Season) -> Enrollment | None:
    person = person_for_user(user)
    if person is None:
        return None
    return Enrollment.objects.filter(person=person, season=season).first()


def _refusal_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def communities_index(request: HttpRequest) -> HttpResponse:
    """The seasons with communities the user may open: the municipality's for its coordinator and management, their
    own for a member or a curator."""
    user = request.user
    seasons = Season.objects.select_related("program").filter(communities__isnull=False)
    if user.is_superuser:
        pass
    elif user_is_coordinator(user) or user_is_management(user):
        seasons = seasons.filter(program__municipality_id=user.municipality_id)
    else:
        person = person_for_user(user)
        if person is None:
            seasons = seasons.none()
        else:
            seasons = seasons.filter(
                Q(communities__members__enrollment__person=person) | Q(communities__curator__person=person)
            )
    seasons = seasons.distinct().order_by("-starts_on", "program__title", "pk")
    return render(request, "projects/communities/index.html", {"seasons": seasons})


@login_required
def community_list(request: HttpRequest, season_id: int) -> HttpResponse:
    season = _season(season_id, request.user)
    communities = list(sel.communities_of_season(season))
    for community in communities:
        community.staffed = sel.is_staffed(community.active_count)
    mine = set()
    person = person_for_user(request.user)
    if person is not None:
        mine = set(
            Community.objects.filter(season=season).filter(member_or_curator_q(person.pk)).values_list("pk", flat=True)
        )
    return render(
        request,
        "projects/communities/list.html",
        {
            "season": season,
            "communities": communities,
            "mine": mine,
            "minimum": sel.COMMUNITY_MIN_MEMBERS,
            "manages": request.user.has_perm("projects.manage_communities", season),
        },
    )


def _page_context(request, community: Community, **forms) -> dict:
    season = community.season
    members = list(sel.community_members(community))
    active = [m for m in members if m.left_on is None and m.enrollment.status == Enrollment.Status.ACTIVE]
    own = _own_enrollment(request.user, season)
    manages = request.user.has_perm("projects.manage_community", community)
    is_leader = own is not None and community.leader_id == own.pk
    is_member = own is not None and any(m.enrollment_id == own.pk and m.left_on is None for m in members)
    # The active trains (сид 001, каскадное обучение): the coordinator and the leader name any of it, a member of the
    # active their own group (the same rule as rules_communities.is_community_active, from the rows at hand).
    active_trainers = [
        m.enrollment for m in active if m.role != CommunityRole.MEMBER or m.enrollment_id == community.leader_id
    ]
    if manages or is_leader:
        trainers = active_trainers
    else:
        trainers = [e for e in active_trainers if own is not None and e.pk == own.pk]
    return {
        "community": community,
        "season": season,
        "members": members,
        "active_count": len(active),
        "staffed": sel.is_staffed(len(active)),
        "minimum": sel.COMMUNITY_MIN_MEMBERS,
        "meetings": list(sel.community_meetings(community)),
        "trainings": list(sel.community_trainings(community)),
        "reports": list(sel.community_reports(community)),
        "practices": list(sel.bank(season).filter(community=community)[:5]),
        "manages": manages,
        "is_leader": is_leader,
        "is_member": is_member,
        "status_form": forms.get("status_form") or StatusForm(initial={"status": community.status}),
        "meeting_form": forms.get("meeting_form") or MeetingForm(),
        "report_form": forms.get("report_form") or ReportForm(),
        "report_target": forms.get("report_target"),
        "report_plan_form": forms.get("report_plan_form")
        or (ReportPlanForm(initial={"year": timezone.localdate(timezone=season.tz).year}) if manages else None),
        "trainers": trainers,
        "training_form": forms.get("training_form")
        or (CascadeTrainingForm(trainers=trainers, season=season) if trainers else None),
    }


@login_required
def community_detail(request: HttpRequest, pk: int) -> HttpResponse:
    community = _community(pk, request.user)
    return render(request, "projects/communities/detail.html", _page_context(request, community))


@login_required
@require_POST
def community_status(request: HttpRequest, pk: int) -> HttpResponse:
    community = _community(pk, request.user)
    if not request.user.has_perm("projects.manage_community", community):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.community_status_set(community=community, status=form.cleaned_data["status"], by=request.user)
        except ValidationError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("Состояние сообщества сохранено."))
            return redirect("community_detail", pk=community.pk)
    context = _page_context(request, community, status_form=form)
    return render(request, "projects/communities/detail.html", context, status=400)


@login_required
@require_POST
def community_meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    community = _community(pk, request.user)
    with timezone.override(community.season.tz):
        form = MeetingForm(request.POST)
        valid = form.is_valid()
    if valid:
        try:
            services.community_meeting_schedule(community=community, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("Встреча назначена, участники сообщества приглашены."))
            return redirect("community_detail", pk=community.pk)
    context = _page_context(request, community, meeting_form=form)
    return render(request, "projects/communities/detail.html", context, status=400)


@login_required
@require_POST
def community_training_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A cascade-training group scheduled from the community's page (сид 001: «Внедрение в районе каскадного
    обучения педагогических работников с опорой на актив ПРОкомьюнити»)."""
    community = _community(pk, request.user)
    if not request.user.has_perm("projects.schedule_cascade_training", community):
        raise PermissionDenied
    context = _page_context(request, community)
    with timezone.override(community.season.tz):
        form = CascadeTrainingForm(request.POST, trainers=context["trainers"], season=community.season)
        valid = form.is_valid()
    if valid:
        data = form.cleaned_data
        try:
            training = services.cascade_training_schedule(
                community=community,
                trainer=data["trainer"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                trainees=list(data["trainees"]),
                place=data["place"],
                by=request.user,
            )
        except ValidationError as error:
            _refusal_to_form(form, error)
        else:
            invited = training.session.invited.count()
            messages.success(
                request,
                _("Занятие каскадного обучения назначено, приглашено педагогов: %(n)d.") % {"n": invited},
            )
            return redirect(reverse("community_detail", args=[community.pk]) + "#trainings")
    context["training_form"] = form
    return render(request, "projects/communities/detail.html", context, status=400)


@login_required
@require_POST
def community_report_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator sets a half-year report's due date on the community's page (сид 001, «Определение целей и
    отчетности»: «необходимость отчитываться»)."""
    community = _community(pk, request.user)
    if not request.user.has_perm("projects.manage_community", community):
        raise PermissionDenied
    form = ReportPlanForm(request.POST)
    if form.is_valid():
        try:
            report = services.community_report_plan(community=community, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(
                request,
                _("Отчёт запланирован: %(half)s %(year)s, срок сдачи %(due)s.")
                % {"half": report.get_half_display(), "year": report.year, "due": report.due_on.strftime("%d.%m.%Y")},
            )
            return redirect(reverse("community_detail", args=[community.pk]) + "#reports")
    context = _page_context(request, community, report_plan_form=form)
    return render(request, "projects/communities/detail.html", context, status=400)


def _report(pk: int, user) -> CommunityReport:
    report = get_object_or_404(CommunityReport.objects.select_related("community__season__program"), pk=pk)
    if not user.has_perm("projects.view_community", report.community):
        raise Http404
    return report


@upload_limited(UPLOAD_CAP)
@login_required
@require_POST
def community_report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk, request.user)
    form = ReportForm(request.POST, request.FILES, upload_error=upload_refusal(request))
    if form.is_valid():
        try:
            services.community_report_submit(
                report=report, text=form.cleaned_data["text"], file=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("Отчёт сдан: координатор его проверит."))
            return redirect("community_detail", pk=report.community_id)
    context = _page_context(request, report.community, report_form=form, report_target=report.pk)
    return render(request, "projects/communities/detail.html", context, status=400)


@login_required
@require_POST
def community_report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk, request.user)
    try:
        services.community_report_accept(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Отчёт принят."))
    return redirect("community_detail", pk=report.community_id)


@login_required
@require_http_methods(["GET", "HEAD"])
def community_report_file(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk, request.user)
    return _file_response(request, report.file, f"report-{report.pk}")


def _file_response(request, file, stem: str) -> HttpResponse:
    if not file:
        raise Http404
    extension = file.name.rsplit(".", 1)[-1].lower()
    try:
        response = protected_file_response(
            request, file, as_attachment=True, filename=f"{stem}.{extension}", content_type=content_type_of(file.name)
        )
    except FileNotFoundError:
        raise Http404 from None
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- The bank ------------------------------------------------------------------------------------------------------


@login_required
def community_bank(request: HttpRequest, season_id: int) -> HttpResponse:
    season = _season(season_id, request.user)
    manages = request.user.has_perm("projects.manage_communities", season)
    filterset = BankFilterSet(request.GET or None, queryset=sel.bank(season, include_hidden=manages), season=season)
    rows = filterset.qs.order_by("-created_at", "-pk")
    page = window_page(rows, BANK_PAGE_SIZE, request.GET.get("page"))
    own = _own_enrollment(request.user, season)
    rated = sel.my_ratings(own, [p.pk for p in page])
    can_add = own is not None and own.community_memberships.filter(community__season=season, left_on__isnull=True)
    return render(
        request,
        "projects/communities/bank.html",
        {
            "season": season,
            "filter": filterset,
            "page": page,
            "rated": rated,
            "own": own,
            "manages": manages,
            "my_communities": list(
                Community.objects.filter(season=season, members__enrollment=own, members__left_on__isnull=True)
            )
            if can_add
            else [],
            "rating_form": RatingForm(),
            "hide_form": HideForm(),
        },
    )


@upload_limited(UPLOAD_CAP)
@login_required
@require_http_methods(["GET", "POST"])
def practice_new(request: HttpRequest, pk: int) -> HttpResponse:
    community = _community(pk, request.user)
    own = _own_enrollment(request.user, community.season)
    if own is None or not community.members.filter(enrollment=own, left_on__isnull=True).exists():
        raise PermissionDenied
    if request.method == "POST":
        form = PracticeForm(request.POST, request.FILES, upload_error=upload_refusal(request))
        if form.is_valid():
            try:
                services.practice_add(community=community, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _refusal_to_form(form, error)
            else:
                messages.success(request, _("Материал добавлен в банк."))
                return redirect("community_bank", season_id=community.season_id)
    else:
        form = PracticeForm()
    return render(request, "projects/communities/practice_form.html", {"community": community, "form": form})


def _practice(pk: int, user) -> Practice:
    practice = get_object_or_404(Practice.objects.select_related("community__season__program"), pk=pk)
    season = practice.community.season
    if not user.has_perm("projects.view_season_communities", season):
        raise Http404
    if practice.hidden_at and not user.has_perm("projects.manage_communities", season):
        raise Http404
    return practice


@login_required
@require_POST
def practice_rate(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(pk, request.user)
    form = RatingForm(request.POST)
    back = reverse("community_bank", args=[practice.community.season_id])
    if not form.is_valid():
        messages.error(request, _("Выберите оценку от 1 до 5."))
        return redirect(back)
    try:
        services.practice_rate(practice=practice, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Спасибо, оценка учтена."))
    return redirect(back)


@login_required
@require_POST
def practice_hide(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(pk, request.user)
    if not request.user.has_perm("projects.manage_communities", practice.community.season):
        raise PermissionDenied
    form = HideForm(request.POST)
    back = reverse("community_bank", args=[practice.community.season_id])
    if not form.is_valid():
        messages.error(request, _("Укажите причину, по которой материал скрыт."))
        return redirect(back)
    services.practice_hide(practice=practice, reason=form.cleaned_data["reason"], by=request.user)
    messages.success(request, _("Материал скрыт."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "HEAD"])
def practice_file(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(pk, request.user)
    return _file_response(request, practice.file, f"practice-{practice.pk}")


# --- The board -----------------------------------------------------------------------------------------------------


@login_required
def community_board(request: HttpRequest, season_id: int) -> HttpResponse:
    """The district board of points; a name only with the rating-publication consent («Участник №…» otherwise), as
    on the participants' leaderboard."""
    season = _season(season_id, request.user)
    rows, scale = sel.board(season)
    page = window_page(rows, BOARD_PAGE_SIZE, request.GET.get("page"))
    for row in page:
        row.level = scale.level(row.points)
    own = _own_enrollment(request.user, season)
    return render(
        request,
        "projects/communities/board.html",
        {"season": season, "page": page, "scale": scale, "own": own},
    )


# --- «Prof-акселератор» --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def community_accelerator(request: HttpRequest, season_id: int) -> HttpResponse:
    """The coordinator invites the season's community leaders to the sessions of the «Prof-акселератор» module (сид
    001: «Создание особых возможностей для лидеров… – «Prof-акселератор» по трем направлениям»); the page is the
    confirmation: who is invited to which module, then one button."""
    season = _season(season_id, request.user)
    if not request.user.has_perm("projects.manage_communities", season):
        raise PermissionDenied
    modules = sel.accelerator_modules(season)
    leaders = list(sel.leaders_with_people(season))
    status = 200
    if request.method == "POST":
        form = AcceleratorInviteForm(request.POST, modules=modules)
        if form.is_valid() and not leaders:
            form.add_error(None, _("В сезоне ещё нет лидеров сообществ: приглашать некого."))
        if form.is_valid():
            module = form.cleaned_data["module"]
            added = services.accelerator_invite_leaders(module=module, by=request.user)
            if added:
                messages.success(
                    request,
                    _("Лидеры сообществ приглашены на занятия модуля «%(module)s»: добавлено приглашений — %(n)d.")
                    % {"module": module.title, "n": added},
                )
            else:
                messages.info(
                    request,
                    _("Все лидеры сообществ уже приглашены на занятия модуля «%(module)s».") % {"module": module.title},
                )
            return redirect("community_list", season_id=season.pk)
        status = 400
    else:
        choices = list(modules)
        chosen = next((m for m in choices if "акселератор" in m.title.lower()), choices[0] if choices else None)
        form = AcceleratorInviteForm(initial={"module": chosen}, modules=modules)
    return render(
        request,
        "projects/communities/accelerator.html",
        {"season": season, "form": form, "leaders": leaders, "has_modules": modules.exists()},
        status=status,
    )


# --- The points scale ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def community_scale(request: HttpRequest, season_id: int) -> HttpResponse:
    """The season's motivation scale (сид 001: «Построение системы мотивации и геймификации»): the coordinator sets
    the points and thresholds; the seed names no numbers, so each field shows the portal's default."""
    season = _season(season_id, request.user)
    if not request.user.has_perm("projects.manage_communities", season):
        raise PermissionDenied
    row = MotivationScale.objects.filter(season=season).first()
    status = 200
    if request.method == "POST" and "reset" in request.POST:
        services.motivation_scale_reset(season=season, by=request.user)
        messages.success(request, _("Шкала баллов сезона возвращена к значениям портала по умолчанию."))
        return redirect("community_scale", season_id=season.pk)
    if request.method == "POST":
        form = MotivationScaleForm(request.POST, instance=row or MotivationScale(season=season))
        if form.is_valid():
            try:
                services.motivation_scale_set(season=season, values=form.cleaned_data, by=request.user)
            except ValidationError as error:
                _refusal_to_form(form, error)
            else:
                messages.success(request, _("Шкала баллов сезона сохранена: доска баллов считает по ней."))
                return redirect("community_scale", season_id=season.pk)
        status = 400
    else:
        form = MotivationScaleForm(instance=row or MotivationScale(season=season))
    defaults = {**DEFAULT_WEIGHTS, **DEFAULT_THRESHOLDS}
    rows = [
        {"label": form.fields[name].label, "value": getattr(row, name) if row else defaults[name], "default": n}
        for name, n in defaults.items()
    ]
    return render(
        request,
        "projects/communities/scale.html",
        {"season": season, "form": form, "is_default": row is None, "rows": rows},
        status=status,
    )
