"""Reads of people and enrollments used by more than one view."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from .models import Enrollment, Person


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


def person_with_organisation(user) -> Person | None:
    """The signed-in user's person with the organisation the cabinet's header shows: one query."""
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("organisation").filter(user=user).first()
