"""The rows the cabinet shows from participants and programs, for its cache (participants.cabinet_cache)."""

from programs.models import Municipality, Organisation, Program, RoadmapModule, Season, Subject

from .cabinet_cache import cabinet_reads
from .models import (
    Consent,
    Enrollment,
    EnrollmentStatusChange,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    Person,
    SchoolApplication,
)


def register() -> None:
    cabinet_reads(Person, "id")
    cabinet_reads(Enrollment, "person_id")
    cabinet_reads(EnrollmentStatusChange, "enrollment__person_id")
    cabinet_reads(Consent, "person_id")
    cabinet_reads(FeedbackResponse, "enrollment__person_id")
    cabinet_reads(FeedbackAnswer, "response__enrollment__person_id")
    # Shown in many cabinets: a school's application (to its administrators), the questions of a season, and the
    # programs' own rows.
    for model in (
        SchoolApplication,
        FeedbackQuestion,
        Municipality,
        Organisation,
        Subject,
        Program,
        Season,
        RoadmapModule,
    ):
        cabinet_reads(model, None)
