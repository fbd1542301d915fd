"""The pages of the personnel reserve («Школа Лидеров образования», сид 001).

The coordinator of a municipality keeps its reserve: the list with its flags, a member's page with the status,
trajectory, yearly analyses, «Школа молодого директора» and attendance, the yearly update and the yearly report.
The leaders' school's psychologist records diagnostics on a member's page; a member sees and reports on their own
trajectory. Anyone else — another municipality's coordinator, a director, another member — gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.dates import year_in_range
from core.import_templates import XLSX_CONTENT_TYPE
from participants.selectors import person_for_user

from .dates import municipality_today
from .exports_reserve import year_report_xlsx
from .forms_reserve import (
    ReserveAnalysisForm,
    ReserveDiagnosticForm,
    ReserveFilterForm,
    ReserveMemberForm,
    ReserveReviewForm,
    ReserveStatusForm,
    TrajectoryItemForm,
    TrajectoryReportForm,
    YoungDirectorForm,
)
from .models.reserve import ReserveMember, ReserveStatus, TrajectoryItem
from .rules_reserve import (
    can_manage_reserve,
    can_record_diagnostic,
    can_report_item,
    can_view_reserve_member,
    is_reserve_coordinator,
)
from .selectors_reserve import (
    CURRENT,
    analysis_due_year,
    member_analyses,
    member_attendance,
    member_diagnostics,
    member_for_page,
    member_status_changes,
    member_trajectory,
    member_young_director,
    members_missing_analysis,
    person_memberships,
    reserve_members,
    review_state,
    year_report,
)
from .services_reserve import (
    leaders_school_psychologist,
    reserve_analysis_record,
    reserve_diagnostic_record,
    reserve_member_add,
    reserve_member_set_status,
    reserve_review_record,
    trajectory_item_add,
    trajectory_item_report,
    trajectory_item_update,
    young_director_record,
)


def _municipality(request: HttpRequest):
    """The coordinator's municipality; 404 for anyone who does not keep a reserve."""
    municipality = request.user.municipality if request.user.municipality_id else None
    if municipality is None or not can_manage_reserve(request.user, municipality):
        raise Http404
    return municipality


def _member(request: HttpRequest, pk: int, *, manage: bool = True) -> ReserveMember:
    """A member of the reserve the user may see (manage=True: may write); 404 otherwise, missing or not."""
    user = request.user
    if user.municipality_id and is_reserve_coordinator(user, user.municipality):
        member = member_for_page(user.municipality_id, pk)
    elif manage:
        member = None
    else:
        member = (
            ReserveMember.objects.select_related("person__organisation", "organisation", "municipality")
            .filter(pk=pk)
            .first()
        )
        if member is not None and not can_view_reserve_member(user, member):
            member = None
    if member is None:
        raise Http404
    return member


def _fail(form, exc: ValidationError) -> None:
    """A service's field errors go to the form's fields where it has them, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@never_cache
@login_required
@require_GET
def reserve_list(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    today = municipality_today(municipality)
    filters = ReserveFilterForm(request.GET or None, municipality=municipality)
    data = filters.cleaned_data if filters.is_valid() else {}
    organisation = data.get("organisation")
    members = list(
        reserve_members(
            municipality,
            today=today,
            status=data.get("status", ""),
            source=data.get("source", ""),
            organisation_id=organisation.pk if organisation else None,
            query=(data.get("q") or "").strip(),
            missing_analysis=bool(data.get("missing_analysis")),
        )
    )
    context = {
        "municipality": municipality,
        "filters": filters,
        "filtered": bool(data and any(data.values())),
        "members": members,
        "today": today,
        "review": review_state(municipality, today=today),
        "missing_analysis": members_missing_analysis(municipality, today=today),
        "analysis_year": analysis_due_year(today),
        "report_years": list(range(today.year, today.year - 4, -1)),
        "current": CURRENT,
    }
    return render(request, "projects/reserve/list.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reserve_member_new(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = ReserveMemberForm(
        request.POST or None, municipality=municipality, initial={"listed_on": municipality_today(municipality)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = reserve_member_add(municipality=municipality, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("%(name)s внесён(а) в список резерва.") % {"name": member.person.full_name})
            return redirect("reserve_member", member.pk)
    return render(request, "projects/reserve/member_form.html", {"form": form, "municipality": municipality})


# The member page holds several forms with fields of the same names: each form's ids get its own prefix.
AUTO_IDS = {
    "status_form": "status_%s",
    "item_form": "item_%s",
    "analysis_form": "analysis_%s",
    "young_form": "young_%s",
    "diagnostic_form": "diagnostic_%s",
}


def _member_page(request: HttpRequest, member: ReserveMember, *, status: int = 200, **forms) -> HttpResponse:
    today = municipality_today(member.municipality)
    manager = can_manage_reserve(request.user, member)
    context = {"member": member, "today": today, "manager": manager}
    if manager:
        items = member_trajectory(member)
        for item in items:
            item.overdue = item.is_overdue(today)
        context |= {
            "changes": member_status_changes(member),
            "items": items,
            "analyses": member_analyses(member),
            "young_director": member_young_director(member),
            "attendance": member_attendance(member),
            "status_form": forms.get("status_form")
            or ReserveStatusForm(initial={"on": today}, auto_id=AUTO_IDS["status_form"]),
            "item_form": forms.get("item_form") or TrajectoryItemForm(auto_id=AUTO_IDS["item_form"]),
            "analysis_form": forms.get("analysis_form")
            or ReserveAnalysisForm(
                initial={"year": today.year, "consulted_on": today}, auto_id=AUTO_IDS["analysis_form"]
            ),
            "young_form": forms.get("young_form")
            or YoungDirectorForm(initial={"year": today.year}, auto_id=AUTO_IDS["young_form"]),
        }
    context["diagnostics"] = member_diagnostics(member, request.user)
    if can_record_diagnostic(request.user, member):
        context["diagnostic_form"] = forms.get("diagnostic_form") or ReserveDiagnosticForm(
            initial={"year": today.year, "held_on": today}, auto_id=AUTO_IDS["diagnostic_form"]
        )
    return render(request, "projects/reserve/member.html", context, status=status)


@never_cache
@login_required
@require_GET
def reserve_member(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_page(request, _member(request, pk, manage=False))


def _post(request, pk, form_class, key, service, success, **extra):
    member = _member(request, pk)
    form = form_class(request.POST, auto_id=AUTO_IDS[key])
    if form.is_valid():
        try:
            service(member=member, by=request.user, **form.cleaned_data, **extra)
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, success)
            return redirect("reserve_member", member.pk)
    return _member_page(request, member, status=400, **{key: form})


@login_required
@require_POST
def reserve_member_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, ReserveStatusForm, "status_form", reserve_member_set_status, _("Статус изменён."))


@login_required
@require_POST
def reserve_item_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, TrajectoryItemForm, "item_form", trajectory_item_add, _("Пункт траектории добавлен."))


@login_required
@require_POST
def reserve_analysis_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        ReserveAnalysisForm,
        "analysis_form",
        reserve_analysis_record,
        _("Анализ и консультация записаны."),
    )


@login_required
@require_POST
def reserve_young_director(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        YoungDirectorForm,
        "young_form",
        young_director_record,
        _("Участие в «Школе молодого директора» записано."),
    )


@login_required
@require_POST
def reserve_diagnostic_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, manage=False)
    if not can_record_diagnostic(request.user, member):
        raise Http404
    form = ReserveDiagnosticForm(request.POST, auto_id=AUTO_IDS["diagnostic_form"])
    if form.is_valid():
        psychologist = leaders_school_psychologist(request.user, member.municipality_id)
        try:
            reserve_diagnostic_record(member=member, psychologist=psychologist, **form.cleaned_data)
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Диагностика записана. Её содержание видите только вы."))
            return redirect("reserve_member", member.pk)
    return _member_page(request, member, status=400, diagnostic_form=form)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reserve_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = _municipality(request)
    item = (
        TrajectoryItem.objects.select_related("member__person", "member__municipality")
        .filter(pk=pk, member__municipality=municipality)
        .first()
    )
    if item is None:
        raise Http404
    initial = {"kind": item.kind, "title": item.title, "due_on": item.due_on, "state": item.state}
    form = TrajectoryItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            trajectory_item_update(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Пункт траектории сохранён."))
            return redirect("reserve_member", item.member_id)
    return render(request, "projects/reserve/item_form.html", {"form": form, "item": item})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reserve_review(request: HttpRequest) -> HttpResponse:
    """«Обновление состава кадрового резерва — ежегодно, декабрь – март» (сид 001, 2.8)."""
    municipality = _municipality(request)
    today = municipality_today(municipality)
    members = list(
        ReserveMember.objects.filter(municipality=municipality, status__in=(*CURRENT, ReserveStatus.EXCLUDED))
        .select_related("person", "organisation")
        .order_by("status", "person__last_name", "person__first_name", "pk")
    )
    form = ReserveReviewForm(request.POST or None, members=members, initial={"held_on": today})
    if request.method == "POST" and form.is_valid():
        kept, added, removed = form.decisions()
        try:
            review = reserve_review_record(
                municipality=municipality,
                held_on=form.cleaned_data["held_on"],
                decision=form.cleaned_data["decision"],
                notes=form.cleaned_data["notes"],
                kept=kept,
                added=added,
                removed=removed,
                by=request.user,
            )
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("%(review)s записано.") % {"review": review})
            return redirect("reserve_list")
    context = {"form": form, "municipality": municipality, "review": review_state(municipality, today=today)}
    return render(request, "projects/reserve/review_form.html", context)


@never_cache
@login_required
@require_GET
def reserve_report(request: HttpRequest) -> HttpResponse:
    """The yearly report (XLSX): the reserve by status and source, the year's work, the members."""
    municipality = _municipality(request)
    text = request.GET.get("year", "")
    year = int(text) if year_in_range(text) else municipality_today(municipality).year
    content = year_report_xlsx(year_report(municipality, year=year))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="kadrovyj-rezerv-{year}.xlsx"'
    return response


# --- The member's own pages -------------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def my_trajectory(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    memberships = person_memberships(person) if person is not None else []
    if not memberships:
        raise Http404
    for member in memberships:
        today = municipality_today(member.municipality)
        for item in member.trajectory_items.all():
            item.overdue = item.is_overdue(today)
    return render(request, "projects/reserve/my.html", {"memberships": memberships})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_trajectory_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = TrajectoryItem.objects.select_related("member__person", "member__municipality").filter(pk=pk).first()
    if item is None or not can_report_item(request.user, item):
        raise Http404
    form = TrajectoryReportForm(request.POST or None, initial={"report": item.report})
    if request.method == "POST" and form.is_valid():
        try:
            trajectory_item_report(item=item, person=item.member.person, report=form.cleaned_data["report"])
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Отчёт сохранён."))
            return redirect("my_trajectory")
    return render(request, "projects/reserve/report_form.html", {"form": form, "item": item})
