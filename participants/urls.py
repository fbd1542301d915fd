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

urlpatterns += [
    path("cabinet/feedback/<int:enrollment_id>/", views.feedback_answer, name="feedback_answer"),
    path("cabinet/programs/<int:enrollment_id>/withdraw/", views.enrollment_withdraw_view, name="enrollment_withdraw"),
    path("cabinet/my-data/", views.my_data, name="my_data"),
    path("cabinet/my-data/download/", views.my_data_download, name="my_data_download"),
    path("cabinet/my-data/erase/", views.my_data_erase, name="my_data_erase"),
]
