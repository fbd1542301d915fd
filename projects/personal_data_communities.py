"""The communities' part of a person's data (152-FZ): memberships and roles, the materials they shared, the ratings
they gave, the «Prof-акселератор» support. Erasure clears their free text (descriptions, comments, goals) and hides
their materials; rows stay, so the points and counts of the communities keep their history.

Registered with participants.personal_data on import (from ProjectsConfig.ready()).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Person
from participants.personal_data import register_eraser, register_exporter

from .models import AcceleratorSupport, CommunityMember, Practice, PracticeRating

REMOVED = gettext_lazy("Удалено по запросу участника")


def export_memberships(person: Person) -> list[dict]:
    rows = CommunityMember.objects.filter(enrollment__person=person).select_related("community__season__program")
    return [
        {
            _("Программа"): m.community.season.program.title,
            _("Сезон"): m.community.season.title,
            _("Сообщество"): m.community.name,
            _("Роль"): m.get_role_display(),
            _("Вступил"): m.joined_on,
            _("Вышел"): m.left_on or "",
        }
        for m in rows.order_by("joined_on", "pk")
    ]


def export_practices(person: Person) -> list[dict]:
    rows = Practice.objects.filter(author__person=person).select_related("community")
    return [
        {
            _("Сообщество"): p.community.name,
            _("Вид"): p.get_kind_display(),
            _("Название"): p.title,
            _("Описание"): p.description,
            _("Ссылка"): p.link,
            _("Файл"): p.file.name if p.file else "",
            _("Добавлено"): p.created_at,
            _("Скрыто координатором"): p.hidden_reason,
            # «Траектория развития»: the review of a mentoring practice (сид 001, мероприятие 4).
            _("Рассмотрение"): p.get_review_display() if p.review else "",
            _("Заключение методиста"): p.conclusion,
            _("Причина возврата"): p.returned_reason,
        }
        for p in rows.order_by("created_at", "pk")
    ]


def export_ratings(person: Person) -> list[dict]:
    rows = PracticeRating.objects.filter(rater__person=person).select_related("practice")
    return [
        {_("Материал"): r.practice.title, _("Оценка"): r.score, _("Комментарий"): r.comment, _("Оценено"): r.created_at}
        for r in rows.order_by("created_at", "pk")
    ]


def export_accelerator(person: Person) -> list[dict]:
    rows = AcceleratorSupport.objects.filter(enrollment__person=person).select_related("companion__person")
    return [
        {
            _("Направление"): s.get_direction_display(),
            _("Сопровождающий специалист"): s.companion.person.full_name if s.companion_id else "",
            _("Цель"): s.goal,
            _("Ход сопровождения"): s.notes,
        }
        for s in rows.order_by("created_at", "pk")
    ]


def erase_communities(person: Person) -> list[str]:
    removed = str(REMOVED)
    done = []
    practices = Practice.objects.filter(author__person=person)
    n = practices.update(description=removed)
    practices.filter(hidden_at__isnull=True).update(hidden_at=timezone.now(), hidden_reason=removed)
    if n:
        done.append(_("Материалы банка практик: описание удалено, материалы скрыты (%(n)d)") % {"n": n})
    n = PracticeRating.objects.filter(rater__person=person).exclude(comment="").update(comment=removed)
    if n:
        done.append(_("Комментарии к оценкам материалов удалены (%(n)d)") % {"n": n})
    n = AcceleratorSupport.objects.filter(enrollment__person=person).update(goal=removed, notes="")
    if n:
        done.append(_("Сопровождение в «Prof-акселераторе»: цели и записи удалены (%(n)d)") % {"n": n})
    return done


def register() -> None:
    """The communities' share of a person's export and erasure (called from ProjectsConfig.ready)."""
    register_exporter("projects.community_members", gettext_lazy("Профессиональные сообщества"), export_memberships, 80)
    register_exporter("projects.practices", gettext_lazy("Банк материалов и практик"), export_practices, 81)
    register_exporter("projects.practice_ratings", gettext_lazy("Оценки материалов"), export_ratings, 82)
    register_exporter("projects.accelerator", gettext_lazy("«Prof-акселератор»"), export_accelerator, 83)
    register_eraser(erase_communities)
