"""Who may see a teacher's video lesson and who may extend a deadline (django-rules predicates)."""

import rules

from participants.models import Person
from participants.roles import user_is_coordinator


def _season(obj):
    """The season of a submission or of an assignment (both reach it through the activity)."""
    assignment = getattr(obj, "assignment", obj)
    return assignment.activity.season


@rules.predicate
def is_submission_owner(user, submission) -> bool:
    if submission is None or not user.is_authenticated:
        return False
    return submission.enrollment.person.user_id == user.pk


@rules.predicate
def is_season_coordinator(user, obj) -> bool:
    """A staff coordinator of the municipality the season's program belongs to (a submission or an assignment)."""
    if obj is None or not user_is_coordinator(user):
        return False
    return user.municipality_id == _season(obj).program.municipality_id


@rules.predicate
def is_season_expert(user, submission) -> bool:
    """An expert working in the submission's season; the reverse relation spares importing the experts app."""
    if submission is None or not user.is_authenticated:
        return False
    return Person.objects.filter(
        user_id=user.pk,
        expert_assignments__season_id=_season(submission).pk,
        expert_assignments__is_active=True,
    ).exists()


@rules.predicate
def is_submission_reviewer(user, submission) -> bool:
    """An active expert this very submission is in the queue of (ratings.ReviewAssignment, by the season's rules
    or a coordinator's hand), or — like ratings.selectors.reviewer_for — the season's active methodist of its
    subject when methodists review by subject (one who joined after the lesson was queued). Reverse relations
    spare importing ratings and experts."""
    if submission is None or not user.is_authenticated or not user.is_active:
        return False
    if submission.review_assignments.filter(expert__person__user_id=user.pk, expert__is_active=True).exists():
        return True
    season = _season(submission)
    if not (season.review_by_subject_methodist and submission.subject_id):
        return False
    return Person.objects.filter(
        user_id=user.pk,
        expert_assignments__season_id=season.pk,
        expert_assignments__is_active=True,
        expert_assignments__role="methodist",
        expert_assignments__subject_id=submission.subject_id,
    ).exists()


@rules.predicate
def is_group_curator(user, submission) -> bool:
    """The active curator of the group the teacher is in this season (experts.ExpertGroup, by reverse relation)."""
    if submission is None or not user.is_authenticated or not user.is_active:
        return False
    return Person.objects.filter(
        user_id=user.pk,
        expert_assignments__is_active=True,
        expert_assignments__curated_groups__members__enrollment_id=submission.enrollment_id,
    ).exists()


@rules.predicate
def season_opens_videos_to_experts(user, submission) -> bool:
    """The season opened its teachers' videos to all its experts (Season.videos_open_to_experts, with a reason)."""
    if submission is None:
        return False
    return _season(submission).videos_open_to_experts


# Not every expert of the season: a psychologist or another subject's methodist has no business with a lesson
# unless the season says its whole team works with them (docs/decisions/0002-video-access.md). Anyone else gets the 404 of a missing id.
can_view_submission_file = (
    is_submission_owner
    | rules.is_superuser
    | is_season_coordinator
    | is_submission_reviewer
    | is_group_curator
    | (season_opens_videos_to_experts & is_season_expert)
)
can_grant_extension = rules.is_superuser | is_season_coordinator

rules.add_perm("activities.view_submission_file", can_view_submission_file)
rules.add_perm("activities.grant_extension", can_grant_extension)


# --- Attendance (положение, п. 4.4) -------------------------------------------------------------------

# Expert roles that take attendance at a session of their season; strings, as activities cannot import experts.
ATTENDANCE_EXPERT_ROLES = ("curator", "methodist", "psychologist", "tutor", "mentor", "tech_specialist")


def _session_season_id(session) -> int:
    return session.activity.season_id


@rules.predicate
def is_session_coordinator(user, session) -> bool:
    """A staff coordinator of the municipality the session's program belongs to."""
    return is_season_coordinator.test(user, session)


@rules.predicate
def is_session_expert(user, session) -> bool:
    """An expert of the session's season in a role that works with participants (curator, methodist, …)."""
    if session is None or not user.is_authenticated or not user.is_active:
        return False
    return Person.objects.filter(
        user_id=user.pk,
        expert_assignments__season_id=_session_season_id(session),
        expert_assignments__is_active=True,
        expert_assignments__role__in=ATTENDANCE_EXPERT_ROLES,
    ).exists()


can_take_attendance = rules.is_superuser | is_session_coordinator | is_session_expert

rules.add_perm("activities.take_attendance", can_take_attendance)

# Turning default marks into real ones makes them evidence for exclusion (положение, п. 4.4, 5.5): the
# coordinator's decision, never an expert's.
can_confirm_attendance_defaults = rules.is_superuser | is_session_coordinator

rules.add_perm("activities.confirm_attendance_defaults", can_confirm_attendance_defaults)


@rules.predicate
def is_any_coordinator(user) -> bool:
    """A staff coordinator attached to a municipality (the sessions list shows that municipality's sessions)."""
    return user_is_coordinator(user)


@rules.predicate
def is_any_expert(user) -> bool:
    """Someone with an active expert assignment in any season (the list filters by role and season itself)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Person.objects.filter(user_id=user.pk, expert_assignments__is_active=True).exists()


can_list_attendance_sessions = rules.is_superuser | is_any_coordinator | is_any_expert

rules.add_perm("activities.list_attendance_sessions", can_list_attendance_sessions)
# --- The tutor's route builder -------------------------------------------------------------------------------


@rules.predicate
def is_enrollment_tutor(user, enrollment) -> bool:
    """The active tutor of one of the enrollment's individual requests; the reverse relation
    enrollment.individual_requests spares importing the experts app."""
    if enrollment is None or not user.is_authenticated:
        return False
    return enrollment.individual_requests.filter(tutor__person__user_id=user.pk, tutor__is_active=True).exists()


@rules.predicate
def is_enrollment_coordinator(user, enrollment) -> bool:
    """A staff coordinator of the municipality the enrollment's program belongs to."""
    if enrollment is None or not user_is_coordinator(user):
        return False
    return user.municipality_id == enrollment.season.program.municipality_id


can_build_route = rules.is_superuser | is_enrollment_coordinator | is_enrollment_tutor

rules.add_perm("activities.build_route", can_build_route)


# --- Certificates (положение, п. 5.9) ------------------------------------------------------------------


def _program_municipality_id(obj) -> int | None:
    """The municipality of a certificate's, an activity's or a season's program."""
    if hasattr(obj, "enrollment"):  # a certificate
        return obj.enrollment.season.program.municipality_id
    season = getattr(obj, "season", obj)  # an activity reaches it through its season
    return season.program.municipality_id


@rules.predicate
def is_certificate_coordinator(user, obj) -> bool:
    """A staff coordinator of the municipality of the certificate's (activity's, season's) program."""
    if obj is None or not user_is_coordinator(user):
        return False
    return user.municipality_id == _program_municipality_id(obj)


can_manage_certificate = rules.is_superuser | is_certificate_coordinator

# Revoke and re-issue a certificate; issue now for a season or an activity; download an activity's ZIP.
rules.add_perm("activities.manage_certificate", can_manage_certificate)
rules.add_perm("activities.issue_certificates", can_manage_certificate)
# --- Exclusion cases (положение, п. 5.5) ------------------------------------------------------------------


@rules.predicate
def is_exclusion_case_coordinator(user, case) -> bool:
    """A staff coordinator of the municipality the case's program belongs to: only they decide on it."""
    if case is None or not user_is_coordinator(user):
        return False
    return user.municipality_id == case.enrollment.season.program.municipality_id


can_decide_exclusion_case = rules.is_superuser | is_exclusion_case_coordinator

rules.add_perm("activities.decide_exclusion_case", can_decide_exclusion_case)
