"""The personnel reserve's part of a person's data (152-FZ): membership, its status history, the individual
trajectory with the member's reports, the yearly analyses, diagnostics and «Школа молодого директора».

A diagnostic gives away neither strengths nor deficits, which only the psychologist who wrote them reads (as a
psychologist's consultation, experts.personal_data). The eraser clears the free text about the person; rows stay,
so the yearly report keeps its counts.

Registered with participants.personal_data from ProjectsConfig.ready().
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Person
from participants.personal_data import register_eraser, register_exporter

from .models.reserve import (
    ReserveAnalysis,
    ReserveDiagnostic,
    ReserveMember,
    ReserveReviewEntry,
    ReserveStatusChange,
    TrajectoryItem,
    YoungDirectorParticipation,
)

DIAGNOSTIC_NOTE = gettext_lazy(
    "Результаты психолого-педагогической диагностики конфиденциальны: их читает только проводивший её педагог-психолог"
)
REMOVED = gettext_lazy("Удалено по запросу участника")


def export_reserve_membership(person: Person) -> list[dict]:
    rows = ReserveMember.objects.filter(person=person).select_related("municipality", "organisation").order_by("pk")
    return [
        {
            _("Муниципалитет"): m.municipality.name,
            _("Организация"): str(m.organisation) if m.organisation_id else "",
            _("Должность"): m.position,
            _("Источник"): m.get_source_display(),
            _("Статус"): m.get_status_display(),
            _("Статус с"): m.status_changed_on,
            _("Основание"): m.status_reason,
            _("В списке с"): m.listed_on,
            _("Включён в резерв"): m.included_on,
            _("Решение о включении"): m.decision,
        }
        for m in rows
    ]


def export_reserve_status_history(person: Person) -> list[dict]:
    rows = ReserveStatusChange.objects.filter(member__person=person).order_by("changed_on", "pk")
    return [
        {
            _("Дата"): c.changed_on,
            _("Был статус"): c.get_from_status_display() if c.from_status else "",
            _("Новый статус"): c.get_to_status_display(),
            _("Решение"): c.decision,
            _("Основание"): c.reason,
        }
        for c in rows
    ]


def export_reserve_trajectory(person: Person) -> list[dict]:
    rows = TrajectoryItem.objects.filter(member__person=person).order_by("due_on", "pk")
    return [
        {
            _("Форма"): i.get_kind_display(),
            _("Содержание"): i.title,
            _("Срок"): i.due_on,
            _("Состояние"): i.get_state_display(),
            _("Отчёт о выполнении"): i.report,
            _("Отчёт представлен"): i.reported_at,
        }
        for i in rows
    ]


def export_reserve_analyses(person: Person) -> list[dict]:
    rows = ReserveAnalysis.objects.filter(member__person=person).order_by("year", "pk")
    return [{_("Год"): a.year, _("Дата консультации"): a.consulted_on, _("Анализ"): a.analysis} for a in rows]


def export_reserve_diagnostics(person: Person) -> list[dict]:
    """That a diagnostic took place and when; what it found is not even fetched."""
    rows = (
        ReserveDiagnostic.objects.filter(member__person=person)
        .only("year", "held_on", "psychologist__role")
        .select_related("psychologist")
        .order_by("year", "pk")
    )
    return [
        {
            _("Год"): d.year,
            _("Дата"): d.held_on,
            _("Специалист"): d.psychologist.get_role_display(),
            _("Результаты"): str(DIAGNOSTIC_NOTE),
        }
        for d in rows
    ]


def export_young_director(person: Person) -> list[dict]:
    rows = YoungDirectorParticipation.objects.filter(member__person=person).order_by("year", "pk")
    return [{_("Год"): p.year, _("Состояние"): p.get_state_display(), _("Примечание"): p.note} for p in rows]


def erase_reserve_texts(person: Person) -> list[str]:
    """The free text about the person: reasons, the member's reports, analyses and the diagnostics' findings.
    The rows, dates and statuses stay for the yearly report's counts."""
    done = []
    members = ReserveMember.objects.filter(person=person)
    reasons = members.exclude(status_reason="").update(status_reason="")
    reasons += ReserveStatusChange.objects.filter(member__person=person).exclude(reason="").update(reason="")
    reasons += ReserveReviewEntry.objects.filter(member__person=person).exclude(reason="").update(reason="")
    reports = TrajectoryItem.objects.filter(member__person=person).exclude(report="").update(report="")
    analyses = ReserveAnalysis.objects.filter(member__person=person).update(analysis=str(REMOVED))
    diagnostics = ReserveDiagnostic.objects.filter(member__person=person).update(
        strengths=str(REMOVED), deficits=str(REMOVED)
    )
    notes = YoungDirectorParticipation.objects.filter(member__person=person).exclude(note="").update(note="")
    if reasons or reports or analyses or diagnostics or notes:
        done.append(
            _(
                "Кадровый резерв: удалены основания (%(r)d), отчёты по траектории (%(t)d), анализы (%(a)d), "
                "результаты диагностики (%(d)d) и примечания (%(n)d)"
            )
            % {"r": reasons, "t": reports, "a": analyses, "d": diagnostics, "n": notes}
        )
    return done


def register() -> None:
    """This part's sections of a person's export and its eraser (participants.personal_data)."""
    register_exporter("reserve_membership", gettext_lazy("Кадровый резерв"), export_reserve_membership, order=70)
    register_exporter(
        "reserve_status_history",
        gettext_lazy("Кадровый резерв: история статуса"),
        export_reserve_status_history,
        order=71,
    )
    register_exporter(
        "reserve_trajectory", gettext_lazy("Индивидуальная траектория"), export_reserve_trajectory, order=72
    )
    register_exporter(
        "reserve_analyses", gettext_lazy("Анализ отчётов и консультации"), export_reserve_analyses, order=73
    )
    register_exporter(
        "reserve_diagnostics",
        gettext_lazy("Психолого-педагогическая диагностика"),
        export_reserve_diagnostics,
        order=74,
    )
    register_exporter(
        "reserve_young_director", gettext_lazy("«Школа молодого директора»"), export_young_director, order=75
    )
    register_eraser(erase_reserve_texts)
