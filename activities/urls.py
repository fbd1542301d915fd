from django.urls import path

from . import views

urlpatterns = [
    path("cabinet/videos/<int:pk>/", views.assignment_detail, name="video_assignment"),
    path("cabinet/videos/files/<int:pk>/", views.submission_file, name="submission_file"),
]
