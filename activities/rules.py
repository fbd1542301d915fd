"""Who may see a teacher's video lesson and who may extend a deadline (django-rules predicates)."""

import rules

from participants.models import Person, User


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
    if obj is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if getattr(user, "role", None) != User.Role.COORDINATOR or not user.municipality_id:
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


can_view_submission_file = is_submission_owner | rules.is_superuser | is_season_coordinator | is_season_expert
can_grant_extension = rules.is_superuser | is_season_coordinator

rules.add_perm("activities.view_submission_file", can_view_submission_file)
rules.add_perm("activities.grant_extension", can_grant_extension)


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
    if enrollment is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if getattr(user, "role", None) != User.Role.COORDINATOR or not user.municipality_id:
        return False
    return user.municipality_id == enrollment.season.program.municipality_id


can_build_route = rules.is_superuser | is_enrollment_coordinator | is_enrollment_tutor

rules.add_perm("activities.build_route", can_build_route)
