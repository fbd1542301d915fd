"""The rows the cabinet's roadmap, deadlines, video lessons, risks, route and certificates show, for its cache
(participants.cabinet_cache); the bulk attendance writes (activities.signals.attendance_changed) too."""

from django.dispatch import receiver

from participants.cabinet_cache import cabinet_reads, cabinet_rows_changed

from .models import (
    Activity,
    Attendance,
    Certificate,
    ExclusionCase,
    ExclusionCaseEvent,
    MissedVideo,
    RouteItem,
    Session,
    Submission,
    SubmissionExtension,
    SubmissionExtensionRequest,
    VideoAssignment,
)
from .signals import attendance_changed


def register() -> None:
    for model in (
        Attendance,
        Submission,
        SubmissionExtension,
        SubmissionExtensionRequest,
        MissedVideo,
        ExclusionCase,
        RouteItem,
        Certificate,
    ):
        cabinet_reads(model, "enrollment__person_id")
    cabinet_reads(ExclusionCaseEvent, "case__enrollment__person_id")
    for model in (Activity, Session, VideoAssignment):
        cabinet_reads(model, None)


@receiver(attendance_changed, dispatch_uid="activities_cabinet_attendance_changed")
def _attendance_changed(sender, *, session, **kwargs) -> None:
    """Marks written in bulk for a session: the cabinets of the people marked there (looked up after the commit,
    one query for every session the transaction marked)."""
    cabinet_rows_changed(Attendance, field="session_id", values=[session.pk], person_path="enrollment__person_id")
