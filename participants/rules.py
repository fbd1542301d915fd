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
