from django.urls import include, path

from . import views, views_notifications

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/registration/sent/", views.registration_sent, name="registration_sent"),
    path("accounts/confirm/resend/", views.email_confirm_resend, name="email_confirm_resend"),
    path("accounts/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    # logout (POST only), password change and the rest of the reset flow, with templates in registration/.
    path("accounts/", include("django.contrib.auth.urls")),
    path("cabinet/", views.cabinet, name="cabinet"),
    path(
        "subscription/seasons/<int:season_id>/school-application/",
        views.school_application,
        name="school_application",
    ),
    path("cabinet/feedback/<int:enrollment_id>/", views.feedback_answer, name="feedback_answer"),
    path("cabinet/programs/<int:enrollment_id>/withdraw/", views.enrollment_withdraw_view, name="enrollment_withdraw"),
    path("cabinet/programs/<int:enrollment_id>/chat/", views.enrollment_chat_claim, name="enrollment_chat_claim"),
    path("cabinet/my-data/", views.my_data, name="my_data"),
    path("cabinet/my-data/download/", views.my_data_download, name="my_data_download"),
    path("cabinet/my-data/erase/", views.my_data_erase, name="my_data_erase"),
    path("cabinet/my-data/consents/withdraw/", views.my_data_consent_withdraw, name="my_data_consent_withdraw"),
    path("cabinet/my-data/consents/rating/", views.my_data_rating_consent, name="my_data_rating_consent"),
    path("notifications/", views_notifications.notifications, name="notifications"),
    path("notifications/read-all/", views_notifications.notifications_mark_all_read, name="notifications_read_all"),
    path("notifications/<int:notification_id>/read/", views_notifications.notification_open, name="notification_read"),
    path("jobs/<int:job_id>/", views.background_job, name="background_job"),
    path("jobs/<int:job_id>/status.json", views.background_job_status, name="background_job_status"),
    path("jobs/<int:job_id>/result/", views.background_job_result, name="background_job_result"),
    path(
        "programs/<slug:slug>/seasons/<int:season_id>/register/",
        views.season_register,
        name="season_register",
    ),
]
