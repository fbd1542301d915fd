from django.urls import path

from . import views_achievements as views

urlpatterns = [
    path("cabinet/achievements/new/", views.achievement_create, name="achievement_create"),
    path("cabinet/achievements/<int:pk>/edit/", views.achievement_edit, name="achievement_edit"),
    path("cabinet/achievements/<int:pk>/delete/", views.achievement_delete_view, name="achievement_delete"),
    path("cabinet/rating/consent/", views.rating_consent, name="rating_consent"),
    path("achievements/<int:pk>/proof/", views.achievement_proof, name="achievement_proof"),
    path("expert/achievements/", views.expert_achievements, name="expert_achievements"),
    path(
        "programs/<slug:slug>/seasons/<int:season_id>/rating/",
        views.leaderboard,
        name="season_leaderboard",
    ),
]
