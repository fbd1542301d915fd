"""The cascade's pages: the project office's registry and reports, and each part's pages."""

from django.urls import include, path

urlpatterns = [
    path("projects/school-pairs/", include("projects.urls_school_pairs")),
]
