"""Who works with «Траектория развития» (сид 001; django-rules predicates, the object is a municipality or a school).

The municipality's coordinators (методисты ИМЦ) run the project: they review the mentoring practices and may enter
any school's monitoring; its management reads everything; a school's director enters their school's monitoring and
reads their school's communities and practices. Anyone else is answered 404 like a missing page
(docs/decisions/0001-municipality-boundary.md).
"""

from __future__ import annotations

import rules

from participants.roles import user_is_coordinator
from programs.models import Municipality, Organisation

from .rules_communities import user_is_management
from .rules_school_pairs import director_school_id


def _municipality_id(obj) -> int | None:
    if isinstance(obj, Organisation):
        return obj.municipality_id
    if isinstance(obj, Municipality):
        return obj.pk
    return None


@rules.predicate
def coordinates_trajectory(user, obj) -> bool:
    municipality_id = _municipality_id(obj)
    if municipality_id is None or not user.is_authenticated:
        return False
    return user.is_superuser or (user_is_coordinator(user) and user.municipality_id == municipality_id)


@rules.predicate
def manages_trajectory(user, obj) -> bool:
    municipality_id = _municipality_id(obj)
    return municipality_id is not None and user_is_management(user) and user.municipality_id == municipality_id


@rules.predicate
def directs_school_in(user, obj) -> bool:
    """A municipality: the director's school is in it. A school: it is the director's."""
    school_id = director_school_id(user) if obj is not None else None
    if school_id is None:
        return False
    if isinstance(obj, Organisation):
        return obj.pk == school_id
    return Organisation.objects.filter(pk=school_id, municipality_id=_municipality_id(obj)).exists()


can_run_trajectory = coordinates_trajectory
can_read_trajectory = coordinates_trajectory | manages_trajectory | directs_school_in
# A school's monitoring: its director or the coordinator (сид 001, мероприятие 8).
can_enter_mentoring_forms = coordinates_trajectory | directs_school_in

rules.add_perm("projects.run_trajectory", can_run_trajectory)
rules.add_perm("projects.read_trajectory", can_read_trajectory)
rules.add_perm("projects.enter_mentoring_forms", can_enter_mentoring_forms)
