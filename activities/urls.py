from django.urls import path

from . import views

urlpatterns: list = []

# Cabinet: certificates and calendar
urlpatterns += [
    path("cabinet/certificates/<int:pk>/pdf/", views.certificate_download, name="certificate_download"),
    path("cabinet/calendar/", views.cabinet_calendar, name="cabinet_calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
