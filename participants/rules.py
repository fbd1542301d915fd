"""Who may follow a long job's progress and download its result, who reads a notification (django-rules)."""

import rules


@rules.predicate
def is_background_job_starter(user, job) -> bool:
    """The person who started the job; results may hold other people's data, so nobody else sees them."""
    if job is None or not user.is_authenticated:
        return False
    return job.started_by_id == user.pk


can_view_background_job = is_background_job_starter | rules.is_superuser

rules.add_perm("participants.view_background_job", can_view_background_job)


@rules.predicate
def is_notification_recipient(user, notification) -> bool:
    """A notification is read, and its link followed, only by the person it was sent to."""
    if notification is None or not user.is_authenticated:
        return False
    return notification.user_id == user.pk


rules.add_perm("participants.read_notification", is_notification_recipient)


# --- The audit trail -----------------------------------------------------------------------------------------


@rules.predicate
def reads_audit_trail(user, enrollment) -> bool:
    """An enrollment's «Журнал изменений»: the coordinators and management of its program's municipality."""
    from .roles import MANAGEMENT, user_is_coordinator  # roles imports the models, loaded after the rules

    if enrollment is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if not user.municipality_id or enrollment.season.program.municipality_id != user.municipality_id:
        return False
    if user_is_coordinator(user):
        return True
    return user.role == user.Role.MANAGEMENT or user.groups.filter(name=MANAGEMENT).exists()


rules.add_perm("participants.read_audit_trail", reads_audit_trail | rules.is_superuser)


@rules.predicate
def carries_out_erasures(user) -> bool:
    """Erasure requests are carried out by coordinators (in their municipality's admin); management only reads."""
    from .roles import user_is_coordinator

    return user_is_coordinator(user)


rules.add_perm("participants.carry_out_erasure", carries_out_erasures | rules.is_superuser)


@rules.predicate
def is_enrollment_owner(user, enrollment) -> bool:
    """The participant of the enrollment themselves (their account), nobody on their behalf."""
    if enrollment is None or not user.is_authenticated:
        return False
    return enrollment.person.user_id == user.pk


# «Я вступил(а) в чат» (seed 000 §4.4) is said by the participant alone; a superuser confirms, not claims.
rules.add_perm("participants.claim_chat_membership", is_enrollment_owner)


# --- «Методический абонемент»: admission without an approved school request (seed 004, §III.2) ----------------


@rules.predicate
def coordinates_season(user, season) -> bool:
    """A coordinator of the season's municipality: the one who agrees schools' requests may admit a teacher."""
    from .roles import user_is_coordinator

    if season is None or not user_is_coordinator(user):
        return False
    return season.program.municipality_id == user.municipality_id


rules.add_perm("participants.override_school_gate", coordinates_season)
