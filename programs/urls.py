from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/<slug:slug>/", views.program_detail, name="program_detail"),
    path("a11y/", views.a11y_toggle, name="a11y_toggle"),
    path("a11y/settings/", views.a11y_settings, name="a11y_settings"),
]
