"""Activities' part of a person's data (152-FZ): attendance, video lessons with every version, extensions and
requests for them, the individual route and certificates; and the eraser that removes their free text and files.

Registered with participants.personal_data on import (from ActivitiesConfig.ready()).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Person
from participants.personal_data import register_eraser, register_exporter, register_retention_hold
from programs.signals import rows_changed

from .models import Attendance, Certificate, RouteItem, Submission, SubmissionExtension, SubmissionExtensionRequest

# The submission row must keep a video (a check constraint), so an erased one points at a name that never resolves.
ERASED_VIDEO_URL = "https://video-removed.invalid/"
REMOVED = gettext_lazy("Удалено по запросу участника")


def export_attendance(person: Person) -> list[dict]:
    rows = (
        Attendance.objects.filter(enrollment__person=person)
        .select_related("session__activity__season__program")
        .order_by("session__starts_at", "pk")
    )
    return [
        {
            _("Программа"): a.session.activity.season.program.title,
            _("Сезон"): a.session.activity.season.title,
            _("Мероприятие"): a.session.activity.title,
            _("Занятие"): a.session.title,
            _("Начало"): a.session.starts_at,
            _("Отметка"): a.get_status_display(),
            _("Причина"): a.reason,
            _("Отмечено"): a.marked_at,
        }
        for a in rows
    ]


def export_submissions(person: Person) -> list[dict]:
    rows = (
        Submission.objects.filter(enrollment__person=person)
        .select_related("assignment__activity__season__program", "subject")
        .order_by("assignment__due_at", "assignment_id", "version")
    )
    return [
        {
            _("Программа"): s.assignment.activity.season.program.title,
            _("Задание"): s.assignment.activity.title,
            _("Версия"): s.version,
            _("Текущая версия"): s.is_current,
            _("Ссылка на видео"): s.video_url,
            _("Видеофайл"): s.video_file.name.rsplit("/", 1)[-1] if s.video_file else "",
            _("Тема урока"): s.topic,
            _("Класс"): s.grade,
            _("Предмет"): s.subject.name if s.subject_id else "",
            _("Формат обучения"): s.learning_format,
            _("Самоанализ"): s.reflection,
            _("Сдан"): s.submitted_at,
            _("С опозданием"): s.is_late,
            _("Статус"): s.get_status_display(),
        }
        for s in rows
    ]


def export_extensions(person: Person) -> list[dict]:
    rows = (
        SubmissionExtension.objects.filter(enrollment__person=person)
        .select_related("assignment__activity__season__program")
        .order_by("granted_at", "pk")
    )
    return [
        {
            _("Программа"): e.assignment.activity.season.program.title,
            _("Задание"): e.assignment.activity.title,
            _("Продлено до"): e.until,
            _("Основание"): e.reason,
            _("Продлено"): e.granted_at,
        }
        for e in rows
    ]


def export_extension_requests(person: Person) -> list[dict]:
    rows = (
        SubmissionExtensionRequest.objects.filter(enrollment__person=person)
        .select_related("assignment__activity__season__program")
        .order_by("requested_at", "pk")
    )
    return [
        {
            _("Программа"): r.assignment.activity.season.program.title,
            _("Задание"): r.assignment.activity.title,
            _("Сообщение"): r.message,
            _("Запрошено"): r.requested_at,
            _("Состояние"): r.get_status_display(),
            _("Решение принято"): r.decided_at,
            _("Комментарий к решению"): r.decision_note,
        }
        for r in rows
    ]


def export_route(person: Person) -> list[dict]:
    rows = (
        RouteItem.objects.filter(enrollment__person=person)
        .select_related("enrollment__season__program", "module", "activity", "session")
        .order_by("enrollment_id", "order", "planned_on", "pk")
    )
    return [
        {
            _("Программа"): r.enrollment.season.program.title,
            _("Сезон"): r.enrollment.season.title,
            _("Шаг"): r.title or str(r.activity or r.module or r.session or ""),
            _("Форма"): r.get_form_display(),
            _("Когда"): r.planned_on,
            _("Статус"): r.get_status_display(),
            _("Примечание"): r.note,
        }
        for r in rows
    ]


def export_certificates(person: Person) -> list[dict]:
    rows = (
        Certificate.objects.filter(enrollment__person=person)
        .select_related("enrollment__season__program", "activity")
        .order_by("issued_at", "pk")
    )
    return [
        {
            _("Номер"): c.number,
            _("Код проверки"): c.code,
            _("Вид"): c.get_kind_display(),
            _("Программа"): c.enrollment.season.program.title,
            _("Мероприятие"): c.activity.title if c.activity_id else "",
            _("Часов"): c.hours,
            _("Выдан"): c.issued_at,
            _("Отозван"): c.revoked_at,
            _("Причина отзыва"): c.revoke_reason,
        }
        for c in rows
    ]


def _delete_after_commit(storage, names: list[str]) -> None:
    """Files go only when the erasure is committed: a rollback must not leave rows pointing at nothing."""

    def delete():
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def erase_activities(person: Person) -> list[str]:
    """Video lessons (links, files, self-reflection), certificate PDFs bearing the name, reasons and notes.
    Rows, statuses, attendance marks and lateness stay for the KPIs."""
    done = []
    submissions = Submission.objects.filter(enrollment__person=person)
    files = [name for name in submissions.exclude(video_file="").values_list("video_file", flat=True)]
    erased = submissions.update(reflection="", video_url=ERASED_VIDEO_URL, video_file="")
    _delete_after_commit(Submission._meta.get_field("video_file").storage, files)
    if erased:
        done.append(
            _("Видеоуроки: удалены ссылки, самоанализ и файлы (версий: %(n)d, файлов: %(f)d)")
            % {"n": erased, "f": len(files)}
        )
    certificates = Certificate.objects.filter(enrollment__person=person)
    pdfs = list(certificates.exclude(pdf="").values_list("pdf", flat=True))
    certificates.filter(pk__in=certificates.exclude(pdf="").values("pk")).update(pdf="")
    _delete_after_commit(Certificate._meta.get_field("pdf").storage, pdfs)
    if pdfs:
        done.append(_("Удалены файлы сертификатов с ФИО: %(n)d") % {"n": len(pdfs)})
    attendance = Attendance.objects.filter(enrollment__person=person).exclude(reason="")
    # An excused absence must keep a reason (a check constraint): its text is replaced, the others emptied.
    reasons = attendance.filter(status=Attendance.Status.EXCUSED).update(reason=str(REMOVED))
    reasons += attendance.exclude(status=Attendance.Status.EXCUSED).update(reason="")
    reasons += SubmissionExtension.objects.filter(enrollment__person=person).update(reason=str(REMOVED))
    rows_changed.send(sender=SubmissionExtension)
    requests = SubmissionExtensionRequest.objects.filter(enrollment__person=person)
    reasons += requests.update(message=str(REMOVED), decision_note="")
    notes = RouteItem.objects.filter(enrollment__person=person).exclude(note="").update(note="")
    rows_changed.send(sender=RouteItem)
    if reasons or notes:
        done.append(
            _("Удалены причины пропусков, основания продлений и примечания маршрута: %(n)d") % {"n": reasons + notes}
        )
    # The audit trail keeps earlier versions of the same rows: the same text goes from them too.
    history = Attendance.history.filter(enrollment__person=person).exclude(reason="")
    versions = history.filter(status=Attendance.Status.EXCUSED).update(reason=str(REMOVED))
    versions += history.exclude(status=Attendance.Status.EXCUSED).update(reason="")
    versions += Certificate.history.filter(enrollment__person=person).exclude(pdf="").update(pdf="")
    rows_changed.send(sender=Certificate)
    if versions:
        done.append(_("Журнал изменений: удалены причины пропусков и файлы из прежних версий: %(n)d") % {"n": versions})
    return done


def certificate_holders():
    """A certificate carries its holder's name and is checked by its code (the public verification page): the
    person's data stay while a document issued to them is in circulation."""
    return Certificate.objects.values("enrollment__person_id")


def register() -> None:
    """This app's part of a person's export, erasure and retention (participants.personal_data)."""
    register_exporter("attendance", gettext_lazy("Посещаемость"), export_attendance, order=30)
    register_exporter("submissions", gettext_lazy("Видеоуроки"), export_submissions, order=31)
    register_exporter("extensions", gettext_lazy("Продления сроков"), export_extensions, order=32)
    register_exporter(
        "extension_requests", gettext_lazy("Запросы на продление сроков"), export_extension_requests, order=32
    )
    register_exporter("route", gettext_lazy("Индивидуальный маршрут"), export_route, order=33)
    register_exporter("certificates", gettext_lazy("Сертификаты"), export_certificates, order=34)
    register_eraser(erase_activities)
    register_retention_hold("activities.certificates", gettext_lazy("Выдан сертификат"), certificate_holders)
