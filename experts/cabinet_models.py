"""The rows the cabinet's visits, consultations and requests show, for its cache (participants.cabinet_cache)."""

from participants.cabinet_cache import cabinet_reads

from .models import (
    CompetenceTest,
    Consultation,
    EntryInterview,
    ExpertAssignment,
    ExpertGroup,
    GroupMember,
    IndividualRequest,
    LessonVisit,
    MentoringPair,
    SeasonExpertRole,
)


def register() -> None:
    for model in (GroupMember, IndividualRequest, CompetenceTest, EntryInterview, LessonVisit):
        cabinet_reads(model, "enrollment__person_id")
    cabinet_reads(MentoringPair, "mentee__person_id")
    # A consultation's participants are a many-to-many link; the experts' names and roles show in many cabinets.
    for model in (Consultation, ExpertAssignment, ExpertGroup, SeasonExpertRole):
        cabinet_reads(model, None)
