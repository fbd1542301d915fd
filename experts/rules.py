"""Who may see a group, read entry-interview notes, log a lesson visit and read a consultation (django-rules).

Decisions (приказ 643-од, положение, п. 2.2):
- the notes of the entry interview are read by the participant's curator (the curator of their group) and by
  the coordinators of the season's municipality — nobody else, superusers included;
- a lesson visit is logged by the curator of the participant's group, or by any active methodist of the
  participant's season (a methodist visits by subject, but participants often leave their subjects empty, and
  the quarterly coverage must not depend on it);
- a consultation's content is read by its author; a non-confidential one also by the season's coordinators.
  A psychologist's consultation is confidential: its content is read by the author only.
"""

from __future__ import annotations

import rules

from participants.models import Enrollment
from participants.roles import user_is_coordinator

from .models import (
    Consultation,
    EntryInterview,
    ExpertAssignment,
    ExpertGroup,
    ExpertRole,
    GroupMember,
    LessonVisit,
)


def _season_of(obj):
    """The season of a season, group, enrollment, consultation, interview, visit or competence test."""
    if obj is None:
        return None
    if isinstance(obj, (ExpertGroup, Enrollment, Consultation)):
        return obj.season
    if isinstance(obj, (EntryInterview, LessonVisit)) or hasattr(obj, "enrollment_id"):
        return obj.enrollment.season
    return obj  # a Season


def _enrollment_of(obj) -> Enrollment | None:
    if obj is None:
        return None
    return obj if isinstance(obj, Enrollment) else obj.enrollment


@rules.predicate
def is_season_coordinator(user, obj) -> bool:
    """A coordinator of the municipality the object's season belongs to (superusers are not, by themselves)."""
    season = _season_of(obj)
    if season is None or not user_is_coordinator(user):
        return False
    return user.municipality_id == season.program.municipality_id


@rules.predicate
def is_group_curator(user, group) -> bool:
    """The signed-in user is the active curator of the group."""
    if group is None or not user.is_authenticated or group.curator_id is None:
        return False
    curator = group.curator
    return curator.is_active and curator.role == ExpertRole.CURATOR and curator.person.user_id == user.pk


def _participant_group(enrollment: Enrollment) -> ExpertGroup | None:
    membership = (
        GroupMember.objects.select_related("group__curator__person").filter(enrollment_id=enrollment.pk).first()
    )
    return membership.group if membership else None


@rules.predicate
def is_participant_curator(user, obj) -> bool:
    """The curator of the group the participant (an enrollment or a row of theirs) belongs to."""
    enrollment = _enrollment_of(obj)
    if enrollment is None or not user.is_authenticated:
        return False
    return is_group_curator(user, _participant_group(enrollment))


def _has_assignment(user, season_id: int, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    return ExpertAssignment.objects.filter(
        person__user_id=user.pk, season_id=season_id, role__in=roles, is_active=True
    ).exists()


@rules.predicate
def is_season_methodist(user, obj) -> bool:
    season = _season_of(obj)
    return season is not None and _has_assignment(user, season.pk, ExpertRole.METHODIST)


@rules.predicate
def is_active_participant(user, enrollment) -> bool:
    return enrollment is not None and enrollment.status == Enrollment.Status.ACTIVE


@rules.predicate
def is_consultation_author(user, consultation) -> bool:
    if consultation is None or not user.is_authenticated:
        return False
    return consultation.expert.person.user_id == user.pk


@rules.predicate
def is_confidential(user, consultation) -> bool:
    return consultation is not None and consultation.is_confidential


# The curator's group page: its curator and the coordinators; the season's methodists read it without notes.
can_view_group = is_group_curator | is_season_coordinator | is_season_methodist
can_read_interview_notes = is_participant_curator | is_season_coordinator
can_log_visit = is_active_participant & (is_participant_curator | is_season_methodist)
can_read_consultation_content = is_consultation_author | (~is_confidential & is_season_coordinator)

rules.add_perm("experts.view_group_page", can_view_group)
rules.add_perm("experts.read_interview_notes", can_read_interview_notes)
rules.add_perm("experts.log_visit", can_log_visit)
rules.add_perm("experts.read_consultation_content", can_read_consultation_content)


# --- The participants' chat (seed 000 §4.4, §5.7; appendix: the technical specialist runs the chat) -----------


@rules.predicate
def is_season_tech_specialist(user, obj) -> bool:
    """An active technical specialist of the season (of a season or an enrollment)."""
    season = _season_of(obj)
    return season is not None and _has_assignment(user, season.pk, ExpertRole.TECH_SPECIALIST)


# The chat's members page and confirmation: the season's technical specialist, the season's coordinators and the
# portal's administrators (as on the attendance pages).
can_confirm_chat_membership = is_season_tech_specialist | is_season_coordinator | rules.is_superuser

rules.add_perm("experts.confirm_chat_membership", can_confirm_chat_membership)
