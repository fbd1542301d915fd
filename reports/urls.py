"""The KPI dashboard pages, the KPI workbook download (management, coordinators, school directors) and the
half-year monitoring pages next to them (seed 002, разд. 7)."""

from django.urls import path

from . import views, views_downloads, views_monitoring

urlpatterns = [
    path("reports/", views.kpi_dashboard, name="kpi_dashboard"),
    path("reports/kpi/<slug:code>/", views.kpi_detail, name="kpi_detail"),
    path("reports/download/", views_downloads.kpi_download, name="kpi_download"),
    path("reports/monitoring/", views_monitoring.monitoring_list, name="monitoring_list"),
    path("reports/monitoring/<int:pk>/", views_monitoring.monitoring_detail, name="monitoring_detail"),
    path(
        "reports/monitoring/<int:pk>/recommendations/",
        views_monitoring.monitoring_recommendation_new,
        name="monitoring_recommendation_new",
    ),
    path(
        "reports/monitoring/<int:pk>/recommendations/<int:recommendation_pk>/delete/",
        views_monitoring.monitoring_recommendation_remove,
        name="monitoring_recommendation_remove",
    ),
    path("reports/monitoring/<int:pk>/approve/", views_monitoring.monitoring_approve, name="monitoring_approve"),
    path("reports/monitoring/<int:pk>/compare/", views_monitoring.monitoring_compare_view, name="monitoring_compare"),
    path("reports/monitoring/<int:pk>/report.pdf", views_monitoring.monitoring_report_pdf, name="monitoring_pdf"),
    path("reports/monitoring/<int:pk>/report.xlsx", views_monitoring.monitoring_report_xlsx, name="monitoring_xlsx"),
]
