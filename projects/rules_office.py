"""Who reads and who runs the project office (сид 001): the object is the project's municipality.

Coordinators of the municipality record states and edit the registry in the admin; its management reads; anyone
else is answered 404 like a missing page (docs/decisions/0001).
"""

from __future__ import annotations

import rules

from participants.models import User
from participants.roles import MANAGEMENT, user_is_coordinator


def _is_management(user) -> bool:
    if not user.is_authenticated or not user.is_active or not user.municipality_id:
        return False
    return user.role == User.Role.MANAGEMENT or user.groups.filter(name=MANAGEMENT).exists()


@rules.predicate
def coordinates_office_of(user, municipality) -> bool:
    return municipality is not None and user_is_coordinator(user) and user.municipality_id == municipality.pk


@rules.predicate
def manages_office_of(user, municipality) -> bool:
    return municipality is not None and user.municipality_id == municipality.pk and _is_management(user)


can_edit_office = rules.is_superuser | coordinates_office_of
can_read_office = can_edit_office | manages_office_of

rules.add_perm("projects.read_office", can_read_office)
rules.add_perm("projects.edit_office", can_edit_office)
