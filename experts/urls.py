from django.urls import path

from . import views

urlpatterns = [
    path("expert/", views.workspace, name="expert_workspace"),
    path(
        "subscription/enrollments/<int:enrollment_id>/requests/new/",
        views.individual_request_create,
        name="individual_request_create",
    ),
    path(
        "subscription/requests/<int:pk>/withdraw/",
        views.individual_request_withdraw_view,
        name="individual_request_withdraw",
    ),
]
