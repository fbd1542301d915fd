"""Reads of people and enrollments used by more than one view."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import OuterRef, Subquery

from .models import Consent, Enrollment, FeedbackResponse, Person


def person_for_user(user) -> Person | None:
    """The person record of a signed-in user, or None (staff accounts may have none)."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except ObjectDoesNotExist:
        return None


def person_enrollments(person: Person) -> list[Enrollment]:
    """Every enrollment of the person, newest season first, with season and program: one query."""
    return list(
        Enrollment.objects.filter(person=person)
        .select_related("season__program")
        .order_by("-season__starts_on", "season__program__title")
    )


def _latest_feedback(field: str) -> Subquery:
    return Subquery(
        FeedbackResponse.objects.filter(enrollment=OuterRef("pk")).order_by("-year", "-quarter").values(field)[:1]
    )


def cabinet_person_enrollments(user) -> tuple[Person | None, list[Enrollment]]:
    """The signed-in user's person and every enrollment of theirs for the cabinet: one query (two without
    enrollments), instead of a query for the person, one for the enrollments, one for the rating consent and
    one for the quarter's feedback responses.

    The enrollments come newest season first with season and program, and share one person instance (with
    the organisation, and the user so that `person.user` and `user.person` cost nothing). The person carries
    `rating_consent_at` (when the standing consent to publish the name in the rating was given, or None);
    each enrollment carries `feedback_latest`: (year, quarter, submitted_at) of its latest quarterly
    feedback response, or None.
    """
    if not user.is_authenticated:
        return None, []
    rows = list(
        Enrollment.objects.filter(person__user=user)
        .select_related("person__organisation", "season__program")
        .annotate(
            rating_consent_at=Subquery(
                Consent.objects.filter(
                    person=OuterRef("person_id"), kind=Consent.Kind.RATING_PUBLICATION, withdrawn_at__isnull=True
                )
                .order_by("-given_at")
                .values("given_at")[:1]
            ),
            feedback_year=_latest_feedback("year"),
            feedback_quarter=_latest_feedback("quarter"),
            feedback_at=_latest_feedback("submitted_at"),
        )
        .order_by("-season__starts_on", "season__program__title")
    )
    if rows:
        person = rows[0].person
        person.rating_consent_at = rows[0].rating_consent_at
    else:
        person = Person.objects.select_related("organisation").filter(user=user).first()
        if person is None:
            return None, []
        person.rating_consent_at = None
    person.user = user  # also caches user.person: the header's name and the sections ask for them
    for enrollment in rows:
        enrollment.person = person
        enrollment.feedback_latest = (
            (enrollment.feedback_year, enrollment.feedback_quarter, enrollment.feedback_at)
            if enrollment.feedback_year is not None
            else None
        )
    return person, rows
