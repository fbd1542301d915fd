from django.urls import path

from . import views, views_bucket, views_certificates, views_resumable

urlpatterns = [
    path("cabinet/videos/<int:pk>/", views.assignment_detail, name="video_assignment"),
    path("cabinet/videos/files/<int:pk>/", views.submission_file, name="submission_file"),
    path("cabinet/videos/<int:pk>/uploads/", views_resumable.resumable_create, name="resumable_create"),
    path("cabinet/videos/uploads/<uuid:upload_id>/", views_resumable.resumable_upload, name="resumable_upload"),
    path("cabinet/videos/<int:pk>/bucket-uploads/", views_bucket.bucket_create, name="bucket_upload_create"),
    path("cabinet/videos/bucket-uploads/<uuid:upload_id>/", views_bucket.bucket_upload, name="bucket_upload"),
    path(
        "cabinet/videos/bucket-uploads/<uuid:upload_id>/sign/",
        views_bucket.bucket_upload_sign_parts,
        name="bucket_upload_sign",
    ),
    path(
        "cabinet/videos/bucket-uploads/<uuid:upload_id>/complete/",
        views_bucket.bucket_upload_finish,
        name="bucket_upload_complete",
    ),
    path(
        "cabinet/enrollments/<int:enrollment_id>/videos/<int:assignment_id>/extension-request/",
        views.extension_request_new,
        name="extension_request_new",
    ),
    path("cabinet/certificates/<int:pk>/pdf/", views.certificate_download, name="certificate_download"),
    path("verify/", views_certificates.certificate_lookup, name="certificate_lookup"),
    path("verify/<str:code>/", views_certificates.certificate_verify, name="certificate_verify"),
    path("cabinet/calendar/", views.cabinet_calendar, name="cabinet_calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]

urlpatterns += [
    path("expert/sessions/", views.attendance_sessions, name="attendance_sessions"),
    path("expert/sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path(
        "expert/sessions/<int:pk>/attendance/confirm-defaults/",
        views.session_attendance_confirm_defaults,
        name="session_attendance_confirm_defaults",
    ),
    path(
        "expert/sessions/<int:pk>/attendance/all-present/",
        views.session_attendance_all_present,
        name="session_attendance_all_present",
    ),
    path(
        "expert/sessions/<int:pk>/attendance/import/", views.session_attendance_import, name="session_attendance_import"
    ),
    path("expert/sessions/<int:pk>/checkin-code/", views.session_checkin_open, name="session_checkin_open"),
    path("cabinet/sessions/<int:pk>/checkin/", views.session_checkin, name="session_checkin"),
]

# The tutor's route builder for an individual request of the bank (the request lives in the experts app).
urlpatterns += [
    path("expert/requests/<int:request_id>/route/", views.route_builder, name="route_builder"),
    # Before the actions: «edit» is a page, not an action.
    path("expert/requests/<int:request_id>/route/<int:item_id>/edit/", views.route_item_edit, name="route_item_edit"),
    path(
        "expert/requests/<int:request_id>/route/<int:item_id>/<str:action>/",
        views.route_item_action,
        name="route_item_action",
    ),
]
