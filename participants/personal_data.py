"""Everything the portal holds about a person, for their export and erasure (152-FZ, art. 14 and 21).

Lower apps cannot import higher ones, yet the export must hold attendance, video lessons and reviews. So each
app registers, from its AppConfig.ready(), exporters (a titled list of rows) and erasers (clear its free text
and files). An exporter runs a constant number of queries whatever the number of rows.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Notification, OutgoingEmail

# The shared cell rules; spreadsheet_safe and sheet_title are imported from here by older callers.
from core.spreadsheets import sheet_title, spreadsheet_safe, spreadsheet_value  # noqa: F401
from programs.signals import rows_changed

from .models import (
    CompetenceDiagnostic,
    Consent,
    Enrollment,
    EnrollmentStatusChange,
    FeedbackAnswer,
    FeedbackQuestion,
    ManagementTeamMember,
    ManagementTeamProgramme,
    Person,
    PersonalDataRequest,
    ProfessionalDevelopment,
    SchoolApplication,
    StaffRosterEntry,
    User,
)
from .services_roster import staff_roster_erase

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Exporter:
    key: str
    title: Any  # a lazy translation
    fn: Callable[[Person], Rows]
    order: int


@dataclass
class ExportSection:
    key: str
    title: str
    rows: Rows


_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Callable[[Person], list[str]]] = {}


def register_exporter(key: str, title, fn: Callable[[Person], Rows], order: int = 100) -> None:
    """Register (or replace, on autoreload) a section of the export: fn(person) -> rows (dicts, column → value)."""
    _exporters[key] = Exporter(key=key, title=title, fn=fn, order=order)


def register_eraser(fn: Callable[[Person], list[str] | None]) -> None:
    """Register an eraser: fn(person) clears the app's free text and files and returns what it did (lines)."""
    _erasers[f"{fn.__module__}.{fn.__qualname__}"] = fn


@dataclass(frozen=True)
class RetentionHold:
    """A lawful reason to keep a person's data after the retention period (participants.retention)."""

    key: str
    title: Any  # a lazy translation, shown with the dry run
    people: Callable[[], QuerySet]  # a values("pk")-shaped query of the Person ids it keeps: a subquery, no rows


_retention_holds: dict[str, RetentionHold] = {}


def register_retention_hold(key: str, title, people: Callable[[], QuerySet]) -> None:
    """Register (or replace) a reason to keep data: people() -> a query of Person ids whose data must stay."""
    _retention_holds[key] = RetentionHold(key=key, title=title, people=people)


def retention_holds() -> list[RetentionHold]:
    return [_retention_holds[key] for key in sorted(_retention_holds)]


def registered_exporters() -> list[Exporter]:
    return sorted(_exporters.values(), key=lambda e: (e.order, e.key))


def personal_data_collect(person: Person) -> list[ExportSection]:
    return [ExportSection(key=e.key, title=str(e.title), rows=e.fn(person)) for e in registered_exporters()]


def run_erasers(person: Person) -> list[str]:
    done: list[str] = []
    for key in sorted(_erasers):
        done += [str(line) for line in (_erasers[key](person) or [])]
    return done


# --- File formats ------------------------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def export_json(sections: list[ExportSection], *, now: datetime | None = None) -> bytes:
    data = {
        "exported_at": timezone.localtime(now or timezone.now()).isoformat(),
        "sections": [{"key": s.key, "title": s.title, "rows": s.rows} for s in sections],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_value).encode()


def export_xlsx(sections: list[ExportSection]) -> bytes:
    """One sheet per section; dates in Russian format (ДД.ММ.ГГГГ), datetimes in the current time zone."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for section in sections:
        sheet = workbook.create_sheet(sheet_title(section.title, used, fallback="Sheet"))
        columns: list[str] = []
        for row in section.rows:
            columns += [c for c in row if c not in columns]
        if not columns:
            sheet.cell(row=1, column=1, value=_("Нет данных"))
            continue
        for col, name in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=col, value=spreadsheet_safe(str(name)))
            cell.font = bold
            sheet.column_dimensions[cell.column_letter].width = min(max(12, len(str(name)) + 2), 60)
        for r, row in enumerate(section.rows, start=2):
            for col, name in enumerate(columns, start=1):
                _write_cell(sheet.cell(row=r, column=col), row.get(name))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_cell(cell, value) -> None:
    cell.value = spreadsheet_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    elif isinstance(value, datetime):
        cell.number_format = "DD.MM.YYYY HH:MM"
    elif isinstance(value, date):
        cell.number_format = "DD.MM.YYYY"


# --- The participants app's own sections ------------------------------------------------------------------


def export_person(person: Person) -> Rows:
    person = (
        Person.objects.select_related("organisation__municipality", "user")
        .prefetch_related("subjects")
        .get(pk=person.pk)
    )
    return [
        {
            _("Фамилия"): person.last_name,
            _("Имя"): person.first_name,
            _("Отчество"): person.middle_name,
            _("Пол"): person.get_gender_display(),
            _("Дата рождения"): person.birth_date,
            _("Электронная почта"): person.email,
            _("Телефон"): person.phone,
            _("Организация"): person.organisation.name if person.organisation_id else "",
            _("Муниципалитет"): person.organisation.municipality.name if person.organisation_id else "",
            _("Должность"): person.position,
            _("Предметы"): ", ".join(s.name for s in person.subjects.all()),
            _("Уровень образования"): person.get_education_level_display(),
            _("Педагогический стаж, лет"): person.experience_years,
            _("Квалификационная категория"): person.get_category_display(),
            _("Руководящий работник"): bool(person.is_manager),
            _("Обезличен"): bool(person.is_anonymised),
            _("Запись создана"): person.created_at,
        }
    ]


def export_account(person: Person) -> Rows:
    user = person.user if person.user_id else None
    if user is None:
        return []
    return [
        {
            _("Электронная почта (вход)"): user.email,
            _("Основная роль"): user.get_role_display(),
            _("Зарегистрирован"): user.date_joined,
            _("Почта подтверждена"): user.email_confirmed_at,
            _("Последний вход"): user.last_login,
            _("Учётная запись активна"): bool(user.is_active),
        }
    ]


def export_consents(person: Person) -> Rows:
    return [
        {
            _("Согласие"): c.get_kind_display(),
            _("Версия текста"): c.text_version,
            _("Контрольная сумма текста (SHA-256)"): c.text_sha256,
            _("Дано"): c.given_at,
            _("Отозвано"): c.withdrawn_at,
        }
        for c in Consent.objects.filter(person=person).order_by("given_at", "pk")
    ]


def export_enrollments(person: Person) -> Rows:
    return [
        {
            _("Программа"): e.season.program.title,
            _("Сезон"): e.season.title,
            _("Статус"): e.get_status_display(),
            _("Заявка подана"): e.applied_at,
            _("Статус изменён"): e.status_changed_at,
            _("Вступил в чат"): e.chat_joined_at,
            _("Выбранный формат обучения"): e.preferred_format,
        }
        for e in Enrollment.objects.filter(person=person).select_related("season__program").order_by("applied_at")
    ]


def export_status_history(person: Person) -> Rows:
    changes = (
        EnrollmentStatusChange.objects.filter(enrollment__person=person)
        .select_related("enrollment__season__program")
        .order_by("changed_at", "pk")
    )
    # Who changed the status is named only when it was the person: a coordinator's name is not their data.
    return [
        {
            _("Программа"): c.enrollment.season.program.title,
            _("Сезон"): c.enrollment.season.title,
            _("Было"): c.get_from_status_display() or "—",
            _("Стало"): c.get_to_status_display(),
            _("Когда"): c.changed_at,
            _("Кто"): _("вы")
            if c.changed_by_id and c.changed_by_id == person.user_id
            else (_("сотрудник программы") if c.changed_by_id else "—"),
            _("Причина"): c.reason,
        }
        for c in changes
    ]


def export_feedback(person: Person) -> Rows:
    answers = (
        FeedbackAnswer.objects.filter(response__enrollment__person=person)
        .select_related("question", "response__enrollment__season__program")
        .order_by("response__year", "response__quarter", "question__order", "pk")
    )
    return [
        {
            _("Программа"): a.response.enrollment.season.program.title,
            _("Сезон"): a.response.enrollment.season.title,
            _("Год"): a.response.year,
            _("Квартал"): a.response.quarter,
            _("Вопрос"): a.question.text,
            _("Ответ"): a.scale_value if a.scale_value is not None else a.text_value,
            _("Ответ дан"): a.response.submitted_at,
        }
        for a in answers
    ]


def export_data_requests(person: Person) -> Rows:
    return [
        {
            _("Вид"): r.get_kind_display(),
            _("Основание"): r.get_basis_display(),
            _("Статус"): r.get_status_display(),
            _("Получен"): r.requested_at,
            _("Исполнен"): r.completed_at,
            _("Пояснение"): r.reason,
            _("Что сделано"): r.result,
        }
        for r in PersonalDataRequest.objects.filter(person=person).order_by("requested_at", "pk")
    ]


def export_school_applications(person: Person) -> Rows:
    return [
        {
            _("Организация"): a.organisation.name,
            _("Программа"): a.season.program.title,
            _("Сезон"): a.season.title,
            _("Основания"): ", ".join(
                str(SchoolApplication.Ground(g).label) for g in a.grounds if g in SchoolApplication.Ground.values
            ),
            _("Обоснование"): a.details,
            _("Статус"): a.get_status_display(),
            _("Подана"): a.submitted_at,
        }
        for a in SchoolApplication.objects.filter(applicant=person)
        .select_related("organisation", "season__program")
        .order_by("submitted_at")
    ]


def export_notifications(person: Person) -> Rows:
    if not person.user_id:
        return []
    return [
        {
            _("Заголовок"): n.title,
            _("Текст"): n.body,
            _("Вид"): n.get_kind_display(),
            _("Ссылка"): n.url,
            _("Создано"): n.created_at,
            _("Прочитано"): n.read_at,
            _("Письмо"): n.get_email_status_display(),
            _("Письмо отправлено"): n.email_sent_at,
        }
        for n in Notification.objects.filter(user_id=person.user_id).order_by("created_at", "pk")
    ]


def _person_addresses(person: Person) -> Q:
    """The person's letters to an address: to their own address or their account's (case aside)."""
    addresses = {a.strip().lower() for a in (person.email, person.user.email if person.user_id else "") if a}
    query = Q(pk__in=[])
    for address in sorted(addresses):
        query |= Q(recipient__iexact=address)
    return query


def export_outgoing_emails(person: Person) -> Rows:
    """Letters the portal sent (or tried to send) to the person's address; their links are not exported."""
    return [
        {
            _("Адрес"): letter.recipient,
            _("Письмо"): letter.template,
            _("Состояние"): letter.get_status_display(),
            _("Создано"): letter.created_at,
            _("Отправлено"): letter.sent_at,
        }
        for letter in OutgoingEmail.objects.filter(_person_addresses(person))
        .only("recipient", "template", "status", "created_at", "sent_at")
        .order_by("created_at", "pk")
    ]


def export_professional_development(person: Person) -> Rows:
    return [
        {
            _("Программа (курс)"): course.course_title,
            _("Организация, проводившая обучение"): course.provider,
            _("Объём, часов"): course.hours,
            _("Начало обучения"): course.starts_on,
            _("Окончание обучения"): course.ends_on,
            _("Федеральный реестр"): bool(course.in_federal_registry),
            _("Дистанционно"): bool(course.is_remote),
            _("По итогам диагностики"): bool(course.based_on_diagnostics),
            _("Непрерывный формат"): bool(course.is_continuous_format),
            _("По ИОМ"): bool(course.per_individual_route),
            _("Номер удостоверения"): course.document_number,
            _("Источник"): course.get_source_display(),
            _("Внесено"): course.created_at,
        }
        for course in ProfessionalDevelopment.objects.filter(person=person).order_by("ends_on", "pk")
    ]


def export_competence_diagnostics(person: Person) -> Rows:
    return [
        {
            _("Дата диагностики"): d.taken_on,
            _("Платформа"): d.platform,
            _("Результат, %"): d.score,
            _("Области с дефицитами"): "; ".join(d.deficit_areas or []),
        }
        for d in CompetenceDiagnostic.objects.filter(person=person).order_by("taken_on", "pk")
    ]


def export_management_roles(person: Person) -> Rows:
    return [
        {
            _("Организация"): m.organisation.name,
            _("Должность в команде"): m.role,
            _("С"): m.since,
            _("По"): m.until,
        }
        for m in ManagementTeamMember.objects.filter(person=person).select_related("organisation").order_by("pk")
    ]


def export_management_programmes(person: Person) -> Rows:
    """The team programmes (seed 002, п. 6.2) the person took part in as a member of a management team."""
    return [
        {
            _("Организация"): p.organisation.name,
            _("Программа"): p.title,
            _("Организация, проводившая обучение"): p.provider,
            _("Начало обучения"): p.starts_on,
            _("Окончание обучения"): p.ends_on,
        }
        for p in ManagementTeamProgramme.objects.filter(members__person=person)
        .select_related("organisation")
        .distinct()
        .order_by("ends_on", "pk")
    ]


def export_staff_roster(person: Person) -> Rows:
    """The person's rows in the organisations' staff rosters (кадровый состав), year by year."""
    return [
        {
            _("Год (состав на 31 декабря)"): e.year,
            _("Организация"): e.organisation.name,
            _("ФИО"): e.full_name,
            _("Дата рождения"): e.birth_date,
            _("Должность"): e.position,
            _("Категория персонала"): e.get_staff_kind_display(),
            _("Уровень образования"): e.get_education_level_display(),
            _("Педагогический стаж, лет"): e.experience_years,
            _("Квалификационная категория"): e.get_category_display(),
            _("Принят(а) на работу"): e.hired_on,
            _("Уволен(а)"): e.left_on,
        }
        for e in StaffRosterEntry.objects.filter(person=person).select_related("organisation").order_by("year", "pk")
    ]


def erase_professional_facts(person: Person) -> list[str]:
    """The rows the KPIs count stay (course, hours, dates, the yes/no facts, the diagnostics' date and score,
    the management role); what points at the person goes: certificate numbers (a number on a document
    issued in their name) and the deficit areas found by their diagnostics (an assessment of them)."""
    done = []
    documents = ProfessionalDevelopment.objects.filter(person=person).exclude(document_number="")
    cleared = documents.update(document_number="")
    if cleared:
        done.append(_("Удалены номера удостоверений о повышении квалификации: %(n)d") % {"n": cleared})
    areas = CompetenceDiagnostic.objects.filter(person=person).exclude(deficit_areas=[]).update(deficit_areas=[])
    if areas:
        done.append(_("Удалены области с дефицитами из результатов диагностики: %(n)d") % {"n": areas})
    return done


def erase_notifications(person: Person) -> list[str]:
    """The person's notifications (their texts name them, their activities and deadlines) go entirely."""
    if not person.user_id:
        return []
    deleted, _rows = Notification.objects.filter(user_id=person.user_id).delete()
    User.objects.filter(pk=person.user_id).update(unread_notifications=0)
    return [_("Удалены уведомления: %(n)d") % {"n": deleted}] if deleted else []


def erase_outgoing_emails(person: Person) -> list[str]:
    """The letters to the person's address go entirely: their data names the person and their programmes; so do
    the coordinators' letters about the person's withdrawal (their name, school and reason)."""
    about = Q(template="enrollment_withdrawn", context__participant__pk=person.pk)
    deleted, _rows = OutgoingEmail.objects.filter(_person_addresses(person) | about).delete()
    return [_("Удалены исходящие письма: %(n)d") % {"n": deleted}] if deleted else []


REPLACED_REASON = gettext_lazy("Текст удалён по запросу участника")


def erase_participants_text(person: Person) -> list[str]:
    """Free text the person wrote here: feedback answers and the reasons they gave for status changes."""
    done = []
    text_questions = FeedbackQuestion.objects.filter(kind=FeedbackQuestion.Kind.TEXT).values("pk")
    cleared = (
        FeedbackAnswer.objects.filter(response__enrollment__person=person, question__in=text_questions)
        .exclude(text_value="")
        .update(text_value="")
    )
    rows_changed.send(sender=FeedbackAnswer)
    if cleared:
        done.append(_("Удалены тексты ответов обратной связи: %(n)d") % {"n": cleared})
    if person.user_id:
        reasons = (
            EnrollmentStatusChange.objects.filter(enrollment__person=person, changed_by_id=person.user_id)
            .exclude(reason="")
            .update(reason=str(REPLACED_REASON))
        )
        rows_changed.send(sender=EnrollmentStatusChange)
        if reasons:
            done.append(_("Удалены причины, написанные участником: %(n)d") % {"n": reasons})
    return done


def staff_people() -> QuerySet:
    """People whose account works for the portal (staff, an expert, a coordinator, a director): their name is on
    decisions, reviews and documents others rely on, so the retention job leaves them to a person's request."""
    return Person.objects.filter(Q(user__is_staff=True) | ~Q(user__role=User.Role.TEACHER), user__isnull=False).values(
        "pk"
    )


def register() -> None:
    for key, title, fn, order in [
        ("person", gettext_lazy("Профиль"), export_person, 10),
        ("account", gettext_lazy("Учётная запись"), export_account, 11),
        ("consents", gettext_lazy("Согласия"), export_consents, 12),
        ("enrollments", gettext_lazy("Участие в программах"), export_enrollments, 20),
        ("status_history", gettext_lazy("История статусов"), export_status_history, 21),
        ("feedback", gettext_lazy("Обратная связь"), export_feedback, 70),
        ("professional_development", gettext_lazy("Повышение квалификации"), export_professional_development, 25),
        ("competence_diagnostics", gettext_lazy("Диагностика компетенций"), export_competence_diagnostics, 26),
        ("management_roles", gettext_lazy("Управленческие команды"), export_management_roles, 27),
        (
            "management_programmes",
            gettext_lazy("Программы управленческих команд"),
            export_management_programmes,
            28,
        ),
        ("staff_roster", gettext_lazy("Кадровый состав организаций"), export_staff_roster, 29),
        ("school_applications", gettext_lazy("Заявки школ"), export_school_applications, 80),
        ("data_requests", gettext_lazy("Запросы по персональным данным"), export_data_requests, 90),
        ("notifications", gettext_lazy("Уведомления"), export_notifications, 95),
        ("outgoing_emails", gettext_lazy("Письма на адрес"), export_outgoing_emails, 96),
    ]:
        register_exporter(key, title, fn, order)
    register_retention_hold("participants.staff", gettext_lazy("Сотрудник или руководитель"), staff_people)
    register_eraser(erase_participants_text)
    register_eraser(erase_notifications)
    register_eraser(erase_outgoing_emails)
    register_eraser(erase_professional_facts)
    register_eraser(staff_roster_erase)
