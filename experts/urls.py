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

# --- Groups, lesson visits and consultations (приказ 643-од, положение, п. 2.2) ---
urlpatterns += [
    path("expert/groups/<int:pk>/", views.group_page, name="expert_group"),
    path("expert/visits/", views.visit_list, name="expert_visits"),
    path("expert/visits/new/", views.visit_create, name="expert_visit_create"),
    path("expert/consultations/", views.consultation_list, name="expert_consultations"),
    path("expert/consultations/new/", views.consultation_create, name="expert_consultation_create"),
    path("expert/consultations/<int:pk>/", views.consultation_detail, name="expert_consultation"),
]

# The mentor's pairs and the tutor's bank of requests.
urlpatterns += [
    path("expert/mentoring/", views.mentoring_pairs, name="expert_mentoring"),
    path("expert/mentoring/<int:pair_id>/meetings/", views.mentoring_meetings, name="expert_mentoring_meetings"),
    path("expert/requests/", views.tutor_request_list, name="tutor_requests"),
    path("expert/requests/<int:pk>/", views.tutor_request_detail, name="tutor_request_detail"),
]

# The participants' chat: the technical specialist confirms membership (seed 000 §4.4).
urlpatterns += [
    path("expert/chat/<int:season_id>/", views.chat_members, name="expert_chat_members"),
]

# The expert's quarterly feedback (seed 000 §2.2).
urlpatterns += [
    path("expert/feedback/<int:season_id>/", views.expert_feedback, name="expert_feedback"),
]
