"""The KPI dashboard pages and the KPI workbook download (management, coordinators, school directors)."""

from django.urls import path

from . import views_downloads

urlpatterns: list = [
    path("reports/download/", views_downloads.kpi_download, name="kpi_download"),
]
