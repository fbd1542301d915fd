"""The rows the cabinet's reviews, rating and achievements show, for its cache (participants.cabinet_cache)."""

from participants.cabinet_cache import cabinet_reads

from .models import Achievement, ParticipantRating, Review, ReviewComment, ReviewScore, Rubric, RubricCriterion


def register() -> None:
    cabinet_reads(Review, "submission__enrollment__person_id")
    cabinet_reads(ReviewScore, "review__submission__enrollment__person_id")
    cabinet_reads(ReviewComment, "review__submission__enrollment__person_id")
    cabinet_reads(ParticipantRating, "enrollment__person_id")
    cabinet_reads(Achievement, "enrollment__person_id")
    for model in (Rubric, RubricCriterion):
        cabinet_reads(model, None)
