"""The half-year monitoring report as a file, in the shape of the order's report (seed 002, разд. 7): the title
with the order and its clause, the period and the municipality, the indicators (value, numerator / denominator,
target, status, the clause the target comes from), then the analysis and the targeted recommendations, and the
signature lines.

PDF: WeasyPrint as the certificates render (activities.certificates): the HTML embeds everything, fonts come from
the system, nothing is fetched. XLSX: reports.xlsx's workbook_write (A4 landscape, header row repeated on every
printed page), with a sheet comparing the half-year with the one before.
"""

from __future__ import annotations

import io
import threading

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.zones import moment_text

from .models import KpiSnapshot
from .selectors_monitoring import ORDER_TITLE, ComparisonRow, MonitoringPage, order_clause
from .xlsx import DECIMAL_FORMAT, Column, Formatted, Sheet, Status, workbook_write

_fonts = threading.local()


def _font_config():
    """One FontConfiguration per thread, kept between renders (building one reloads the system's fonts)."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


def _no_remote_fetcher():
    """The report embeds its CSS: no file or network fetches at all."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


def report_filename(snapshot: KpiSnapshot, extension: str) -> str:
    half = f"{snapshot.year}-{snapshot.half}" if snapshot.year and snapshot.half else f"{snapshot.taken_on:%Y-%m-%d}"
    return f"monitoring-{snapshot.municipality_id}-{half}-{snapshot.pk}.{extension}"


def _signatures(page: MonitoringPage) -> list[tuple[str, str]]:
    """(role, name) of the signature lines: who drew the report up, who approved it."""
    report = page.report
    author = report.author.get_full_name() if report and report.author else ""
    approver = report.approved_by.get_full_name() if report and report.approved_by else ""
    return [(_("Составил"), author), (_("Утвердил"), approver)]


def monitoring_pdf(page: MonitoringPage) -> bytes:
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "documents/monitoring_report.html",
            {
                "page": page,
                "snapshot": page.snapshot,
                "order_title": ORDER_TITLE,
                "order_clause": order_clause(),
                "signatures": _signatures(page),
            },
        )
        document = HTML(string=html, base_url=settings.SITE_URL, url_fetcher=_no_remote_fetcher())
        return document.render(font_config=_font_config()).write_pdf()


def _number(value) -> Formatted:
    return Formatted(None if value is None else float(value), DECIMAL_FORMAT)


def _preamble(page: MonitoringPage, heading: str) -> list[str]:
    snapshot = page.snapshot
    return [
        heading,
        str(ORDER_TITLE),
        order_clause(),
        _("Муниципалитет: %(name)s") % {"name": snapshot.municipality.name},
        _("Период: %(period)s; значения сняты %(date)s")
        % {
            "period": snapshot.period,
            "date": moment_text(snapshot.taken_at, snapshot.municipality.time_zone, "d.m.Y H:i"),
        },
    ]


def monitoring_sheets(
    page: MonitoringPage, *, previous: KpiSnapshot | None, comparison: list[ComparisonRow]
) -> list[Sheet]:
    snapshot = page.snapshot
    indicators = Sheet(
        title=_("Показатели"),
        preamble=_preamble(page, _("Мониторинг эффективности муниципальной методической службы")),
        columns=[
            Column("№", 5),
            Column(_("Показатель"), 50, wrap=True),
            Column(_("Значение"), 12),
            Column(_("Единица"), 10),
            Column(_("Числитель"), 12),
            Column(_("Знаменатель"), 13),
            Column(_("Цель"), 18, wrap=True),
            Column(_("Статус"), 18),
            Column(_("Источник цели"), 40, wrap=True),
        ],
        rows=[
            (
                row.number,
                row.name,
                _number(row.value),
                row.unit,
                _number(row.numerator),
                _number(row.denominator),
                row.target_label or "—",
                Status(row.status, row.status_label),
                row.source,
            )
            for row in page.rows
        ],
    )
    status = page.report.get_status_display() if page.report else _("Черновик")
    analysis_lines = [line for line in (page.analysis or _("Анализ не написан.")).splitlines() if line.strip()]
    recommendations_rows: list[tuple] = [
        (number, item.addressee, item.text, item.due_on, item.responsible)
        for number, item in enumerate(page.recommendations, start=1)
    ]
    recommendations_rows.append(("", "", "", None, ""))
    for role, name in _signatures(page):
        recommendations_rows.append(
            ("", role, (_("%(name)s ____________________ (подпись)") % {"name": name}).strip(), None, "")
        )
    recommendations = Sheet(
        title=_("Анализ и рекомендации"),
        preamble=[
            *_preamble(page, _("Анализ и адресные рекомендации (п. 7.5)")),
            _("Состояние отчёта: %(status)s") % {"status": status},
            _("Анализ:"),
            *analysis_lines,
        ],
        columns=[
            Column("№", 5),
            Column(_("Кому"), 30, wrap=True),
            Column(_("Рекомендация"), 60, wrap=True),
            Column(_("Срок"), 12),
            Column(_("Ответственный"), 30, wrap=True),
        ],
        rows=recommendations_rows,
    )
    sheets = [indicators, recommendations]
    if previous is not None:
        sheets.append(
            Sheet(
                title=_("Сравнение полугодий"),
                preamble=_preamble(
                    page,
                    _("Сравнение: %(earlier)s и %(later)s") % {"earlier": previous.period, "later": snapshot.period},
                ),
                columns=[
                    Column(_("Показатель"), 50, wrap=True),
                    Column(previous.period or _("Ранее"), 14),
                    Column(snapshot.period or _("Позже"), 14),
                    Column(_("Изменение"), 12),
                    Column(_("Единица"), 10),
                    Column(_("Цель"), 18, wrap=True),
                    Column(_("Статус ранее"), 18),
                    Column(_("Статус позже"), 18),
                ],
                rows=[
                    (
                        item.row.name,
                        _number(item.row.value_a),
                        _number(item.row.value_b),
                        _number(item.row.change),
                        item.row.unit,
                        item.target_label or "—",
                        Status(item.status_a, item.row.status_a),
                        Status(item.status_b, item.row.status_b),
                    )
                    for item in comparison
                ],
            )
        )
    return sheets


def monitoring_xlsx(page: MonitoringPage, *, previous: KpiSnapshot | None, comparison: list[ComparisonRow]) -> bytes:
    file = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE):
        workbook_write(sheets=monitoring_sheets(page, previous=previous, comparison=comparison), file=file)
    return file.getvalue()
