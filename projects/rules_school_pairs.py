"""Who works with the «Школа – Школе» pairs (django-rules predicates; the object is a municipality or a pair).

The municipality's coordinators run the project (сид 001: «методисты ИМЦ Московского района»); its management
reads everything; a school's director reads the pairs of their own school. Anyone else is answered 404 like a
missing page (docs/decisions/0001-municipality-boundary.md).
"""

from __future__ import annotations

import rules

from participants.models import Person, User
from participants.roles import MANAGEMENT, user_is_coordinator


def _municipality_id(obj) -> int | None:
    if obj is None:
        return None
    if hasattr(obj, "season"):  # a pair
        return obj.season.program.municipality_id
    return obj.pk


def director_school_id(user) -> int | None:
    """The school a director's account belongs to (through the person's organisation), if any."""
    if not user.is_authenticated or not user.is_active or user.role != User.Role.DIRECTOR:
        return None
    return Person.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True).first()


@rules.predicate
def coordinates_pairs_of(user, obj) -> bool:
    municipality_id = _municipality_id(obj)
    return municipality_id is not None and user_is_coordinator(user) and user.municipality_id == municipality_id


@rules.predicate
def manages_pairs_of(user, obj) -> bool:
    municipality_id = _municipality_id(obj)
    if municipality_id is None or not user.is_authenticated or not user.is_active:
        return False
    if user.municipality_id != municipality_id:
        return False
    return user.role == User.Role.MANAGEMENT or user.groups.filter(name=MANAGEMENT).exists()


@rules.predicate
def directs_school_of_pair(user, obj) -> bool:
    """A pair: its leader or partner school is the director's. A municipality: the director's school is in it."""
    school = director_school_id(user) if obj is not None else None
    if school is None:
        return False
    if hasattr(obj, "school_ids"):
        return school in obj.school_ids
    return Person.objects.filter(user_id=user.pk, organisation__municipality_id=obj.pk).exists()


can_run_school_pairs = rules.is_superuser | coordinates_pairs_of
can_read_school_pairs = can_run_school_pairs | manages_pairs_of | directs_school_of_pair

rules.add_perm("projects.run_school_pairs", can_run_school_pairs)
rules.add_perm("projects.read_school_pairs", can_read_school_pairs)
