"""The cascade's pages: the project office's registry and reports, and each part's pages."""

from django.urls import include, path

urlpatterns = [
    path("communities/", include("projects.urls_communities")),
    path("", include("projects.urls_competence_lab")),
    path("projects/", include("projects.urls_reserve")),
    path("projects/", include("projects.urls_office")),
    path("projects/school-pairs/", include("projects.urls_school_pairs")),
    path("projects/trajectory/", include("projects.urls_trajectory")),
]
