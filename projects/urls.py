"""The cascade's pages: the project office's registry and reports, and each part's pages."""

from django.urls import include, path

urlpatterns = [
    path("projects/", include("projects.urls_office")),
]
