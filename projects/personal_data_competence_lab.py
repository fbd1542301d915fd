"""The lab's part of a person's data (152-FZ): their offers to mentor, their requests to learn and the lines of the
express survey that name them. The eraser clears the free text they wrote; rows stay for the lab's yearly report.

Registered with participants.personal_data from ProjectsConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Person
from participants.personal_data import register_eraser, register_exporter

from .models.competence_lab import LabSurveyLine, LearnerRequest, MentorOffer


def export_lab_offers(person: Person) -> list[dict]:
    rows = MentorOffer.objects.filter(person=person).select_related("theme", "organisation").order_by("created_at")
    return [
        {
            _("Тема"): o.theme.title,
            _("Организация"): str(o.organisation or ""),
            _("Формат"): o.get_format_display(),
            _("Учеников"): o.capacity,
            _("Опыт по теме"): o.note,
            _("Статус"): o.get_status_display(),
            _("Подано"): o.created_at,
        }
        for o in rows
    ]


def export_lab_requests(person: Person) -> list[dict]:
    rows = (
        LearnerRequest.objects.filter(person=person)
        .select_related("theme", "organisation", "offer__person")
        .order_by("created_at")
    )
    return [
        {
            _("Тема"): r.theme.title,
            _("Организация"): str(r.organisation or ""),
            _("Что хочется освоить"): r.note,
            _("Статус"): r.get_status_display(),
            _("Наставник"): r.offer.person.full_name if r.offer_id else "",
            _("Подан"): r.created_at,
        }
        for r in rows
    ]


def export_lab_survey_lines(person: Person) -> list[dict]:
    rows = (
        LabSurveyLine.objects.filter(person=person)
        .select_related("answer__survey", "answer__organisation", "theme")
        .order_by("answer__survey__year", "pk")
    )
    return [
        {
            _("Год опроса"): ln.answer.survey.year,
            _("Организация"): str(ln.answer.organisation),
            _("Кто"): ln.get_kind_display(),
            _("Тема"): ln.theme.title,
        }
        for ln in rows
    ]


def erase_lab_notes(person: Person) -> list[str]:
    offers = MentorOffer.objects.filter(person=person).exclude(note="").update(note="")
    requests = LearnerRequest.objects.filter(person=person).exclude(note="").update(note="")
    if offers or requests:
        return [_("Удалены записи лаборатории профессиональных компетенций (%(n)d)") % {"n": offers + requests}]
    return []


def register() -> None:
    register_exporter("lab_offers", gettext_lazy("Лаборатория: наставничество по темам"), export_lab_offers, order=60)
    register_exporter("lab_requests", gettext_lazy("Лаборатория: запросы ученика"), export_lab_requests, order=61)
    register_exporter(
        "lab_survey_lines", gettext_lazy("Лаборатория: экспресс-опрос"), export_lab_survey_lines, order=62
    )
    register_eraser(erase_lab_notes)
