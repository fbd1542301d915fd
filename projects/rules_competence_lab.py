"""Who may do what in the lab of professional competences (django-rules; the object is the municipality, or
the organisation a director answers the express survey for).

The map is open to the municipality's teachers (a person working in one of its organisations), its
coordinators and management; the organising committee (the coordinators) runs everything; management reads the
survey's summary and the yearly report; a director answers the survey for their own organisation only. Anyone
else is answered 404, like a missing page (docs/decisions/0001).
"""

from __future__ import annotations

import rules

from participants.models import Person, User
from participants.roles import MANAGEMENT, user_is_coordinator
from programs.models import Organisation


def person_of(user) -> Person | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return Person.objects.select_related("organisation").filter(user_id=user.pk).first()


def _is_management(user) -> bool:
    if not user.is_authenticated or not user.is_active or not user.municipality_id:
        return False
    return user.role == User.Role.MANAGEMENT or user.groups.filter(name=MANAGEMENT).exists()


@rules.predicate
def coordinates_lab(user, municipality) -> bool:
    return municipality is not None and user_is_coordinator(user) and user.municipality_id == municipality.pk


@rules.predicate
def manages_lab_municipality(user, municipality) -> bool:
    return municipality is not None and _is_management(user) and user.municipality_id == municipality.pk


@rules.predicate
def works_in_municipality(user, municipality) -> bool:
    """A teacher (any person with an account) of one of the municipality's organisations."""
    if municipality is None:
        return False
    person = person_of(user)
    return (
        person is not None
        and person.organisation is not None
        and person.organisation.municipality_id == (municipality.pk)
    )


@rules.predicate
def directs_organisation(user, organisation: Organisation) -> bool:
    if organisation is None or not user.is_authenticated or user.role != User.Role.DIRECTOR:
        return False
    person = person_of(user)
    return person is not None and person.organisation_id == organisation.pk


can_run_lab = rules.is_superuser | coordinates_lab
can_read_lab_reports = can_run_lab | manages_lab_municipality
can_view_lab_map = can_read_lab_reports | works_in_municipality

rules.add_perm("projects.view_lab_map", can_view_lab_map)
rules.add_perm("projects.take_part_in_lab", works_in_municipality)
rules.add_perm("projects.run_lab", can_run_lab)
rules.add_perm("projects.read_lab_reports", can_read_lab_reports)
rules.add_perm("projects.answer_lab_survey", directs_organisation)
