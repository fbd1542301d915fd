"""The half-year monitoring pages (seed 002, разд. 7), next to the KPI dashboard: a municipality's half-year
snapshots, one half-year's monitoring (frozen indicators, the analysis, targeted recommendations), two half-years
side by side, and the monitoring report as PDF and XLSX.

Who may do what is reports.rules (read_/edit_half_year_monitoring, the object being the snapshot's
municipality): coordinators of the municipality write, its management and school directors read, anyone else is
answered 404 like a missing page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programs.models import Municipality

from .filters import MonitoringListFilterSet
from .forms_monitoring import MonitoringAnalysisForm, MonitoringCompareForm, MonitoringRecommendationForm
from .models import KpiSnapshot, MonitoringRecommendation
from .monitoring import (
    monitoring_analysis_save,
    monitoring_recommendation_add,
    monitoring_recommendation_delete,
    monitoring_report_approve,
)
from .monitoring_exports import monitoring_pdf, monitoring_xlsx, report_filename
from .rules import monitoring_home_municipality
from .selectors_monitoring import (
    monitoring_compare,
    monitoring_page,
    order_clause,
    period_snapshot_get,
    period_snapshots,
    previous_snapshot,
)

READ, EDIT = "reports.read_half_year_monitoring", "reports.edit_half_year_monitoring"


def _snapshot_or_404(request: HttpRequest, pk: int, perm: str = READ) -> KpiSnapshot:
    snapshot = period_snapshot_get(pk)
    if snapshot is None or not request.user.has_perm(perm, snapshot.municipality):
        raise Http404
    return snapshot


def _monitoring_filters(request: HttpRequest) -> MonitoringListFilterSet:
    """The municipality asked for: a superuser chooses any, everyone else reads their own (or their school's).
    Another one, or one that does not exist, is answered 404 like a missing page (docs/decisions/0001)."""
    home = monitoring_home_municipality(request.user)
    if request.user.is_superuser:
        readable = Municipality.objects.order_by("name")
    elif home is None or not request.user.has_perm(READ, home):
        raise Http404
    else:
        readable = Municipality.objects.filter(pk=home.pk)
    filters = MonitoringListFilterSet(
        request.GET or None, period_snapshots(readable), municipalities=readable, default=home
    )
    if filters.errors:
        raise Http404
    return filters


@login_required
@require_safe
def monitoring_list(request: HttpRequest) -> HttpResponse:
    filters = _monitoring_filters(request)
    municipality = filters.shown_municipality
    return render(
        request,
        "reports/monitoring/list.html",
        {
            "municipality": municipality,
            "choices": filters.form.fields["municipality"].queryset if request.user.is_superuser else [],
            "snapshots": list(filters.qs),
            "order_clause": order_clause(),
            "may_edit": municipality is not None and request.user.has_perm(EDIT, municipality),
        },
    )


def _render_detail(request, snapshot, *, analysis_form=None, recommendation_form=None, status=200):
    page = monitoring_page(snapshot)
    may_edit = request.user.has_perm(EDIT, snapshot.municipality) and not page.is_approved
    if may_edit:
        analysis_form = analysis_form or MonitoringAnalysisForm(initial={"analysis": page.analysis})
        recommendation_form = recommendation_form or MonitoringRecommendationForm(snapshot=snapshot)
    context = {
        "page": page,
        "snapshot": snapshot,
        "may_edit": may_edit,
        "analysis_form": analysis_form,
        "recommendation_form": recommendation_form,
        "order_clause": order_clause(),
    }
    return render(request, "reports/monitoring/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def monitoring_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The half-year's monitoring; a coordinator's POST saves the analysis."""
    if request.method != "POST":
        return _render_detail(request, _snapshot_or_404(request, pk))
    snapshot = _snapshot_or_404(request, pk, EDIT)
    form = MonitoringAnalysisForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, snapshot, analysis_form=form)
    try:
        monitoring_analysis_save(
            snapshot=snapshot, analysis=form.cleaned_data["analysis"], by=request.user, now=timezone.now()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Анализ сохранён."))
    return redirect("monitoring_detail", pk=snapshot.pk)


@login_required
@require_POST
def monitoring_recommendation_new(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, pk, EDIT)
    form = MonitoringRecommendationForm(request.POST, snapshot=snapshot)
    if not form.is_valid():
        return _render_detail(request, snapshot, recommendation_form=form)
    try:
        monitoring_recommendation_add(snapshot=snapshot, by=request.user, now=timezone.now(), **form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field, errors)
            return _render_detail(request, snapshot, recommendation_form=form)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Рекомендация добавлена."))
    return redirect("monitoring_detail", pk=snapshot.pk)


@login_required
@require_POST
def monitoring_recommendation_remove(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, pk, EDIT)
    recommendation = (
        MonitoringRecommendation.objects.select_related("report__snapshot")
        .filter(pk=recommendation_pk, report__snapshot=snapshot)
        .first()
    )
    if recommendation is None:
        raise Http404
    try:
        monitoring_recommendation_delete(recommendation=recommendation, by=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Рекомендация удалена."))
    return redirect("monitoring_detail", pk=snapshot.pk)


@login_required
@require_POST
def monitoring_approve(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, pk, EDIT)
    try:
        monitoring_report_approve(snapshot=snapshot, by=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Отчёт о мониторинге утверждён."))
    return redirect("monitoring_detail", pk=snapshot.pk)


def _pair(request: HttpRequest, snapshot: KpiSnapshot) -> tuple[MonitoringCompareForm, KpiSnapshot | None]:
    """The half-year set beside `snapshot`: the one chosen in ?other=, by default the half before it."""
    if "other" in request.GET:
        form = MonitoringCompareForm(request.GET, snapshot=snapshot)
        if form.is_valid():
            return form, form.cleaned_data["other"]
        return form, None
    other = previous_snapshot(snapshot)
    return MonitoringCompareForm(initial={"other": other}, snapshot=snapshot), other


@login_required
@require_safe
def monitoring_compare_view(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, pk)
    form, other = _pair(request, snapshot)
    earlier, later = (other, snapshot) if other is None or _before(other, snapshot) else (snapshot, other)
    rows = monitoring_compare(earlier, later) if other is not None else []
    context = {"snapshot": snapshot, "form": form, "earlier": earlier, "later": later, "rows": rows}
    return render(request, "reports/monitoring/compare.html", context)


def _before(a: KpiSnapshot, b: KpiSnapshot) -> bool:
    if a.year and a.half and b.year and b.half and (a.year, a.half) != (b.year, b.half):
        return (a.year, a.half) < (b.year, b.half)
    return (a.taken_on, a.pk) < (b.taken_on, b.pk)


@login_required
@require_safe
def monitoring_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, pk)
    response = HttpResponse(monitoring_pdf(monitoring_page(snapshot)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(snapshot, "pdf")}"'
    return response


@login_required
@require_safe
def monitoring_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, pk)
    previous = previous_snapshot(snapshot)
    comparison = monitoring_compare(previous, snapshot) if previous is not None else []
    content = monitoring_xlsx(monitoring_page(snapshot), previous=previous, comparison=comparison)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(snapshot, "xlsx")}"'
    return response
