"""The lab of professional competences' pages (сид 001, «Лаборатория профессиональных компетенций»)."""

from django.urls import path

from . import views_competence_lab as views

urlpatterns = [
    path("projects/lab/<int:municipality_pk>/", views.lab_map, name="lab_map"),
    path("projects/lab/<int:municipality_pk>/offer/", views.lab_offer_new, name="lab_offer_new"),
    path("projects/lab/<int:municipality_pk>/request/", views.lab_request_new, name="lab_request_new"),
    path("projects/lab/offers/<int:pk>/decide/", views.lab_offer_decide, name="lab_offer_decide"),
    path("projects/lab/requests/<int:pk>/match/", views.lab_request_match, name="lab_request_match"),
    path("projects/lab/<int:municipality_pk>/surveys/", views.lab_surveys, name="lab_surveys"),
    path("projects/lab/surveys/<int:pk>/", views.lab_survey_summary, name="lab_survey_summary"),
    path("projects/lab/surveys/<int:pk>/close/", views.lab_survey_close_view, name="lab_survey_close"),
    path("projects/lab/surveys/<int:pk>/answer/", views.lab_survey_answer_view, name="lab_survey_answer"),
    path("projects/lab/<int:municipality_pk>/report/<int:year>.xlsx", views.lab_report_xlsx, name="lab_report_xlsx"),
]
