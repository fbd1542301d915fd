"""Activities' part of an enrollment's «Журнал изменений» (participants.journal): attendance marks,
certificates and exclusion cases, from their audit trail. Registered from ActivitiesConfig.ready()."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.zones import moment_text
from participants.journal import JournalSource, register_journal_source

from .models import Attendance, Certificate, ExclusionCase


def _attendance_label(record) -> str:
    session = record.session
    if session is None:  # the session was deleted since
        return _("Посещаемость")
    return _("Посещаемость: %(activity)s, %(when)s") % {
        "activity": session.activity.title,
        # The journal builds its entries on the season's clock (participants.journal).
        "when": moment_text(session.starts_at, timezone.get_current_timezone()),
    }


def _certificate_label(record) -> str:
    return _("Сертификат %(number)s") % {"number": record.number}


def _case_label(record) -> str:
    return _("Основание для исключения")


def _reasons(value) -> str:
    return (
        "; ".join(
            " — ".join(
                part for part in (str(r.get("rule_text") or r.get("rule") or ""), str(r.get("evidence") or "")) if part
            )
            for r in value or []
        )
        or "—"
    )


def register() -> None:
    register_journal_source(
        JournalSource(
            model=Attendance,
            enrollment_path="enrollment_id",
            label=_attendance_label,
            related=("session__activity",),
            skip=frozenset({"marked_at"}),
        )
    )
    register_journal_source(
        JournalSource(
            model=Certificate,
            enrollment_path="enrollment_id",
            label=_certificate_label,
            skip=frozenset({"number", "year", "sequence", "issued_at"}),
        )
    )
    register_journal_source(
        JournalSource(
            model=ExclusionCase,
            enrollment_path="enrollment_id",
            label=_case_label,
            skip=frozenset({"opened_at", "decided_at"}),
            formatters={"reasons": _reasons},
        )
    )
