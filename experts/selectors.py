"""Reads of the bank of requests used by the cabinet and the admin."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from participants.models import Person

from .models import ExpertAssignment, ExpertRole, IndividualRequest


def person_requests(person: Person) -> list[IndividualRequest]:
    """A teacher's individual requests, newest first, with season, subject and tutor: one query."""
    return list(
        IndividualRequest.objects.filter(enrollment__person=person)
        .select_related("enrollment__season__program", "subject", "tutor__person")
        .order_by("-created_at", "-pk")
    )


def season_tutors(season_ids: Iterable[int]) -> QuerySet[ExpertAssignment]:
    """Active tutors of the given seasons, the ones a request may be assigned to."""
    return (
        ExpertAssignment.objects.filter(season_id__in=list(season_ids), role=ExpertRole.TUTOR, is_active=True)
        .select_related("person", "season__program")
        .order_by("season__program__title", "person__last_name", "person__first_name")
    )


def person_expert_assignments(person: Person, *, today=None) -> list[ExpertAssignment]:
    """The person's active expert assignments in seasons that have not ended: one query."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return list(
        ExpertAssignment.objects.filter(person=person, is_active=True, season__ends_on__gte=today)
        .select_related("season__program", "subject")
        .order_by("season__starts_on", "role")
    )
