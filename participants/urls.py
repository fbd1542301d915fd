from django.urls import include, path

from . import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    # logout (POST only), password change and the rest of the reset flow, with templates in registration/.
    path("accounts/", include("django.contrib.auth.urls")),
    path("cabinet/", views.cabinet, name="cabinet"),
    path(
        "subscription/seasons/<int:season_id>/school-application/",
        views.school_application,
        name="school_application",
    ),
]
