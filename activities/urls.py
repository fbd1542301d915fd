from django.urls import path

from . import views

urlpatterns = [
    path("cabinet/videos/<int:pk>/", views.assignment_detail, name="video_assignment"),
    path("cabinet/videos/files/<int:pk>/", views.submission_file, name="submission_file"),
    path("cabinet/certificates/<int:pk>/pdf/", views.certificate_download, name="certificate_download"),
    path("cabinet/calendar/", views.cabinet_calendar, name="cabinet_calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
