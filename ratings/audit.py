"""Ratings' part of an enrollment's «Журнал изменений» (participants.journal): the reviews of the participant's
video lessons, from their audit trail. Registered from RatingsConfig.ready()."""

from django.utils.translation import gettext as _

from participants.journal import JournalSource, register_journal_source

from .models import Review


def _review_label(record) -> str:
    submission = record.submission
    if submission is None:  # the submission was deleted since
        return _("Рецензия на видеоурок")
    return _("Рецензия на видеоурок «%(activity)s», версия %(version)s") % {
        "activity": submission.assignment.activity.title,
        "version": submission.version,
    }


def register() -> None:
    register_journal_source(
        JournalSource(
            model=Review,
            enrollment_path="submission__enrollment_id",
            label=_review_label,
            related=("submission__assignment__activity",),
            skip=frozenset({"started_at", "submitted_at", "released_at"}),
        )
    )
