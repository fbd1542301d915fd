"""The personnel reserve's pages («Школа Лидеров образования», сид 001)."""

from django.urls import path

from . import views_reserve as views

urlpatterns = [
    path("reserve/", views.reserve_list, name="reserve_list"),
    path("reserve/new/", views.reserve_member_new, name="reserve_member_new"),
    path("reserve/review/", views.reserve_review, name="reserve_review"),
    path("reserve/report/", views.reserve_report, name="reserve_report"),
    path("reserve/<int:pk>/", views.reserve_member, name="reserve_member"),
    path("reserve/<int:pk>/status/", views.reserve_member_status, name="reserve_member_status"),
    path("reserve/<int:pk>/items/new/", views.reserve_item_new, name="reserve_item_new"),
    path("reserve/<int:pk>/analyses/new/", views.reserve_analysis_new, name="reserve_analysis_new"),
    path("reserve/<int:pk>/diagnostics/new/", views.reserve_diagnostic_new, name="reserve_diagnostic_new"),
    path("reserve/<int:pk>/young-director/", views.reserve_young_director, name="reserve_young_director"),
    path("reserve/items/<int:pk>/", views.reserve_item_edit, name="reserve_item_edit"),
    path("my/trajectory/", views.my_trajectory, name="my_trajectory"),
    path("my/trajectory/<int:pk>/report/", views.my_trajectory_report, name="my_trajectory_report"),
]
