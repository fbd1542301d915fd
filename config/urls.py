from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("participants.urls")),
    path("", include("experts.urls")),
    path("", include("activities.urls")),
    path("", include("ratings.urls")),
    path("", include("ratings.urls_achievements")),
    path("", include("projects.urls")),
    path("", include("reports.urls")),
    path("", include("programs.urls")),
]
