"""The project office's part of a person's data (152-FZ): the working groups of the centre's projects the person
is in (сид 001, «Руководитель рабочей группы»). The eraser clears the name and position copied into the row; the
row stays linked to the person (whose own record the erasure anonymises), so the working group keeps its size.

Registered with participants.personal_data from ProjectsConfig.ready().
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Person
from participants.personal_data import register_eraser, register_exporter

from .models.office import WorkingGroupMember


def export_project_groups(person: Person) -> list[dict]:
    rows = WorkingGroupMember.objects.filter(person=person).select_related("project").order_by("project__title", "pk")
    return [
        {
            _("Проект"): m.project.title,
            _("Должность в рабочей группе"): m.position,
            _("Руководитель рабочей группы"): m.is_head,
        }
        for m in rows
    ]


def erase_project_groups(person: Person) -> list[str]:
    erased = (
        WorkingGroupMember.objects.filter(person=person)
        .exclude(full_name="", position="")
        .update(full_name="", position="")
    )
    return [_("Рабочие группы проектов: удалены ФИО и должность (%(n)d)") % {"n": erased}] if erased else []


def register() -> None:
    register_exporter("project_groups", gettext_lazy("Рабочие группы проектов"), export_project_groups, order=90)
    register_eraser(erase_project_groups)
