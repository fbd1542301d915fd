"""Video-lesson submissions and personal extensions of their cut-off."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import history_bulk_record, history_context
from participants.models import Enrollment, Person, User
from participants.selectors import person_for_user
from programs.models import Subject
from programs.signals import rows_changed

from .attendance_import import name_variants, normalise_name, read_attendance_export
from .models import Activity, Attendance, CheckinAttempt, Session, Submission, SubmissionExtension, VideoAssignment
from .rules import can_confirm_attendance_defaults, can_grant_extension, can_take_attendance
from .selectors_attendance import expected_enrollments, listed_enrollments, why_not_listed
from .services_bucket import BucketVideo
from .signals import attendance_changed
from .video_files import validate_video_file, video_max_bytes
from .video_links import parse_video_link
from .video_state import REPLACEABLE, format_moment, window_error

logger = logging.getLogger(__name__)


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: [message]} if field else message)


def _check_submitter(enrollment: Enrollment, assignment: VideoAssignment, by: User) -> None:
    if by is None or enrollment.person.user_id != by.pk:
        raise PermissionDenied
    if assignment.activity.season_id != enrollment.season_id:
        _refuse(_("Это задание другой программы или другого сезона: сдать его по этому участию нельзя."))
    if enrollment.status != Enrollment.Status.ACTIVE:
        if enrollment.status == Enrollment.Status.APPLIED:
            _refuse(_("Сдавать видеоуроки можно после того, как координатор утвердит вашу заявку."))
        _refuse(
            _("Сдавать видеоуроки могут только участники программы; ваш статус: «%(status)s».")
            % {"status": enrollment.get_status_display()}
        )


def _check_replaceable(current: Submission | None) -> None:
    if current is None:
        return
    # The status is the rule; a review row on a "submitted" version means an expert has already opened it.
    started = current.status not in REPLACEABLE or (
        current.status == Submission.Status.SUBMITTED
        and Submission.objects.filter(pk=current.pk, reviews__isnull=False).exists()
    )
    if started:
        _refuse(
            _("Заменить видеоурок нельзя: его уже проверяют эксперты (статус «%(status)s»).")
            % {"status": current.get_status_display()}
        )


def _check_fields(
    *, assignment: VideoAssignment, link: str | None, file: File | None, topic: str, learning_format: str
) -> tuple[str, str | None]:
    """The normalised link (or "") and the file's kind (or None); every field error at once."""
    errors: dict[str, list] = {}
    url, kind = "", None
    if link and file is not None:
        errors["video_url"] = [_("Укажите что-то одно: ссылку на видео или файл.")]
    elif not link and file is None:
        errors["video_url"] = [_("Вставьте ссылку на видео или выберите видеофайл.")]
    elif link:
        try:
            url = parse_video_link(link).url
        except ValidationError as exc:
            errors["video_url"] = exc.messages
    else:
        season = assignment.activity.season
        try:
            kind = validate_video_file(file, max_bytes=video_max_bytes(season))
        except ValidationError as exc:
            errors["video_file"] = exc.messages
    if not topic.strip():
        errors["topic"] = [_("Укажите тему урока.")]
    module = assignment.activity.module
    formats = list(module.learning_formats or []) if module is not None else []
    if formats and learning_format not in formats:
        errors["learning_format"] = [
            _("Выберите формат обучения из списка дорожной карты: %(formats)s.") % {"formats": "; ".join(formats)}
        ]
    if errors:
        raise ValidationError(errors)
    return url, kind


def submission_submit(
    *,
    enrollment: Enrollment,
    assignment: VideoAssignment,
    link: str | None = None,
    file: File | None = None,
    topic: str,
    grade: str = "",
    subject: Subject | None = None,
    learning_format: str = "",
    reflection: str = "",
    by: User,
) -> Submission:
    """Submit (or replace) a teacher's video lesson; every earlier version is kept.

    Refused before the window opens and after the cut-off (unless a personal extension runs later), for
    another season's assignment, for an enrollment that is not active and once a review has started.
    Marked late after the due date. The enrollment row is locked so that two parallel submits line up.
    The higher apps' steps (its reviewers) run in the same transaction: should one fail, nothing is submitted.
    """
    stored: list[str] = []
    try:
        submission = _submit(
            enrollment=enrollment,
            assignment=assignment,
            link=(link or "").strip() or None,
            file=file,
            topic=topic,
            grade=grade,
            subject=subject,
            learning_format=learning_format,
            reflection=reflection,
            by=by,
            stored=stored,
        )
    except BaseException:
        # The row was rolled back: the file saved for it must not stay behind.
        for name in stored:
            Submission._meta.get_field("video_file").storage.delete(name)
        raise
    return submission


@transaction.atomic
def _submit(*, enrollment, assignment, link, file, topic, grade, subject, learning_format, reflection, by, stored):
    now = timezone.now()
    enrollment = Enrollment.objects.select_for_update().select_related("person", "season").get(pk=enrollment.pk)
    assignment = VideoAssignment.objects.select_related("activity__season__program", "activity__module").get(
        pk=assignment.pk
    )
    _check_submitter(enrollment, assignment, by)
    season = assignment.activity.season
    extension = SubmissionExtension.objects.filter(assignment=assignment, enrollment=enrollment).first()
    if message := window_error(assignment, extension, season, now):
        _refuse(message)
    versions = list(
        Submission.objects.select_for_update().filter(assignment=assignment, enrollment=enrollment).order_by("-version")
    )
    current = next((v for v in versions if v.is_current), None)
    _check_replaceable(current)
    url, kind = _check_fields(assignment=assignment, link=link, file=file, topic=topic, learning_format=learning_format)

    submission = Submission(
        assignment=assignment,
        enrollment=enrollment,
        version=(versions[0].version + 1) if versions else 1,
        is_current=True,
        video_url=url,
        topic=topic.strip(),
        grade=grade.strip(),
        subject=subject,
        learning_format=learning_format.strip(),
        reflection=reflection.strip(),
        submitted_at=now,
        is_late=now > assignment.due_at,
        status=Submission.Status.SUBMITTED,
    )
    if file is not None:
        # Our own name: the teacher's file name never reaches the disk or a header.
        name = f"{uuid.uuid4().hex}.{kind}"
        if isinstance(file, BucketVideo):
            # Already in the bucket (sent there by the browser): copied inside it, never through this process.
            submission.video_file.name = file.copy_to(submission.video_file.field.generate_filename(submission, name))
        else:
            submission.video_file.save(name, file, save=False)
        stored.append(submission.video_file.name)
    try:
        with transaction.atomic():
            if current is not None:
                Submission.objects.filter(pk=current.pk).update(is_current=False)
            submission.save()
    except IntegrityError:
        _refuse(_("Видеоурок уже отправлен из другого окна. Обновите страницу и проверьте, что сдано."))
    _run_submission_handlers(submission=submission, previous=current)
    return submission


# --- Higher apps' steps of a submission ----------------------------------------------------------------------
# A registry, because the teacher submits here and activities cannot know the apps above it; each step runs in
# the submission's transaction (ratings: the lesson's reviewers), so a lesson is never left without them.
SubmissionHandler = Callable[..., None]
_submission_handlers: dict[str, SubmissionHandler] = {}


def register_submission_handler(fn: SubmissionHandler) -> None:
    """Register (or replace, on autoreload) a higher app's step of submitting a video lesson; it is called as
    fn(submission=<the new current version>, previous=<the version it replaced, or None>)."""
    _submission_handlers[f"{fn.__module__}.{fn.__qualname__}"] = fn


def _run_submission_handlers(*, submission: Submission, previous: Submission | None) -> None:
    try:
        with transaction.atomic():
            for handler in _submission_handlers.values():
                handler(submission=submission, previous=previous)
    except DatabaseError:
        logger.exception("Submission %s: a step after saving failed, the submission is rolled back", submission.pk)
        _refuse(
            _(
                "Видеоурок не удалось передать экспертам на проверку, поэтому он не сдан. Отправьте его ещё раз; "
                "если ошибка повторится, напишите координатору."
            )
        )


def _extension_errors(*, assignment, enrollment, until, reason, now) -> dict[str, list]:
    errors: dict[str, list] = {}
    season = assignment.activity.season
    if enrollment.season_id != season.pk:
        errors["enrollment"] = [_("Участник записан в другой сезон: продлить ему это задание нельзя.")]
    if until is None:
        errors["until"] = [_("Укажите, до какого момента продлён срок.")]
    elif until <= assignment.cutoff_at:
        errors["until"] = [
            _("Продление должно заканчиваться позже окончательного срока задания (%(cutoff)s).")
            % {"cutoff": format_moment(assignment.cutoff_at, season)}
        ]
    elif until <= now:
        errors["until"] = [_("Этот момент уже прошёл: укажите дату в будущем.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Укажите основание продления.")]
    return errors


def extension_check(
    *, assignment: VideoAssignment, enrollment: Enrollment, until: datetime | None, reason: str, by: User
) -> None:
    """What extension_grant would refuse, as field errors, without writing anything (for forms)."""
    if by is None or not can_grant_extension.test(by, assignment):
        raise ValidationError(_("Продлевать сроки может только координатор муниципалитета этой программы."))
    errors = _extension_errors(
        assignment=assignment, enrollment=enrollment, until=until, reason=reason, now=timezone.now()
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def extension_grant(
    *, assignment: VideoAssignment, enrollment: Enrollment, until: datetime, reason: str, by: User
) -> SubmissionExtension:
    """Give one teacher a later cut-off for one assignment (replacing an earlier extension of theirs)."""
    assignment = VideoAssignment.objects.select_related("activity__season__program").get(pk=assignment.pk)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    extension_check(assignment=assignment, enrollment=enrollment, until=until, reason=reason, by=by)
    extension, _created = SubmissionExtension.objects.update_or_create(
        assignment=assignment,
        enrollment=enrollment,
        defaults={"until": until, "reason": reason.strip(), "granted_by": by, "granted_at": timezone.now()},
    )
    return extension


# --- Attendance: marks, «all present», import from a video meeting's export, self check-in by code --------

LATE_AFTER = timedelta(minutes=10)
CHECKIN_OPENS_BEFORE = timedelta(minutes=15)
CHECKIN_MAX_WRONG = 5
# Marks a person made (a coordinator's or the teacher's own check-in) that an import keeps unless told otherwise.
PROTECTED_SOURCES = ("manual", "self")
_MARK_FIELDS = ["status", "reason", "marked_at", "marked_by", "is_default", "source"]


def _attendance_session(session: Session) -> Session:
    return Session.objects.select_related("activity__season__program").get(pk=session.pk)


def session_not_started_error(session: Session, now: datetime) -> str | None:
    """Why no mark can be set yet, or None once the session has started.

    A mark records what happened at a meeting; before its start nothing has (and a mark then would count toward
    a certificate, seed 000 §5.9). Every marking path asks this: the page, «все присутствуют», the import, the
    admin. The self check-in keeps its own window (checkin_window), which opens a quarter of an hour earlier.
    """
    if now >= session.starts_at:
        return None
    return _("Занятие ещё не началось: отметки можно ставить с %(moment)s (начало занятия).") % {
        "moment": format_moment(session.starts_at, session.activity.season)
    }


def _check_started(session: Session, now: datetime | None) -> None:
    if message := session_not_started_error(session, now or timezone.now()):
        _refuse(message)


def _check_marker(session: Session, by: User) -> Person | None:
    if by is None or not can_take_attendance.test(by, session):
        raise PermissionDenied
    return person_for_user(by)


def _expected(session: Session) -> dict[int, Enrollment]:
    """Who may be marked at the session: its listed participants (the expected ones, or anyone for «По желанию»)."""
    return {e.pk: e for e in listed_enrollments(session).select_related("person__user")}


def _not_listed_errors(session: Session, ids: list[int]) -> dict[str, list[str]]:
    """Per posted enrollment id that may not be marked here, why: one query for them all."""
    known = {e.pk: e for e in Enrollment.objects.filter(pk__in=ids).select_related("person")}
    errors = {}
    for pk in ids:
        enrollment = known.get(pk)
        if enrollment is None:
            errors[str(pk)] = [_("Участника с записью №%(id)s нет, отметить его нельзя.") % {"id": pk}]
        else:
            errors[str(pk)] = [
                _("%(name)s: отметить нельзя. %(why)s")
                % {"name": enrollment.person.full_name, "why": why_not_listed(session, enrollment)}
            ]
    return errors


def _write_marks(
    *,
    session: Session,
    marks: dict[int, tuple[str, str]],
    existing: dict[int, Attendance],
    source: str,
    by,
    actor: User | None = None,
) -> int:
    """Insert or update the given marks in one statement; a mark that says the same is left as it was.

    `by` is the marker's person (or None), `actor` the signed-in user the audit trail names (else the request's).
    """
    now = timezone.now()
    rows = []
    for enrollment_id, (status, reason) in marks.items():
        mark = existing.get(enrollment_id)
        if mark is not None and not mark.is_default and (mark.status, mark.reason) == (status, reason):
            continue
        rows.append(
            Attendance(
                session=session,
                enrollment_id=enrollment_id,
                status=status,
                reason=reason,
                marked_at=now,
                marked_by=by,
                is_default=False,
                source=source,
            )
        )
    if rows:
        Attendance.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["session", "enrollment"], update_fields=_MARK_FIELDS
        )
        if any(row.pk is None for row in rows):  # a backend that returns no ids from an upsert
            rows = list(Attendance.objects.filter(session=session, enrollment_id__in=[r.enrollment_id for r in rows]))
        with history_context(user=actor):
            history_bulk_record(Attendance, rows, created={r.pk for r in rows if r.enrollment_id not in existing})
        attendance_changed.send(sender=Session, session=session)
    return len(rows)


def _existing_marks(session: Session) -> dict[int, Attendance]:
    return {a.enrollment_id: a for a in Attendance.objects.select_for_update().filter(session=session)}


@transaction.atomic
def attendance_mark(
    *, session: Session, marks: dict[int, tuple[str, str]], by: User, now: datetime | None = None
) -> int:
    """Set the marks of a session's participants: {enrollment id: (status, reason)}; returns how many changed.

    Refused before the session starts. Only the session's listed participants (selectors_attendance: expected at
    it, or anyone admitted for «По желанию») can be marked, with the reason for anyone else; «excused» needs a reason. Every refusal is listed at once, keyed by the enrollment id, and nothing
    is saved then.
    """
    session = _attendance_session(session)
    person = _check_marker(session, by)
    _check_started(session, now)
    expected = _expected(session)
    errors: dict[str, list[str]] = {}
    clean: dict[int, tuple[str, str]] = {}
    strangers = [int(pk) for pk in marks if int(pk) not in expected]
    if strangers:
        errors.update(_not_listed_errors(session, strangers))
    for enrollment_id, (status, reason) in marks.items():
        enrollment = expected.get(int(enrollment_id))
        reason = (reason or "").strip()
        if enrollment is None:
            continue
        elif status not in Attendance.Status.values:
            errors[str(enrollment_id)] = [
                _("%(name)s: выберите отметку из списка.") % {"name": enrollment.person.full_name}
            ]
        elif status == Attendance.Status.EXCUSED and not reason:
            errors[str(enrollment_id)] = [
                _("%(name)s: укажите уважительную причину отсутствия.") % {"name": enrollment.person.full_name}
            ]
        elif len(reason) > 300:
            errors[str(enrollment_id)] = [
                _("%(name)s: причина длиннее 300 символов, сократите её.") % {"name": enrollment.person.full_name}
            ]
        else:
            clean[enrollment.pk] = (status, reason)
    if errors:
        raise ValidationError(errors)
    return _write_marks(
        session=session, marks=clean, existing=_existing_marks(session), source="manual", by=person, actor=by
    )


@transaction.atomic
def attendance_mark_all_present(*, session: Session, by: User, now: datetime | None = None) -> tuple[int, int]:
    """Mark «present» everyone not marked yet or marked by default; returns (marked, kept as they were).

    Refused before the session starts: nobody can have been present yet.
    """
    session = _attendance_session(session)
    person = _check_marker(session, by)
    _check_started(session, now)
    expected = _expected(session)
    existing = _existing_marks(session)
    todo = {
        pk: (Attendance.Status.PRESENT.value, "") for pk in expected if pk not in existing or existing[pk].is_default
    }
    marked = _write_marks(session=session, marks=todo, existing=existing, source="manual", by=person, actor=by)
    return marked, len(expected) - len(todo)


@dataclass
class ImportedMark:
    enrollment: Enrollment
    status: str
    joined_at: datetime | None
    row: int
    # The mark a person made earlier, kept as it was (only in AttendanceImportReport.kept).
    kept: Attendance | None = None

    @property
    def status_label(self) -> str:
        return Attendance.Status(self.status).label


@dataclass
class UnmatchedRow:
    row: int
    name: str
    email: str
    why: str


@dataclass
class AttendanceImportReport:
    marked: list[ImportedMark] = field(default_factory=list)
    kept: list[ImportedMark] = field(default_factory=list)
    unmatched: list[UnmatchedRow] = field(default_factory=list)
    # Expected participants the export does not mention.
    not_found: list[Enrollment] = field(default_factory=list)


_AMBIGUOUS = object()


def _name_keys(person: Person) -> list[frozenset[str]]:
    """«Фамилия Имя», «Имя Фамилия», with or without the patronymic, in any order: the same set of words."""
    last, first, middle = (normalise_name(p) for p in (person.last_name, person.first_name, person.middle_name))
    keys = [frozenset((last + " " + first).split())]
    if middle:
        keys.append(frozenset((last + " " + first + " " + middle).split()))
    return keys


def _index(expected: dict[int, Enrollment]) -> tuple[dict[str, object], dict[frozenset, object]]:
    by_email: dict[str, object] = {}
    by_name: dict[frozenset, object] = {}
    for enrollment in expected.values():
        person = enrollment.person
        emails = {person.email.strip().lower()} | ({person.user.email.lower()} if person.user else set())
        for email in emails - {""}:
            known = by_email.get(email)
            by_email[email] = enrollment if known in (None, enrollment) else _AMBIGUOUS
        for key in _name_keys(person):
            known = by_name.get(key)
            by_name[key] = enrollment if known in (None, enrollment) else _AMBIGUOUS
    return by_email, by_name


def _match(row, by_email, by_name) -> tuple[Enrollment | None, str]:
    if row.email and by_email.get(row.email) not in (None, _AMBIGUOUS):
        return by_email[row.email], ""
    ambiguous = row.email and by_email.get(row.email) is _AMBIGUOUS
    for variant in name_variants(row.name):
        found = by_name.get(frozenset(variant.split()))
        if found is _AMBIGUOUS:
            ambiguous = True
        elif found is not None:
            return found, ""
    if ambiguous:
        return None, _("Так зовут нескольких участников: отметьте вручную.")
    return None, _("Нет среди участников сезона.")


def attendance_import(
    *, session: Session, file, by: User, overwrite: bool = False, now: datetime | None = None
) -> AttendanceImportReport:
    """Mark from a video meeting's attendance export: matched people present (late when they joined more than
    ten minutes after the start); a report of unmatched rows and of expected participants not in the file.

    People are matched by e-mail first, then by ФИО in either order. Marks a person made by hand (or the
    teacher's own check-in) are kept unless `overwrite`. A file that cannot be read saves nothing; nor does any
    file before the session starts.
    """
    session = _attendance_session(session)
    person = _check_marker(session, by)
    _check_started(session, now)
    season = session.activity.season
    rows = read_attendance_export(file, tz=season.tz, near=session.starts_at)
    return _import(session=session, rows=rows, person=person, overwrite=overwrite, actor=by)


@transaction.atomic
def _import(
    *, session: Session, rows, person: Person | None, overwrite: bool, actor: User | None = None
) -> AttendanceImportReport:
    expected = _expected(session)
    by_email, by_name = _index(expected)
    report = AttendanceImportReport()
    found: dict[int, ImportedMark] = {}
    for row in rows:
        enrollment, why = _match(row, by_email, by_name)
        if enrollment is None:
            report.unmatched.append(UnmatchedRow(row.number, row.name, row.email, why))
            continue
        known = found.get(enrollment.pk)
        if known is None:
            found[enrollment.pk] = ImportedMark(enrollment, "", row.joined_at, row.number)
        elif row.joined_at is not None and (known.joined_at is None or row.joined_at < known.joined_at):
            known.joined_at = row.joined_at  # found twice (by e-mail and by name): the first join counts
    existing = _existing_marks(session)
    todo: dict[int, tuple[str, str]] = {}
    for pk, item in found.items():
        late = item.joined_at is not None and item.joined_at > session.starts_at + LATE_AFTER
        item.status = Attendance.Status.LATE if late else Attendance.Status.PRESENT
        mark = existing.get(pk)
        if not overwrite and mark is not None and not mark.is_default and mark.source in PROTECTED_SOURCES:
            item.kept = mark
            report.kept.append(item)
            continue
        todo[pk] = (item.status.value, "")
        report.marked.append(item)
    _write_marks(session=session, marks=todo, existing=existing, source="import", by=person, actor=actor)
    # Missing from the export matters only for those expected there (nobody for «По желанию»).
    obliged = set(expected_enrollments(session).values_list("pk", flat=True))
    report.not_found = [e for pk, e in expected.items() if pk not in found and pk in obliged]
    for items in (report.marked, report.kept):
        items.sort(key=lambda i: (i.enrollment.person.last_name, i.enrollment.person.first_name))
    return report


@transaction.atomic
def _checkin_weigh(*, session: Session, enrollment: Enrollment, typed: str, now: datetime) -> tuple[str, int]:
    """Compare the typed code under the lock of the participant's wrong-code count: ("right" | "wrong" | "locked" |
    "no-code", wrong codes so far). Commits before the caller raises, so a refused code stays counted; parallel
    wrong codes line up on the row and cannot get past the limit together."""
    attempts = CheckinAttempt.objects.select_for_update().filter(session=session, enrollment=enrollment).first()
    if attempts is not None and attempts.wrong >= CHECKIN_MAX_WRONG:
        return "locked", attempts.wrong
    if not session.checkin_code:
        return "no-code", attempts.wrong if attempts else 0
    if secrets.compare_digest(typed.encode(), session.checkin_code.encode()):
        return "right", attempts.wrong if attempts else 0
    if attempts is None:
        # The first wrong code: a parallel one may create the row first; then this waits for it and reads its count.
        attempts, _created = CheckinAttempt.objects.select_for_update().get_or_create(
            session=session, enrollment=enrollment
        )
        if attempts.wrong >= CHECKIN_MAX_WRONG:
            return "locked", attempts.wrong
    attempts.wrong += 1
    attempts.last_wrong_at = now
    attempts.save(update_fields=["wrong", "last_wrong_at"])
    return "wrong", attempts.wrong


@transaction.atomic
def checkin_open(*, session: Session, by: User, now: datetime | None = None) -> str:
    """Give the session a new one-time 6-digit code to show at the meeting; an earlier code stops working."""
    now = now or timezone.now()
    session = _attendance_session(session)
    _check_marker(session, by)
    if now >= session.ends_at:
        _refuse(_("Занятие уже закончилось: код для самоотметки больше не нужен. Отметьте участников вручную."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    Session.objects.filter(pk=session.pk).update(checkin_code=code)
    rows_changed.send(sender=Session)
    return code


def checkin_window(session: Session) -> tuple[datetime, datetime]:
    """When a participant may check in: from a quarter of an hour before the start to the end."""
    return session.starts_at - CHECKIN_OPENS_BEFORE, session.ends_at


def checkin_submit(*, session: Session, enrollment: Enrollment, code: str, now: datetime | None = None) -> Attendance:
    """A participant's own mark with the code shown at the meeting: present, or late after ten minutes.

    Accepted only while the session runs and only for an active participant of its season; after five wrong
    codes for this session the participant is asked to be marked by hand (counted in the database: a guessing limit
    must not forget while the cache is down). A mark saying they were there is kept. Not to be called inside a
    transaction: the refused code's count commits before the refusal is raised.
    """
    now = now or timezone.now()
    session = _attendance_session(session)
    enrollment = Enrollment.objects.select_related("person").get(pk=enrollment.pk)
    season = session.activity.season
    if enrollment.season_id != season.pk or enrollment.status != Enrollment.Status.ACTIVE:
        _refuse(_("Отметиться на этом занятии могут только участники программы этого сезона."))
    if not listed_enrollments(session).filter(pk=enrollment.pk).exists():
        _refuse(
            _("Отметиться на этом занятии нельзя. %(why)s") % {"why": why_not_listed(session, enrollment, you=True)}
        )
    opens, closes = checkin_window(session)
    if now < opens:
        _refuse(
            _("Отметиться можно будет с %(moment)s — за 15 минут до начала занятия.")
            % {"moment": format_moment(opens, season)}
        )
    if now > closes:
        _refuse(
            _("Занятие закончилось: отметиться по коду уже нельзя. Если вы были на занятии, сообщите координатору.")
        )
    typed = "".join(ch for ch in (code or "") if not ch.isspace())
    outcome, wrong = _checkin_weigh(session=session, enrollment=enrollment, typed=typed, now=now)
    if outcome == "locked":
        _refuse(_("Слишком много неверных попыток. Попросите ведущего занятия отметить вас вручную."), "code")
    if outcome == "no-code":
        _refuse(_("Код для этого занятия ещё не выдан. Дождитесь, когда ведущий покажет его."), "code")
    if outcome == "wrong":
        left = CHECKIN_MAX_WRONG - wrong
        if left <= 0:
            _refuse(_("Неверный код. Попытки закончились: попросите ведущего занятия отметить вас вручную."), "code")
        _refuse(_("Неверный код. Осталось попыток: %(left)s.") % {"left": left}, "code")
    return _checkin_save(session=session, enrollment=enrollment, now=now)


@transaction.atomic
def _checkin_save(*, session: Session, enrollment: Enrollment, now: datetime) -> Attendance:
    existing = _existing_marks(session)
    mark = existing.get(enrollment.pk)
    if mark is not None and not mark.is_default and mark.status in (Attendance.Status.PRESENT, Attendance.Status.LATE):
        return mark
    status = Attendance.Status.LATE if now > session.starts_at + LATE_AFTER else Attendance.Status.PRESENT
    _write_marks(
        session=session,
        marks={enrollment.pk: (status.value, "")},
        existing=existing,
        source="self",
        by=enrollment.person,
    )
    return Attendance.objects.select_related("marked_by").get(session=session, enrollment=enrollment)


# --- Confirming default marks ------------------------------------------------------------------------------


def session_not_ended_error(session: Session, now: datetime) -> str | None:
    """Why the default marks of a session cannot be confirmed yet, or None once it has ended."""
    if now >= session.ends_at:
        return None
    return _("Занятие ещё не закончилось: подтвердить отметки по умолчанию можно после %(moment)s.") % {
        "moment": format_moment(session.ends_at, session.activity.season)
    }


@transaction.atomic
def attendance_defaults_confirm(*, session: Session, by: User, now: datetime | None = None) -> int:
    """The coordinator confirms a session's default marks: they become real marks (is_default=False, marked by the
    coordinator now, source «confirmed_default») and from then on count as evidence (положение, п. 4.4, 5.5).

    Set-based: one UPDATE of the expected participants' default marks and one history insert. Refused before the
    session ends and for anyone but the program's coordinator. Returns how many marks were confirmed.
    """
    now = now or timezone.now()
    session = _attendance_session(session)
    if by is None or not can_confirm_attendance_defaults.test(by, session):
        raise PermissionDenied(_("Подтверждать отметки по умолчанию может только координатор этой программы."))
    if message := session_not_ended_error(session, now):
        _refuse(message)
    person = person_for_user(by)
    defaults = Attendance.objects.select_for_update().filter(
        session=session, is_default=True, enrollment__in=expected_enrollments(session)
    )
    ids = list(defaults.values_list("pk", flat=True))
    if not ids:
        return 0
    Attendance.objects.filter(pk__in=ids).update(
        is_default=False, marked_by=person, marked_at=now, source="confirmed_default"
    )
    with history_context(user=by):
        history_bulk_record(Attendance, Attendance.objects.filter(pk__in=ids))
    attendance_changed.send(sender=Session, session=session)
    return len(ids)


@transaction.atomic
def session_invite_group(*, session: Session, group_id: int, by: User) -> int:
    """Invite every active member of a group of the session's season (audience «Приглашённые»); returns how many
    were added. One query to read them, one insert."""
    session = _attendance_session(session)
    if by is None or not can_confirm_attendance_defaults.test(by, session):
        raise PermissionDenied(_("Приглашать участников может только координатор этой программы."))
    # experts.GroupMember through Enrollment's reverse name: activities does not import experts.
    members = set(
        Enrollment.objects.filter(
            season_id=session.activity.season_id,
            status=Enrollment.Status.ACTIVE,
            group_membership__group_id=group_id,
        ).values_list("pk", flat=True)
    )
    known = set(session.invited.values_list("pk", flat=True))
    new = sorted(members - known)
    session.invited.add(*new)
    return len(new)


@transaction.atomic
def activities_mandatory_set(*, activities: QuerySet[Activity], is_mandatory: bool) -> int:
    """Make the activities mandatory (or optional) for the participants; returns how many changed. A set-based
    write, so the cabinet's and the KPI pages' caches are told (programs.signals.rows_changed)."""
    changed = activities.exclude(is_mandatory=is_mandatory).update(is_mandatory=is_mandatory)
    if changed:
        rows_changed.send(sender=Activity)
    return changed
