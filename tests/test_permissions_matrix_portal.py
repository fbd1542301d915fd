"""Every URL that is not an expert's × every kind of visitor: public pages, accounts, the teacher's
cabinet and their objects, notifications, background jobs, personal data, certificates, the calendar feed,
the KPI dashboards of management, coordinators and school directors.

The world and the runner are in tests/permissions_world.py. Someone else's object answers 404 like a missing
one; a page open to all shows each visitor their own data only (the markers below); a POST by a wrong role
changes nothing.
"""

from __future__ import annotations

from uuid import UUID

import pytest
from django.urls import reverse

from activities.models import SubmissionExtensionRequest
from core.models import BackgroundJob, Notification
from experts.models import IndividualRequest
from participants.models import Consent, Enrollment, Person
from projects.models import CompetenceTheme, LabSurvey, LabSurveyAnswer, LearnerRequest, MentorOffer
from ratings.models import Achievement
from reports.kpi import KPI_DEFINITIONS
from reports.models import MonitoringRecommendation, MonitoringReport
from tests import permissions_world
from tests.permissions_world import (
    ACHIEVEMENT_TITLE,
    CERTIFICATE_CODE,
    CERTIFICATE_NUMBER,
    COORDINATOR,
    COORDINATOR_OTHER,
    DIRECTOR,
    DIRECTOR_OTHER,
    EVERYONE,
    JOB_TITLE,
    MANAGER,
    MENTORING_PRACTICE,
    MONITORING_PERIOD,
    NOTIFICATION_TITLE,
    OFFICE_PROJECT,
    OTHER_SCHOOL_NAME,
    RECOMMENDATION_TEXT,
    SCHOOL_NAME,
    SCHOOL_PAIR_LEADER,
    TEACHER_NAME,
    TRAJECTORY_COMMUNITY,
    WITH_PERSON,
    Case,
    World,
    ok,
    params,
    run_case,
    url,
)

world, files = permissions_world.world, permissions_world.files  # the shared fixtures

PAIR_RUNNERS = {COORDINATOR, "superuser"}
PAIR_READERS = PAIR_RUNNERS | {MANAGER, DIRECTOR}


TRAJECTORY_RUNNERS = {COORDINATOR, "superuser"}
TRAJECTORY_READERS = TRAJECTORY_RUNNERS | {MANAGER, DIRECTOR, DIRECTOR_OTHER}
# A director reads their own school's community and practices only.
TRAJECTORY_SCHOOL_READERS = frozenset(TRAJECTORY_READERS - {DIRECTOR_OTHER})


def _mentoring_practice_pk(w: World) -> int:
    return w.other["mentoring_practice"].pk


def _mentoring_practice_reviewed(w: World) -> bool:
    w.other["mentoring_practice"].refresh_from_db()
    return w.other["mentoring_practice"].review == "reviewed"


def _trajectory_half(w: World) -> str:
    from projects.dates import municipality_today
    from projects.selectors_trajectory import half_of

    half = half_of(municipality_today(w.season_a.program.municipality))
    return f"{half.year}-{half.half}"


def _mentoring_forms_entered(w: World) -> bool:
    from projects.models import MentoringFormsReport

    return MentoringFormsReport.objects.filter(organisation=w.other["school"], pupil_pupil=3).exists()


def _school_pair_pk(w: World) -> int:
    return w.other["school_pair"].pk


def _pair_item_added(w: World) -> bool:
    return w.other["school_pair"].plan_items.filter(title="Круглый стол-маркер").exists()


def _pair_item_held(w: World) -> bool:
    return w.other["school_pair"].plan_items.filter(session__isnull=False).exists()


OWNER = {"teacher"}
KPI_READERS = {MANAGER, COORDINATOR, COORDINATOR_OTHER, DIRECTOR, DIRECTOR_OTHER, "superuser"}
# Who may read the teacher's school on a dashboard: its municipality's management and coordinator, its director.
SCHOOL_READERS = {MANAGER, COORDINATOR, DIRECTOR, "superuser"}
KPI_CODE = KPI_DEFINITIONS[0].code
TEACHER_ONLY = ((TEACHER_NAME, frozenset(OWNER)),)
# Half-year monitoring of the teacher's municipality (seed 002, п. 7.3, 7.5): its coordinator writes; its
# management and every director of its schools read; anyone else gets 404.
MONITORING_EDITORS = {COORDINATOR, "superuser"}
MONITORING_READERS = MONITORING_EDITORS | {MANAGER, DIRECTOR, DIRECTOR_OTHER}
# Professional communities «ПРОкомьюнити» (seed 001): the teacher leads a community of season A; its municipality's
# coordinator manages, management reads; nobody else (another municipality, other seasons' people) sees a thing.
COMMUNITY_READERS = {"teacher", COORDINATOR, MANAGER, "superuser"}
COMMUNITY_MANAGERS = {COORDINATOR, "superuser"}


def _community(key: str = "community"):
    return lambda w: w.other[key].pk


def _practice_hidden(w: World) -> bool:
    from projects.models import Practice

    return Practice.objects.get(pk=w.other["practice"].pk).hidden_at is not None


def _practice_rated(w: World) -> bool:
    from projects.models import PracticeRating

    return PracticeRating.objects.filter(practice=w.other["practice"]).exists()


def _report_submitted(w: World) -> bool:
    from projects.models import CommunityReport

    return CommunityReport.objects.get(pk=w.other["community_report"].pk).submitted_at is not None


LAB_THEME = "Тема-маркер лаборатории"
LAB_COMMITTEE = {COORDINATOR, "superuser"}
LAB_REPORT_READERS = LAB_COMMITTEE | {MANAGER}
# The teachers of the municipality's organisations (the experts of the world work elsewhere).
LAB_MEMBERS = {"teacher", DIRECTOR, DIRECTOR_OTHER}
LAB_READERS = LAB_REPORT_READERS | LAB_MEMBERS
# The project office of the teacher's municipality (сид 001): its coordinator records states, its management reads.
OFFICE_EDITORS = {COORDINATOR, "superuser"}
OFFICE_READERS = OFFICE_EDITORS | {MANAGER}


def public(roles_status=200, *, anonymous=200) -> dict:
    """A page open to everyone: every signed-in role gets `roles_status`, an anonymous visitor `anonymous`."""
    return {"allowed": {}, "others": roles_status, "anonymous": anonymous}


def _school(w: World) -> int:
    return w.other["school"].pk


def _season_path(key: str):
    def build(w: World) -> tuple[str, int]:
        season = w.season_a if key == "season_a" else w.other[key]
        return season.program.slug, season.pk

    return build


def _register_url(w: World) -> str:
    slug, pk = _season_path("subscription")(w)
    return reverse("season_register", args=[slug, pk])


# --- What a POST changes -----------------------------------------------------------------------------------------


def _extension_request_url(w: World) -> str:
    return reverse("extension_request_new", args=[w.enrollment.pk, w.submission.assignment_id])


def _extension_requested(w: World) -> bool:
    return SubmissionExtensionRequest.objects.filter(message="Прошу продлить срок").exists()


def _chat_claimed(w: World) -> bool:
    return Enrollment.objects.get(pk=w.enrollment.pk).chat_join_claimed_at is not None


def _notification_read(w: World) -> bool:
    return Notification.objects.filter(pk=w.other["notification"].pk, read_at__isnull=False).exists()


def _withdrawn(w: World) -> bool:
    return Enrollment.objects.get(pk=w.enrollment.pk).status == Enrollment.Status.WITHDRAWN


def _erased(w: World) -> bool:
    return Person.objects.get(pk=w.enrollment.person_id).last_name != TEACHER_NAME


def _request_withdrawn(w: World) -> bool:
    return not IndividualRequest.objects.filter(pk=w.new_request.pk).exists()  # a withdrawn request is deleted


def _achievement_deleted(w: World) -> bool:
    return not Achievement.objects.filter(pk=w.achievement.pk).exists()


def _rating_consent_given(w: World) -> bool:
    return Consent.objects.filter(
        person_id=w.enrollment.person_id, kind=Consent.Kind.RATING_PUBLICATION, withdrawn_at__isnull=True
    ).exists()


def _office_pk(w: World) -> int:
    return w.other["office_project"].pk


def _office_event_state_url(w: World) -> str:
    return reverse("office_item_state", args=[w.other["office_project"].pk, "event", w.other["office_event"].pk])


def _office_event_in_progress(w: World) -> bool:
    from projects.models.office import ProjectEvent

    return ProjectEvent.objects.filter(pk=w.other["office_event"].pk, state="in_progress").exists()


def _calendar_token_changed(w: World) -> bool:
    return Person.objects.get(pk=w.enrollment.person_id).calendar_token != permissions_world.CALENDAR_TOKEN


def _monitoring_pk(w: World) -> int:
    return w.other["monitoring_snapshot"].pk


def _analysis_written(w: World) -> bool:
    return MonitoringReport.objects.filter(pk=w.other["monitoring_report"].pk, analysis="Анализ-маркер").exists()


def _recommendation_added(w: World) -> bool:
    return MonitoringRecommendation.objects.filter(text="Новая рекомендация-маркер").exists()


def _recommendation_removed(w: World) -> bool:
    return not MonitoringRecommendation.objects.filter(pk=w.other["recommendation"].pk).exists()


def _report_approved(w: World) -> bool:
    return MonitoringReport.objects.get(pk=w.other["monitoring_report"].pk).is_approved


def _export_queued(w: World) -> bool:
    return BackgroundJob.objects.exclude(pk=w.other["job"].pk).exists()


# --- The lab of professional competences (seed 001): the rows are made on first use, inside the test ---------


def _lab_town(w: World) -> int:
    _lab_theme(w)  # the map shows it
    return w.season_a.program.municipality_id


def _lab_theme(w: World):
    town = w.season_a.program.municipality_id
    return CompetenceTheme.objects.get_or_create(municipality_id=town, title=LAB_THEME)[0]


def _lab_offer(w: World) -> int:
    mentor = Person.objects.get(user=w.users["teacher"])
    return MentorOffer.objects.get_or_create(
        person=mentor, theme=_lab_theme(w), defaults={"format": "consultation", "capacity": 1}
    )[0].pk


def _lab_request(w: World) -> int:
    return LearnerRequest.objects.get_or_create(
        person=Person.objects.get(user=w.users["teacher_other_season"]), theme=_lab_theme(w)
    )[0].pk


def _lab_survey(w: World) -> int:
    return LabSurvey.objects.get_or_create(
        municipality_id=w.season_a.program.municipality_id,
        year=2025,
        defaults={"opened_at": w.season_a.registration_opens_at},
    )[0].pk


def _lab_offer_approved(w: World) -> bool:
    return MentorOffer.objects.filter(theme__title=LAB_THEME, status=MentorOffer.Status.APPROVED).exists()


def _lab_offered(w: World) -> bool:
    return MentorOffer.objects.filter(theme__title=LAB_THEME, note="Опыт-маркер").exists()


def _lab_survey_closed(w: World) -> bool:
    return LabSurvey.objects.filter(year=2025, closed_at__isnull=False).exists()


def _lab_answered(w: World) -> bool:
    return LabSurveyAnswer.objects.filter(survey__year=2025, comment="Ответ-маркер").exists()


CASES = [
    # Public pages: everyone, signed in or not.
    Case("home", url("home"), "get", **public()),
    Case("program_detail", lambda w: reverse("program_detail", args=[w.season_a.program.slug]), "get", **public()),
    Case("season_register", _register_url, "get", **public()),
    Case("a11y_toggle", url("a11y_toggle"), "post", data=lambda w: {"mode": "on"}, **public(302, anonymous=302)),
    Case("a11y_settings", url("a11y_settings"), "post", data=lambda w: {"font": "3"}, **public(302, anonymous=302)),
    Case("set_language", url("set_language"), "post", data=lambda w: {"language": "ru"}, **public(302, anonymous=302)),
    Case(
        "certificate_verify",
        url("certificate_verify", CERTIFICATE_CODE),
        "get",
        shows=((CERTIFICATE_NUMBER, frozenset(EVERYONE)),),  # the holder's name is public by design: it is on the PDF
        **public(),
    ),
    # The check by the printed number: public, the same page as the QR link (typed in lower case, with en dashes).
    Case(
        "certificate_lookup",
        url("certificate_lookup", query="?number=matrix%E2%80%932026%E2%80%930001"),
        "get",
        shows=((CERTIFICATE_NUMBER, frozenset(EVERYONE)),),
        **public(),
    ),
    # The feed's secret token is its key (calendar apps cannot sign in): whoever holds it reads it.
    Case("calendar_feed", url("calendar_feed", permissions_world.CALENDAR_TOKEN), "get", **public()),
    # Accounts: the sign-in page sends a signed-in visitor home; password pages work for anyone.
    Case("login", url("login"), "get", **public(302)),
    Case("logout", url("logout"), "post", **public(302, anonymous=302)),
    Case("password_reset", url("password_reset"), "get", **public()),
    Case("password_reset_done", url("password_reset_done"), "get", **public()),
    Case("password_reset_confirm", url("password_reset_confirm", "MQ", "bad-token"), "get", **public()),
    Case("password_reset_complete", url("password_reset_complete"), "get", **public()),
    Case("password_change", url("password_change"), "get", ok(EVERYONE)),
    Case("password_change_done", url("password_change_done"), "get", ok(EVERYONE)),
    Case("registration_sent", url("registration_sent"), "get", **public()),
    Case("email_confirm_resend", url("email_confirm_resend"), "get", **public()),
    Case("email_confirm", url("email_confirm", "not-a-token"), "get", **public(400, anonymous=400)),
    # The cabinet and the notifications: everyone signed in, each their own.
    Case("cabinet", url("cabinet"), "get", ok(EVERYONE), secrets=TEACHER_ONLY, shows=TEACHER_ONLY),
    Case(
        "notifications",
        url("notifications"),
        "get",
        ok(EVERYONE),
        secrets=((NOTIFICATION_TITLE, frozenset(OWNER)),),
        shows=((NOTIFICATION_TITLE, frozenset(OWNER)),),
    ),
    Case(
        "notification_read",
        url("notification_read", lambda w: w.other["notification"].pk),
        "post",
        ok(OWNER, 302),  # the superuser too gets 404: a notification is its recipient's alone
        effect=_notification_read,
    ),
    Case(
        "notifications_read_all",
        url("notifications_read_all"),
        "post",
        ok(EVERYONE, 302),
        effect=_notification_read,
        effect_roles=frozenset(OWNER),
    ),
    # Background jobs: their starter (and the superuser).
    Case(
        "background_job",
        url("background_job", lambda w: w.other["job"].pk),
        "get",
        ok({DIRECTOR, "superuser"}),
        secrets=((JOB_TITLE, frozenset({DIRECTOR, "superuser"})),),
        shows=((JOB_TITLE, frozenset({DIRECTOR, "superuser"})),),
    ),
    Case(
        "background_job_status",
        url("background_job_status", lambda w: w.other["job"].pk),
        "get",
        ok({DIRECTOR, "superuser"}),
    ),
    Case(
        "background_job_result",
        url("background_job_result", lambda w: w.other["job"].pk),
        "get",
        ok({DIRECTOR, "superuser"}),
    ),
    # Personal data (152-FZ): one's own only; accounts without a person record hold none.
    Case("my_data", url("my_data"), "get", ok(WITH_PERSON), secrets=TEACHER_ONLY, shows=TEACHER_ONLY),
    Case(
        "my_data_download",
        url("my_data_download"),
        "post",
        ok(WITH_PERSON),
        data=lambda w: {"format": "json"},
        secrets=TEACHER_ONLY,
        shows=TEACHER_ONLY,
    ),
    Case(
        "my_data_erase",
        url("my_data_erase"),
        "post",
        ok(WITH_PERSON),  # without the confirmation the form comes back with its errors and nothing is erased
        effect=_erased,
        effect_roles=frozenset(),
    ),
    Case(
        "my_data_consent_withdraw",
        url("my_data_consent_withdraw"),
        "post",
        ok(WITH_PERSON),  # without the confirmation the form comes back with its errors and nothing is withdrawn
        effect=_withdrawn,  # a withdrawn consent ends the teacher's participation
        effect_roles=frozenset(),
    ),
    Case(
        "my_data_rating_consent",
        url("my_data_rating_consent"),
        "post",
        ok(WITH_PERSON, 302),
        data=lambda w: {"given": "1"},
        effect=_rating_consent_given,
        effect_roles=frozenset(OWNER),
    ),
    # The teacher's own objects, reached by id: the owner only.
    Case("video_assignment", url("video_assignment", lambda w: w.submission.assignment_id), "get", ok(OWNER)),
    # The resumable upload (tus): only the owner reaches the protocol (412 without its headers); the upload's own
    # address answers tus methods only (405 to a POST for everyone), owner checks in test_resumable_upload_views.py.
    Case("resumable_create", url("resumable_create", lambda w: w.submission.assignment_id), "post", ok(OWNER, 412)),
    Case("resumable_upload", url("resumable_upload", UUID(int=1)), "post", {}, others=405),
    # Uploads straight to the S3 bucket: nobody reaches them while media stay on the portal's disk (as here); with
    # S3 media the owner and stranger checks are in tests/activities/test_bucket_upload_views.py.
    Case("bucket_upload_create", url("bucket_upload_create", lambda w: w.submission.assignment_id), "post", {}),
    Case("bucket_upload", url("bucket_upload", UUID(int=1)), "get", {}),
    Case("bucket_upload_sign", url("bucket_upload_sign", UUID(int=1)), "post", {}),
    Case("bucket_upload_complete", url("bucket_upload_complete", UUID(int=1)), "post", {}),
    Case("session_checkin", url("session_checkin", lambda w: w.session.pk), "get", ok(OWNER)),
    Case("extension_request_new", _extension_request_url, "get", ok(OWNER)),
    Case(
        "extension_request_new",
        _extension_request_url,
        "post",
        ok(OWNER),  # the world's lesson is submitted: the owner's request is refused with a message, nothing stored
        data=lambda w: {"message": "Прошу продлить срок"},
        effect=_extension_requested,
        effect_roles=frozenset(),
    ),
    Case("feedback_answer", url("feedback_answer", lambda w: w.enrollment.pk), "get", ok(OWNER)),
    Case(
        "enrollment_chat_claim",
        url("enrollment_chat_claim", lambda w: w.enrollment.pk),
        "post",
        ok(OWNER, 302),
        effect=_chat_claimed,
    ),
    # A review's link in the teacher's notification: the world's review is another teacher's and not yet published,
    # so it exists for nobody (its own teacher following a published one: tests/ratings/test_review_notices.py).
    Case("review_feedback", url("review_feedback", lambda w: w.other["review"].pk), "get", {}),
    Case("enrollment_withdraw", url("enrollment_withdraw", lambda w: w.enrollment.pk), "get", ok(OWNER)),
    Case(
        "enrollment_withdraw_post",
        url("enrollment_withdraw", lambda w: w.enrollment.pk),
        "post",
        ok(OWNER, 302),
        data=lambda w: {"reason": "Переезд"},
        effect=_withdrawn,
    ),
    Case(
        "individual_request_create",
        url("individual_request_create", lambda w: w.other["subscription_enrollment"].pk),
        "get",
        ok(OWNER),
    ),
    Case(
        "individual_request_withdraw",
        url("individual_request_withdraw", lambda w: w.new_request.pk),
        "post",
        ok(OWNER, 302),
        effect=_request_withdrawn,
    ),
    Case("achievement_create", url("achievement_create"), "get", ok(WITH_PERSON)),
    Case(
        "achievement_edit",
        url("achievement_edit", lambda w: w.achievement.pk),
        "get",
        ok(OWNER),
        shows=((ACHIEVEMENT_TITLE, frozenset(OWNER)),),
    ),
    Case("achievement_delete", url("achievement_delete", lambda w: w.achievement.pk), "get", ok(OWNER)),
    Case(
        "achievement_delete_post",
        url("achievement_delete", lambda w: w.achievement.pk),
        "post",
        ok(OWNER, 302),
        effect=_achievement_deleted,
    ),
    Case(
        "rating_consent",
        url("rating_consent"),
        "post",
        ok(WITH_PERSON, 302),
        data=lambda w: {"given": "1"},
        effect=_rating_consent_given,
        effect_roles=frozenset(OWNER),
    ),
    Case("cabinet_calendar", url("cabinet_calendar"), "get", ok(WITH_PERSON)),
    Case(
        "cabinet_calendar_post",
        url("cabinet_calendar"),
        "post",
        ok(WITH_PERSON, 302),
        effect=_calendar_token_changed,
        effect_roles=frozenset(OWNER),
    ),
    # The certificate's PDF: its holder and the coordinators of its municipality.
    Case(
        "certificate_download",
        url("certificate_download", lambda w: w.other["certificate"].pk),
        "get",
        ok({"teacher", COORDINATOR, "superuser"}),
    ),
    # A school's application to the Subscription: a school's administrator (a director) applies; the page of a
    # published season explains to anyone else that only a school's administrator may apply (it reveals nothing).
    Case(
        "school_application",
        lambda w: reverse("school_application", args=[w.other["subscription"].pk]),
        "get",
        ok({DIRECTOR, DIRECTOR_OTHER}),
        others=403,
    ),
    # The KPI dashboards: management, coordinators, directors; a school outside one's own is 404.
    Case(
        "kpi_dashboard",
        url("kpi_dashboard"),
        "get",
        ok(KPI_READERS),
        secrets=(
            (SCHOOL_NAME, frozenset(SCHOOL_READERS)),
            (OTHER_SCHOOL_NAME, frozenset(SCHOOL_READERS - {DIRECTOR}) | {DIRECTOR_OTHER}),
        ),
        shows=((SCHOOL_NAME, frozenset(SCHOOL_READERS - {"superuser"})),),  # the superuser first picks a district
    ),
    Case(
        "kpi_dashboard_school",
        lambda w: reverse("kpi_dashboard") + f"?organisation={_school(w)}",
        "get",
        ok(SCHOOL_READERS),
    ),
    Case(
        "kpi_dashboard_municipality",
        lambda w: reverse("kpi_dashboard") + f"?municipality={w.season_a.program.municipality_id}",
        "get",
        ok(SCHOOL_READERS | {DIRECTOR_OTHER}),  # the other director reads their own school of the same district
        secrets=((SCHOOL_NAME, frozenset(SCHOOL_READERS)),),
    ),
    Case(
        "kpi_detail_school",
        lambda w: reverse("kpi_detail", args=[KPI_CODE]) + f"?organisation={_school(w)}",
        "get",
        ok(SCHOOL_READERS),
        secrets=((OTHER_SCHOOL_NAME, frozenset(SCHOOL_READERS - {DIRECTOR})),),
    ),
    Case(
        "kpi_download",
        url("kpi_download"),
        "post",
        ok(SCHOOL_READERS, 302),
        data=lambda w: {"organisation": _school(w)},
        effect=_export_queued,
    ),
    # Half-year monitoring: the list shows a reader their own municipality's (another municipality's coordinator
    # reads their own, empty, list; the superuser first picks a municipality).
    Case(
        "monitoring_list",
        url("monitoring_list"),
        "get",
        ok(MONITORING_READERS | {COORDINATOR_OTHER}),
        secrets=((MONITORING_PERIOD, frozenset(MONITORING_READERS)),),
        shows=((MONITORING_PERIOD, frozenset(MONITORING_READERS - {"superuser"})),),
    ),
    Case(
        "monitoring_detail",
        url("monitoring_detail", _monitoring_pk),
        "get",
        ok(MONITORING_READERS),
        shows=((RECOMMENDATION_TEXT, frozenset(MONITORING_READERS)),),
    ),
    Case(
        "monitoring_detail_post",
        url("monitoring_detail", _monitoring_pk),
        "post",
        ok(MONITORING_EDITORS, 302),
        data=lambda w: {"analysis": "Анализ-маркер"},
        effect=_analysis_written,
    ),
    Case(
        "monitoring_recommendation_new",
        url("monitoring_recommendation_new", _monitoring_pk),
        "post",
        ok(MONITORING_EDITORS, 302),
        data=lambda w: {
            "organisation": w.other["school"].pk,
            "text": "Новая рекомендация-маркер",
            "due_on": "2025-12-01",
            "responsible": "Методист",
        },
        effect=_recommendation_added,
    ),
    Case(
        "monitoring_recommendation_remove",
        url("monitoring_recommendation_remove", _monitoring_pk, lambda w: w.other["recommendation"].pk),
        "post",
        ok(MONITORING_EDITORS, 302),
        effect=_recommendation_removed,
    ),
    Case(
        "monitoring_approve",
        url("monitoring_approve", _monitoring_pk),
        "post",
        ok(MONITORING_EDITORS, 302),
        effect=_report_approved,
    ),
    Case("monitoring_compare", url("monitoring_compare", _monitoring_pk), "get", ok(MONITORING_READERS)),
    Case("monitoring_pdf", url("monitoring_pdf", _monitoring_pk), "get", ok(MONITORING_READERS)),
    Case("monitoring_xlsx", url("monitoring_xlsx", _monitoring_pk), "get", ok(MONITORING_READERS)),
    # Professional communities «ПРОкомьюнити» (seed 001).
    Case("communities_index", url("communities_index"), "get", ok(EVERYONE)),
    Case("community_list", url("community_list", lambda w: w.season_a.pk), "get", ok(COMMUNITY_READERS)),
    Case("community_bank", url("community_bank", lambda w: w.season_a.pk), "get", ok(COMMUNITY_READERS)),
    Case("community_board", url("community_board", lambda w: w.season_a.pk), "get", ok(COMMUNITY_READERS)),
    Case("community_detail", url("community_detail", _community()), "get", ok(COMMUNITY_READERS)),
    Case(
        "community_detail (another community)",
        url("community_detail", _community("other_community")),
        "get",
        ok({COORDINATOR, MANAGER, "superuser"}),
    ),
    Case(
        "community_status",
        url("community_status", _community()),
        "post",
        {**ok(COMMUNITY_MANAGERS, 302), "teacher": 403, MANAGER: 403},
        data=lambda w: {"status": "closed"},
    ),
    Case(
        "community_meeting_new",
        url("community_meeting_new", _community()),
        "post",
        {**ok(COMMUNITY_MANAGERS | {"teacher"}, 302), MANAGER: 403},
        data=lambda w: {"title": "Встреча", "starts_at": "2025-03-10T16:00", "ends_at": "2025-03-10T18:00"},
    ),
    Case(
        "community_accelerator",
        url("community_accelerator", lambda w: w.season_a.pk),
        "get",
        {**ok(COMMUNITY_MANAGERS), "teacher": 403, MANAGER: 403},
    ),
    Case(
        "community_scale",
        url("community_scale", lambda w: w.season_a.pk),
        "get",
        {**ok(COMMUNITY_MANAGERS), "teacher": 403, MANAGER: 403},
    ),
    Case(
        "community_report_plan",
        url("community_report_plan", _community()),
        "post",
        {**ok(COMMUNITY_MANAGERS, 302), "teacher": 403, MANAGER: 403},
        data=lambda w: {"year": "2031", "half": "2", "due_on": "2031-12-20"},
    ),
    Case(
        "community_training_new",
        url("community_training_new", _community()),
        "post",
        {**ok(COMMUNITY_MANAGERS | {"teacher"}, 302), MANAGER: 403},
        data=lambda w: {
            "trainer": w.other["community"].leader_id,
            "title": "Каскадное занятие-маркер",
            "starts_at": "2025-03-11T16:00",
            "ends_at": "2025-03-11T18:00",
            "trainees": list(
                w.other["community"]
                .members.exclude(enrollment_id=w.other["community"].leader_id)
                .values_list("enrollment_id", flat=True)
            ),
        },
    ),
    Case(
        "community_practice_new",
        url("community_practice_new", _community()),
        "get",
        {"teacher": 200, COORDINATOR: 403, MANAGER: 403, "superuser": 403},
    ),
    Case(
        "community_practice_rate",
        url("community_practice_rate", lambda w: w.other["practice"].pk),
        "post",
        {"teacher": 302, COORDINATOR: 403, MANAGER: 403, "superuser": 403},
        data=lambda w: {"score": "5"},
        effect=_practice_rated,
        effect_roles=frozenset({"teacher"}),
    ),
    Case(
        "community_practice_hide",
        url("community_practice_hide", lambda w: w.other["practice"].pk),
        "post",
        {**ok(COMMUNITY_MANAGERS, 302), "teacher": 403, MANAGER: 403},
        data=lambda w: {"reason": "Причина-маркер"},
        effect=_practice_hidden,
        effect_roles=frozenset(COMMUNITY_MANAGERS),
    ),
    Case(
        "community_practice_file",
        url("community_practice_file", lambda w: w.other["practice"].pk),
        "get",
        ok(COMMUNITY_READERS),
    ),
    Case(
        "community_report_submit",
        url("community_report_submit", lambda w: w.other["community_report"].pk),
        "post",
        {"teacher": 302, COORDINATOR: 403, MANAGER: 403, "superuser": 403},
        data=lambda w: {"text": "Отчёт-маркер"},
        effect=_report_submitted,
        effect_roles=frozenset({"teacher"}),
    ),
    Case(
        "community_report_accept",
        url("community_report_accept", lambda w: w.other["community_report"].pk),
        "post",
        {**ok(COMMUNITY_MANAGERS, 302), "teacher": 403, MANAGER: 403},
    ),
    Case(
        "community_report_file",
        url("community_report_file", lambda w: w.other["community_report"].pk),
        "get",
        ok(COMMUNITY_READERS),
    ),
    # The lab of professional competences (seed 001): the map is its municipality's (teachers of its
    # organisations, its coordinator and management); the organising committee (the coordinator) decides and
    # matches; management reads the survey and the report; a director answers the survey for their school.
    Case("lab_map", url("lab_map", _lab_town), "get", ok(LAB_READERS), shows=((LAB_THEME, frozenset(LAB_READERS)),)),
    Case("lab_offer_new", url("lab_offer_new", _lab_town), "get", ok(LAB_MEMBERS)),
    Case(
        "lab_offer_new_post",
        url("lab_offer_new", _lab_town),
        "post",
        ok(LAB_MEMBERS, 302),
        data=lambda w: {"theme": _lab_theme(w).pk, "format": "master_class", "capacity": "1", "note": "Опыт-маркер"},
        effect=_lab_offered,
    ),
    Case("lab_request_new", url("lab_request_new", _lab_town), "get", ok(LAB_MEMBERS)),
    Case(
        "lab_offer_decide",
        url("lab_offer_decide", _lab_offer),
        "post",
        ok(LAB_COMMITTEE, 302),
        data=lambda w: {"decision": "approve"},
        effect=_lab_offer_approved,
    ),
    Case("lab_request_match", url("lab_request_match", _lab_request), "get", ok(LAB_COMMITTEE)),
    Case("lab_surveys", url("lab_surveys", _lab_town), "get", ok(LAB_REPORT_READERS)),
    Case("lab_survey_summary", url("lab_survey_summary", _lab_survey), "get", ok(LAB_REPORT_READERS)),
    Case("lab_survey_answer", url("lab_survey_answer", _lab_survey), "get", ok({DIRECTOR, DIRECTOR_OTHER})),
    Case(
        "lab_survey_answer_post",
        url("lab_survey_answer", _lab_survey),
        "post",
        ok({DIRECTOR, DIRECTOR_OTHER}, 302),
        data=lambda w: {"comment": "Ответ-маркер", "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0"},
        effect=_lab_answered,
    ),
    Case(
        "lab_survey_close",
        url("lab_survey_close", _lab_survey),
        "post",
        ok(LAB_COMMITTEE, 302),
        effect=_lab_survey_closed,
    ),
    Case("lab_report_xlsx", url("lab_report_xlsx", _lab_town, 2025), "get", ok(LAB_REPORT_READERS)),
    # The project office (сид 001): the registry and the cascade's report show a reader their own municipality's
    # (another municipality's coordinator reads their own, empty, registry).
    Case(
        "office_registry",
        url("office_registry"),
        "get",
        ok(OFFICE_READERS | {COORDINATOR_OTHER}),
        secrets=((OFFICE_PROJECT, frozenset(OFFICE_READERS)),),
        shows=((OFFICE_PROJECT, frozenset(OFFICE_READERS - {"superuser"})),),
    ),
    Case(
        "office_cascade_report",
        url("office_cascade_report"),
        "get",
        ok(OFFICE_READERS | {COORDINATOR_OTHER}),
        secrets=((OFFICE_PROJECT, frozenset(OFFICE_READERS)),),
    ),
    Case("office_cascade_xlsx", url("office_cascade_xlsx"), "get", ok(OFFICE_READERS | {COORDINATOR_OTHER})),
    Case("office_cascade_pdf", url("office_cascade_pdf"), "get", ok(OFFICE_READERS | {COORDINATOR_OTHER})),
    Case("office_project_pdf", url("office_project_pdf", _office_pk), "get", ok(OFFICE_READERS)),
    Case(
        "office_project",
        url("office_project", _office_pk),
        "get",
        ok(OFFICE_READERS),
        shows=((OFFICE_PROJECT, frozenset(OFFICE_READERS)),),
    ),
    Case("office_project_report", url("office_project_report", _office_pk), "get", ok(OFFICE_READERS)),
    Case("office_project_xlsx", url("office_project_xlsx", _office_pk), "get", ok(OFFICE_READERS)),
    Case(
        "office_item_state",
        _office_event_state_url,
        "post",
        ok(OFFICE_EDITORS, 302),
        data=lambda w: {"state": "in_progress"},
        effect=_office_event_in_progress,
    ),
    # «Школа – Школе» (сид 001): the municipality's coordinator runs it, its management reads, a director reads
    # their school's pair; municipality pages show another municipality's coordinator their own (empty) project.
    *[
        Case(
            name,
            url(name),
            "get",
            ok(PAIR_READERS | {COORDINATOR_OTHER, DIRECTOR_OTHER}),
            secrets=((SCHOOL_PAIR_LEADER, frozenset(PAIR_READERS)),) if name != "school_pairs_report_xlsx" else (),
        )
        for name in ("school_pairs", "school_pairs_dynamics", "school_pairs_report", "school_pairs_report_xlsx")
    ],
    Case(
        "school_pairs_list_shows",
        url("school_pairs"),
        "get",
        ok(PAIR_READERS | {COORDINATOR_OTHER, DIRECTOR_OTHER}),
        shows=((SCHOOL_PAIR_LEADER, frozenset(PAIR_READERS)),),
    ),
    *[
        Case(name, url(name), "get", ok(PAIR_RUNNERS | {COORDINATOR_OTHER}))
        for name in ("school_pair_new", "school_pairs_results_import", "school_pairs_results_template")
    ],
    Case(
        "school_pair_detail",
        url("school_pair_detail", _school_pair_pk),
        "get",
        ok(PAIR_READERS),
        shows=(("Семинар-маркер пары", frozenset(PAIR_READERS)),),
    ),
    Case(
        "school_pair_plan_add",
        url("school_pair_plan_add", _school_pair_pk),
        "post",
        ok(PAIR_RUNNERS, 302),
        data=lambda w: {"kind": "round_table", "title": "Круглый стол-маркер", "planned_on": "2030-01-01"},
        effect=_pair_item_added,
    ),
    Case(
        "school_pair_plan_hold",
        url("school_pair_plan_hold", _school_pair_pk),
        "post",
        ok(PAIR_RUNNERS, 302),
        data=lambda w: {
            "item": w.other["school_pair_item"].pk,
            "starts_at": "2025-10-01T10:00",
            "ends_at": "2025-10-01T12:00",
        },
        effect=_pair_item_held,
    ),
    # «Траектория развития» (сид 001): the municipality's coordinator runs it, its management reads, a director
    # reads their school's part and enters its monitoring; the project page shows another municipality's
    # coordinator their own (empty) project.
    Case(
        "trajectory",
        url("trajectory"),
        "get",
        ok(TRAJECTORY_READERS | {COORDINATOR_OTHER}),
        secrets=((TRAJECTORY_COMMUNITY, TRAJECTORY_SCHOOL_READERS),),
        shows=((TRAJECTORY_COMMUNITY, TRAJECTORY_SCHOOL_READERS),),
    ),
    Case(
        "trajectory_practices",
        url("trajectory_practices"),
        "get",
        ok(TRAJECTORY_READERS),
        secrets=((MENTORING_PRACTICE, TRAJECTORY_SCHOOL_READERS),),
        shows=((MENTORING_PRACTICE, TRAJECTORY_SCHOOL_READERS),),
    ),
    *[
        Case(name, url(name), "get", ok(TRAJECTORY_READERS))
        for name in ("trajectory_recommended_xlsx", "trajectory_monitoring", "trajectory_monitoring_xlsx")
    ],
    Case(
        "trajectory_practice_act",
        url("trajectory_practice_act", _mentoring_practice_pk),
        "post",
        ok(TRAJECTORY_RUNNERS, 302),
        data=lambda w: {"action": "review", "conclusion": "Заключение-маркер"},
        effect=_mentoring_practice_reviewed,
    ),
    # Only the practice's author resubmits it; none of the matrix's visitors is.
    Case(
        "trajectory_practice_resubmit",
        url("trajectory_practice_resubmit", _mentoring_practice_pk),
        "post",
        {},
        data=lambda w: {"description": "Правка-маркер"},
    ),
    Case(
        "trajectory_monitoring_enter",
        url("trajectory_monitoring_enter"),
        "get",
        ok(TRAJECTORY_RUNNERS | {DIRECTOR, DIRECTOR_OTHER}),
    ),
    Case(
        "trajectory_monitoring_enter_post",
        url("trajectory_monitoring_enter"),
        "post",
        {COORDINATOR: 302, "superuser": 302, DIRECTOR: 302, DIRECTOR_OTHER: 400},
        data=lambda w: {
            "organisation": w.other["school"].pk,
            "half": _trajectory_half(w),
            "teacher_teacher": 2,
            "head_teacher": 0,
            "employer_student": 0,
            "teacher_pupil": 1,
            "pupil_pupil": 3,
            "student_pupil": 0,
        },
        effect=_mentoring_forms_entered,
        effect_roles=frozenset({COORDINATOR, "superuser", DIRECTOR}),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "role"), list(params(CASES)))
def test_permission(client, world, files, case: Case, role: str):
    run_case(client, world, case, role)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "address", "role"),
    [
        ("certificate_verify", url("certificate_verify", "no-such-code"), "anonymous"),
        ("certificate_lookup", url("certificate_lookup", query="?number=MATRIX-2026-999999"), "anonymous"),
        ("calendar_feed", url("calendar_feed", "no-such-token"), "anonymous"),
        ("certificate_download", url("certificate_download", 999_999), "superuser"),
        ("background_job", url("background_job", 999_999), "superuser"),
        ("background_job_result", url("background_job_result", 999_999), "superuser"),
        ("notification_read", url("notification_read", 999_999), "teacher"),
        ("feedback_answer", url("feedback_answer", 999_999), "teacher"),
        ("video_assignment", url("video_assignment", 999_999), "teacher"),
        ("review_feedback", url("review_feedback", 999_999), "teacher"),
        ("session_checkin", url("session_checkin", 999_999), "teacher"),
        ("extension_request_new", url("extension_request_new", lambda w: w.enrollment.pk, 999_999), "teacher"),
        ("achievement_edit", url("achievement_edit", 999_999), "teacher"),
        ("kpi_detail", url("kpi_detail", "no-such-kpi"), MANAGER),
        ("kpi_dashboard", lambda w: reverse("kpi_dashboard") + "?organisation=999999", "superuser"),
        ("monitoring_detail", url("monitoring_detail", 999_999), "superuser"),
        ("monitoring_list", lambda w: reverse("monitoring_list") + "?municipality=999999", "superuser"),
        ("community_detail", url("community_detail", 999_999), "superuser"),
        ("community_list", url("community_list", 999_999), "superuser"),
        ("community_practice_file", url("community_practice_file", 999_999), "teacher"),
    ],
)
def test_a_guessed_id_is_404(client, world, name, address, role):
    if role != "anonymous":
        permissions_world.sign_in(client, world, role)
    method = client.post if name == "notification_read" else client.get
    assert method(address(world)).status_code == 404
