"""«Школа – Школе» (сид 001): pairs, their plans, results and the yearly report."""

from django.urls import path

from . import views_school_pairs as views

urlpatterns = [
    path("", views.pair_list, name="school_pairs"),
    path("new/", views.pair_new, name="school_pair_new"),
    path("<int:pk>/", views.pair_detail, name="school_pair_detail"),
    path("<int:pk>/plan/", views.plan_add, name="school_pair_plan_add"),
    path("<int:pk>/plan/hold/", views.plan_hold, name="school_pair_plan_hold"),
    path("results/import/", views.results_import, name="school_pairs_results_import"),
    path("results/template.xlsx", views.results_template, name="school_pairs_results_template"),
    path("dynamics/", views.project_dynamics, name="school_pairs_dynamics"),
    path("report/", views.yearly_report_page, name="school_pairs_report"),
    path("report/download.xlsx", views.yearly_report_download, name="school_pairs_report_xlsx"),
]
