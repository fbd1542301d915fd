"""Who may see and write the personnel reserve of «Школа Лидеров образования» (сид 001; django-rules).

Reserve records are personal data: they are read by the coordinators of the member's municipality and by the
member; the diagnostics (мероприятие 2.6) are written by the leaders' school's psychologist and, like a
psychologist's consultation (experts.rules), their strengths and deficits are read by their author only —
the coordinator sees that a diagnostic took place. Directors and management do not see the reserve.
"""

from __future__ import annotations

import rules

from participants.roles import user_is_coordinator

from .models.reserve import ReserveMember, TrajectoryItem
from .services_reserve import leaders_school_psychologist


def _municipality_id(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, TrajectoryItem):
        return obj.member.municipality_id
    if isinstance(obj, ReserveMember):
        return obj.municipality_id
    return obj.pk  # a Municipality


@rules.predicate
def is_reserve_coordinator(user, obj) -> bool:
    """A coordinator of the municipality the reserve (a municipality, a member or their item) belongs to."""
    municipality_id = _municipality_id(obj)
    return municipality_id is not None and user_is_coordinator(user) and user.municipality_id == municipality_id


@rules.predicate
def is_reserve_psychologist(user, member) -> bool:
    """An active psychologist of the municipality's «Школа Лидеров образования»."""
    return member is not None and leaders_school_psychologist(user, member.municipality_id) is not None


@rules.predicate
def is_item_owner(user, item) -> bool:
    return item is not None and user.is_authenticated and item.member.person.user_id == user.pk


@rules.predicate
def is_current_member(user, member) -> bool:
    return member is not None and member.is_current


@rules.predicate
def is_reportable_item(user, item) -> bool:
    return item is not None and item.state != TrajectoryItem.State.CANCELLED


can_manage_reserve = is_reserve_coordinator
can_view_reserve_member = is_reserve_coordinator | is_reserve_psychologist
can_record_diagnostic = is_reserve_psychologist & is_current_member
can_report_item = is_item_owner & is_reportable_item

rules.add_perm("projects.manage_reserve", can_manage_reserve)
rules.add_perm("projects.view_reserve_member", can_view_reserve_member)
rules.add_perm("projects.record_reserve_diagnostic", can_record_diagnostic)
rules.add_perm("projects.report_trajectory_item", can_report_item)
