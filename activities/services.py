"""Video-lesson submissions and personal extensions of their cut-off."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Enrollment, User
from programs.models import Subject

from .models import Submission, SubmissionExtension, VideoAssignment
from .rules import can_grant_extension
from .signals import submission_submitted
from .video_files import MB, validate_video_file
from .video_links import parse_video_link
from .video_state import REPLACEABLE, format_moment, window_error


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
            kind = validate_video_file(file, max_bytes=season.video_max_size_mb * MB)
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
    """
    stored: list[str] = []
    try:
        submission, previous = _submit(
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
    # After the commit (or inside the caller's transaction): receivers assign the lesson to its reviewers.
    submission_submitted.send(sender=Submission, submission=submission, previous=previous)
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
        submission.video_file.save(f"{uuid.uuid4().hex}.{kind}", file, save=False)
        stored.append(submission.video_file.name)
    try:
        with transaction.atomic():
            if current is not None:
                Submission.objects.filter(pk=current.pk).update(is_current=False)
            submission.save()
    except IntegrityError:
        _refuse(_("Видеоурок уже отправлен из другого окна. Обновите страницу и проверьте, что сдано."))
    return submission, current


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
