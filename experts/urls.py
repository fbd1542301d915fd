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

# The mentor's pairs and the tutor's bank of requests.
urlpatterns += [
    path("expert/mentoring/", views.mentoring_pairs, name="expert_mentoring"),
    path("expert/requests/", views.tutor_request_list, name="tutor_requests"),
    path("expert/requests/<int:pk>/", views.tutor_request_detail, name="tutor_request_detail"),
]
