"""URLs of the professional communities «ПРОкомьюнити» (сид 001)."""

from django.urls import path

from . import views_communities as views

urlpatterns = [
    path("", views.communities_index, name="communities_index"),
    path("season/<int:season_id>/", views.community_list, name="community_list"),
    path("season/<int:season_id>/bank/", views.community_bank, name="community_bank"),
    path("season/<int:season_id>/accelerator/", views.community_accelerator, name="community_accelerator"),
    path("season/<int:season_id>/scale/", views.community_scale, name="community_scale"),
    path("season/<int:season_id>/board/", views.community_board, name="community_board"),
    path("<int:pk>/", views.community_detail, name="community_detail"),
    path("<int:pk>/status/", views.community_status, name="community_status"),
    path("<int:pk>/meetings/new/", views.community_meeting_new, name="community_meeting_new"),
    path("<int:pk>/trainings/new/", views.community_training_new, name="community_training_new"),
    path("<int:pk>/practices/new/", views.practice_new, name="community_practice_new"),
    path("<int:pk>/reports/new/", views.community_report_plan, name="community_report_plan"),
    path("reports/<int:pk>/submit/", views.community_report_submit, name="community_report_submit"),
    path("reports/<int:pk>/accept/", views.community_report_accept, name="community_report_accept"),
    path("reports/<int:pk>/file/", views.community_report_file, name="community_report_file"),
    path("practices/<int:pk>/rate/", views.practice_rate, name="community_practice_rate"),
    path("practices/<int:pk>/hide/", views.practice_hide, name="community_practice_hide"),
    path("practices/<int:pk>/file/", views.practice_file, name="community_practice_file"),
]
