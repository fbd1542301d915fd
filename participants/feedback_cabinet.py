"""Cabinet sections of this part of participants: the quarter's feedback, and «participation and my data»
(withdrawal links, the record of a withdrawal, the way to the personal-data page)."""

from __future__ import annotations

from .cabinet import CabinetContext, Section, register_section
from .feedback import feedback_items
from .forms import FeedbackForm
from .models import Enrollment, EnrollmentStatusChange


def feedback_section(ctx: CabinetContext) -> dict | None:
    """One query whatever the number of programs: the questions (the latest responses came with the
    enrollments)."""
    items = feedback_items(ctx.enrollments, ctx.now, latest_known=True)
    if not items:
        return None
    for item in items:
        if not item.answered:
            item.form = FeedbackForm(questions=item.questions, prefix=f"e{item.enrollment.pk}")
    return {"items": items}


def participation_section(ctx: CabinetContext) -> dict:
    """One query: the withdrawals the person made, to show when and why they left."""
    withdrawn = [e for e in ctx.enrollments if e.status == Enrollment.Status.WITHDRAWN]
    changes = {}
    if withdrawn:
        for change in EnrollmentStatusChange.objects.filter(
            enrollment__in=withdrawn, to_status=Enrollment.Status.WITHDRAWN
        ).order_by("changed_at", "pk"):
            changes[change.enrollment_id] = change  # the latest withdrawal wins
    return {
        "current": ctx.current,
        "withdrawn": [(e, changes.get(e.pk)) for e in withdrawn],
    }


def register() -> None:
    register_section(
        Section(key="feedback", template="participants/feedback/_section.html", context=feedback_section, order=60)
    )
    register_section(
        Section(
            key="participation",
            template="participants/withdraw/_section.html",
            context=participation_section,
            order=95,
        )
    )
