"""XLSX of «Траектория развития» (сид 001): the mentoring practices recommended for contests (мероприятие 4: «…и
рекомендован к представлению на конкурсных и иных мероприятиях») and the monitoring of mentoring forms per school
with its dynamics (мероприятия 1 и 8)."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import table_sheet

from .models.trajectory import MENTORING_FORMS
from .selectors_trajectory import DynamicsRow, HalfYear, MonitoringRow, practice_organisation


def _bytes(workbook) -> bytes:
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def recommended_practices_xlsx(practices) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    rows = []
    for p in practices:
        organisation = practice_organisation(p)
        rows.append(
            [
                organisation.short_name if organisation else "",
                p.title,
                str(p.author.person),
                p.community.name,
                p.description,
                p.link,
                p.conclusion,
                timezone.localdate(p.recommended_at) if p.recommended_at else "",
            ]
        )
    table_sheet(
        workbook,
        set(),
        _("Рекомендованные практики"),
        [
            _("Школа"),
            _("Практика"),
            _("Автор"),
            _("Сообщество"),
            _("Описание"),
            _("Ссылка"),
            _("Заключение методиста"),
            _("Рекомендована"),
        ],
        rows,
        widths=(24, 40, 30, 30, 60, 30, 50, 14),
    )
    return _bytes(workbook)


def monitoring_xlsx(*, half: HalfYear, rows: list[MonitoringRow], dynamics: list[DynamicsRow]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    labels = [str(label) for _field, label in MENTORING_FORMS]
    table_sheet(
        workbook,
        used,
        half.short,
        [_("Школа"), _("Сдан"), *labels, _("Форм практикуется"), _("Пар всего"), _("Комментарий школы")],
        [
            [
                r.organisation.short_name,
                timezone.localdate(r.report.entered_at) if r.report else _("не сдан"),
                *(r.report.counts if r.report else [""] * len(labels)),
                r.report.forms_practised if r.report else "",
                r.report.total_pairs if r.report else "",
                r.report.note if r.report else "",
            ]
            for r in rows
        ],
        widths=(24, 14, *(14,) * len(labels), 14, 12, 40),
    )
    table_sheet(
        workbook,
        used,
        _("Динамика"),
        [_("Полугодие"), _("Школ сдали"), *(_("Пар: %(f)s") % {"f": f} for f in labels)]
        + [_("Школ с формой: %(f)s") % {"f": f} for f in labels],
        [[d.half.short, d.reported, *d.pairs, *d.schools_practising] for d in dynamics],
        widths=(24, 12, *(14,) * (2 * len(labels))),
    )
    return _bytes(workbook)
