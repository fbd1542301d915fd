"""The deadline job: late submissions, video lessons missed at their cut-off, default attendance marks.

Every step is set-based (a fixed number of queries whatever the number of enrollments), safe to run twice
(the state it writes follows from the data, never from how often it ran) and safe to kill half-way (each
step is its own small transaction).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import history_bulk_record
from core.jobs import job_run
from core.models import JobRun
from participants.models import Enrollment
from programs.signals import rows_changed

from .exclusion import exclusion_message, exclusion_rules_apply
from .models import Attendance, MissedVideo, Session, Submission, SubmissionExtension, VideoAssignment
from .selectors import passed_before_admission
from .selectors_attendance import MARKING_DUE, expected_pairs
from .signals import attendance_changed

# Unmarked participants get the season's default status once the day for marking after a session has
# passed, so a coordinator marking the evening's meeting is never beaten by the job (and a default
# «absent» never triggers an exclusion before the real marks could be entered).
DEFAULTS_AFTER = MARKING_DUE


def submissions_mark_late(*, now: datetime) -> int:
    """Submissions made after their assignment's due date but not marked late: one UPDATE."""
    marked = Submission.objects.filter(
        is_late=False, submitted_at__gt=F("assignment__due_at"), submitted_at__lte=now
    ).update(is_late=True)
    if marked:
        rows_changed.send(sender=Submission)
    return marked


def _last_moment(cutoff: datetime, extension: datetime | None) -> datetime:
    return extension if extension is not None and extension > cutoff else cutoff


@transaction.atomic
def missed_videos_sync(*, now: datetime) -> tuple[int, int]:
    """Record the video lessons missed at their last moment; drop records the data no longer supports.

    An active enrollment without a current submission whose cut-off (or later personal extension) has
    passed gets a MissedVideo — unless that last moment passed before the participant was admitted
    (Enrollment.admitted_at): a deadline before admission is never a ground (seed 000, п. 4.4, 5.5). A record
    whose enrollment has since submitted, or was given an extension reaching into the future, is removed, and
    so is one written after the admission about a last moment before it. Returns (recorded, removed). Seven
    queries at most.
    """
    admitted = Enrollment.ADMITTED_AT_FIELD
    stale = MissedVideo.objects.filter(
        Q(
            enrollment__status=Enrollment.Status.ACTIVE,
            cutoff_at__lte=F(f"enrollment__{admitted}"),
            recorded_at__gt=F(f"enrollment__{admitted}"),
        )
        | Exists(
            Submission.objects.filter(
                assignment_id=OuterRef("assignment_id"), enrollment_id=OuterRef("enrollment_id"), is_current=True
            )
        )
        | Exists(
            SubmissionExtension.objects.filter(
                assignment_id=OuterRef("assignment_id"), enrollment_id=OuterRef("enrollment_id"), until__gt=now
            )
        )
    )
    removed, _by_model = stale.delete()
    assignments = {
        a["pk"]: a
        for a in VideoAssignment.objects.filter(cutoff_at__lte=now).values("pk", "cutoff_at", "activity__season_id")
    }
    if not assignments:
        return 0, removed
    season_ids = {a["activity__season_id"] for a in assignments.values()}
    enrollments = list(
        Enrollment.objects.filter(season_id__in=season_ids, status=Enrollment.Status.ACTIVE).only(
            "pk", "season_id", "status", admitted
        )
    )
    if not enrollments:
        return 0, removed
    enrollment_ids = [e.pk for e in enrollments]
    submitted = set(
        Submission.objects.filter(
            assignment_id__in=assignments, enrollment_id__in=enrollment_ids, is_current=True
        ).values_list("enrollment_id", "assignment_id")
    )
    extended = {
        (enrollment_id, assignment_id): until
        for enrollment_id, assignment_id, until in SubmissionExtension.objects.filter(
            assignment_id__in=assignments, enrollment_id__in=enrollment_ids
        ).values_list("enrollment_id", "assignment_id", "until")
    }
    by_season: dict[int, list[dict]] = {}
    for assignment in assignments.values():
        by_season.setdefault(assignment["activity__season_id"], []).append(assignment)
    rows = []
    for enrollment in enrollments:
        enrollment_id = enrollment.pk
        for assignment in by_season.get(enrollment.season_id, []):
            key = (enrollment_id, assignment["pk"])
            if key in submitted:
                continue
            last = _last_moment(assignment["cutoff_at"], extended.get(key))
            if last <= now and not passed_before_admission(last, enrollment):
                rows.append(
                    MissedVideo(
                        assignment_id=assignment["pk"], enrollment_id=enrollment_id, cutoff_at=last, recorded_at=now
                    )
                )
    if not rows:
        return 0, removed
    known = set(
        MissedVideo.objects.filter(assignment_id__in=assignments, enrollment_id__in=enrollment_ids).values_list(
            "enrollment_id", "assignment_id"
        )
    )
    rows = [row for row in rows if (row.enrollment_id, row.assignment_id) not in known]
    # ignore_conflicts: a record written meanwhile (another run, or a retry) stays as it was.
    MissedVideo.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    rows_changed.send(sender=MissedVideo)
    return len(rows), removed


@transaction.atomic
def attendance_defaults_apply(*, now: datetime) -> tuple[int, int]:
    """Give everyone expected at an ended session and left unmarked the season's default status.

    Only sessions not done before (defaults_applied_at is NULL) and ended more than DEFAULTS_AFTER ago;
    a season whose default is «leave unmarked» gets no marks, but its sessions are stamped all the same so
    they are not looked at again. A mark that exists is never touched (and a manual mark written meanwhile
    wins: conflicts are ignored). Returns (marks written, sessions done). Five queries at most.
    """
    sessions = list(
        Session.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(ends_at__lte=now - DEFAULTS_AFTER, defaults_applied_at__isnull=True)
        .select_related("activity__season")
        .order_by("pk")
    )
    if not sessions:
        return 0, 0
    marking = [s for s in sessions if s.activity.season.default_attendance_status]
    rows, marked_sessions = [], []
    if marking:
        # Only the participants expected at each session (selectors_attendance.expected_pairs: its audience, admitted
        # before it ended) — an intensive of another format, or an «open» meeting, gives nobody a default mark.
        expected = expected_pairs(marking)
        marked = set(
            Attendance.objects.filter(session_id__in=[s.pk for s in marking]).values_list("session_id", "enrollment_id")
        )
        by_session: dict[int, list[int]] = {}
        for session_id, enrollment_id in sorted(expected - marked):
            by_session.setdefault(session_id, []).append(enrollment_id)
        for session in marking:
            status = session.activity.season.default_attendance_status
            new = [
                Attendance(
                    session=session,
                    enrollment_id=enrollment_id,
                    status=status,
                    marked_at=now,
                    marked_by=None,
                    is_default=True,
                    source="default",
                )
                for enrollment_id in by_session.get(session.pk, [])
            ]
            if new:
                rows.extend(new)
                marked_sessions.append(session)
        Attendance.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        # ignore_conflicts returns no ids (and skips rows a manual mark won): the history records what this run
        # actually wrote, read back in one query by its stamp.
        history_bulk_record(
            Attendance,
            Attendance.objects.filter(
                session_id__in=[s.pk for s in marked_sessions], source="default", is_default=True, marked_at=now
            ),
            created=True,
        )
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(defaults_applied_at=now)
    for session in marked_sessions:
        # Ratings queue one recompute per season after the commit.
        attendance_changed.send(sender=Session, session=session)
    return len(rows), len(sessions)


def deadlines_check(*, now: datetime) -> dict[str, int]:
    """The three deadline steps, each in its own transaction; counts by name for the job log."""
    late = submissions_mark_late(now=now)
    missed, missed_removed = missed_videos_sync(now=now)
    default_marks, sessions = attendance_defaults_apply(now=now)
    return {
        "late": late,
        "missed": missed,
        "missed_removed": missed_removed,
        "default_marks": default_marks,
        "sessions_closed": sessions,
    }


def deadlines_message(counts: dict[str, int]) -> str:
    return _(
        "Отмечено сданных с опозданием: %(late)s. Зафиксировано несданных видеоуроков: %(missed)s "
        "(снято после сдачи или продления: %(missed_removed)s). Отметок по умолчанию: %(default_marks)s "
        "на занятиях: %(sessions_closed)s."
    ) % {k: counts.get(k, 0) for k in ("late", "missed", "missed_removed", "default_marks", "sessions_closed")}


def check_deadlines_job(*, now: datetime | None = None, trigger: str = JobRun.Trigger.SCHEDULE, deadlines: bool = True):
    """The scheduled job «check_deadlines»: deadlines first, then the exclusion rules, logged as one run.

    `deadlines=False` applies only the exclusion rules (the apply_exclusion_rules command); it shares the
    job's lock so the two never run at once. Returns the JobRecorder (skipped when another run holds it).
    """
    with job_run("check_deadlines", trigger=trigger) as run:
        if run.skipped:
            return run
        moment = now or timezone.now()
        if deadlines:
            counts = deadlines_check(now=moment)
            for name, n in counts.items():
                run.count(name, n)
            run.say(deadlines_message(counts))
        counts = exclusion_rules_apply(now=moment)
        for name, n in counts.items():
            run.count(name, n)
        run.say(exclusion_message(counts))
    return run
