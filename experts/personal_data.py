"""Experts' part of a person's data (152-FZ): individual requests in the bank of requests and, for a specialist,
their assignments to expert teams; the eraser clears the requests' free text.

Registered with participants.personal_data on import (from ExpertsConfig.ready()).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Person
from participants.personal_data import register_eraser, register_exporter

from .models import ExpertAssignment, IndividualRequest

REMOVED = gettext_lazy("Удалено по запросу участника")


def export_individual_requests(person: Person) -> list[dict]:
    rows = (
        IndividualRequest.objects.filter(enrollment__person=person)
        .select_related("enrollment__season__program", "subject", "tutor__person")
        .order_by("created_at", "pk")
    )
    return [
        {
            _("Программа"): r.enrollment.season.program.title,
            _("Сезон"): r.enrollment.season.title,
            _("Профессиональный дефицит"): r.deficit,
            _("Предмет"): r.subject.name if r.subject_id else "",
            _("Тема"): r.topic,
            _("Желаемая форма"): r.get_preferred_form_display(),
            _("Комментарий"): r.comment,
            _("Статус"): r.get_status_display(),
            _("Тьютор"): r.tutor.person.full_name if r.tutor_id else "",
            _("Пояснение к статусу"): r.status_reason,
            _("Подан"): r.created_at,
        }
        for r in rows
    ]


def export_expert_assignments(person: Person) -> list[dict]:
    rows = ExpertAssignment.objects.filter(person=person).select_related("season__program", "subject")
    return [
        {
            _("Программа"): a.season.program.title,
            _("Сезон"): a.season.title,
            _("Роль"): a.get_role_display(),
            _("Предмет"): a.subject.name if a.subject_id else "",
            _("Работает в сезоне"): a.is_active,
            _("Назначен"): a.assigned_at,
        }
        for a in rows.order_by("assigned_at", "pk")
    ]


def erase_individual_requests(person: Person) -> list[str]:
    """The deficit and comments are the teacher's own words; topic, subject and form stay for the bank's counts."""
    erased = IndividualRequest.objects.filter(enrollment__person=person).update(
        deficit=str(REMOVED), comment="", status_reason=""
    )
    return (
        [_("Индивидуальные запросы: удалены описания дефицитов и комментарии (%(n)d)") % {"n": erased}]
        if erased
        else []
    )


register_exporter("individual_requests", gettext_lazy("Индивидуальные запросы"), export_individual_requests, order=40)
register_exporter(
    "expert_assignments", gettext_lazy("Работа в экспертной команде"), export_expert_assignments, order=41
)
register_eraser(erase_individual_requests)
