"""«Траектория развития» (сид 001): the project page, the bank of mentoring practices, the monitoring of mentoring
forms."""

from django.urls import path

from . import views_trajectory as views

urlpatterns = [
    path("", views.overview, name="trajectory"),
    path("practices/", views.practices, name="trajectory_practices"),
    path("practices/<int:pk>/act/", views.practice_act, name="trajectory_practice_act"),
    path("practices/<int:pk>/resubmit/", views.practice_resubmit, name="trajectory_practice_resubmit"),
    path("practices/recommended.xlsx", views.recommended_xlsx, name="trajectory_recommended_xlsx"),
    path("monitoring/", views.monitoring, name="trajectory_monitoring"),
    path("monitoring/enter/", views.monitoring_enter, name="trajectory_monitoring_enter"),
    path("monitoring/download.xlsx", views.monitoring_download, name="trajectory_monitoring_xlsx"),
]
