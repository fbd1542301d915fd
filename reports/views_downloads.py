"""The KPI workbook download: the filters of a dashboard page posted here queue the export and lead to its job."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .exports import export_start
from .selectors import dashboard_filters
from .workbooks import KIND, kpi_workbook_params, kpi_workbook_title


@require_POST
@login_required
def kpi_download(request: HttpRequest) -> HttpResponse:
    """Queue the KPI workbook for the posted filters (404 for a scope outside the reader's own)."""
    filters = dashboard_filters(user=request.user, data=request.POST)
    job = export_start(
        kind=KIND,
        title=kpi_workbook_title(filters),
        params=kpi_workbook_params(user=request.user, filters=filters),
        by=request.user,
    )
    return redirect("background_job", job_id=job.pk)
