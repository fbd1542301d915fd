"""The KPI dashboard pages and the KPI workbook download (management, coordinators, school directors)."""

from django.urls import path

from . import views, views_downloads

urlpatterns = [
    path("reports/", views.kpi_dashboard, name="kpi_dashboard"),
    path("reports/kpi/<slug:code>/", views.kpi_detail, name="kpi_detail"),
    path("reports/download/", views_downloads.kpi_download, name="kpi_download"),
]
