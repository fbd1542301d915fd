"""The KPI dashboard pages: the overview of every KPI and one KPI's page with its charts and breakdowns.

Who reads what is reports.rules.dashboard_scope (through reports.selectors.dashboard_filters): anyone without
the permission, or asking for a municipality or school outside their own, gets 404 like a missing page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .selectors import dashboard_filters, dashboard_overview, kpi_detail_data


@login_required
@require_safe
def kpi_dashboard(request: HttpRequest) -> HttpResponse:
    filters = dashboard_filters(user=request.user, data=request.GET)
    overview = dashboard_overview(filters=filters, now=timezone.now())
    return render(request, "reports/dashboard.html", {"filters": filters, "overview": overview})


@login_required
@require_safe
def kpi_detail(request: HttpRequest, code: str) -> HttpResponse:
    filters = dashboard_filters(user=request.user, data=request.GET)
    detail = kpi_detail_data(filters=filters, code=code, now=timezone.now())
    return render(request, "reports/kpi_detail.html", {"filters": filters, "detail": detail})
