"""Charts drawn on the server as inline SVG for the KPI dashboards.

No JavaScript chart library: the page stays light on a school's old computer, prints as it looks, works
without scripts, and every chart is an `<svg role="img">` with a title and a description, followed in the
template by the same numbers as a table for screen readers. Every label is escaped here.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .formatting import kpi_value

MET, MISSED, NEUTRAL = "met", "missed", "neutral"
COLOURS = {MET: "#2e7d32", MISSED: "#c62828", NEUTRAL: "#0b5394"}
TARGET_COLOUR = "#1b1b1b"
GRID_COLOUR = "#d0d7de"
SERIES_COLOURS = ["#0b5394", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"]  # Okabe–Ito, colour-blind safe


@dataclass(frozen=True)
class Point:
    """One bar or one point: its label, its value (None: no data), the target if there is one."""

    label: str
    value: float | None
    target: float | None = None
    # met / missed / neutral: the bar's colour (a missed target is red, a met one green).
    status: str = NEUTRAL


def _with_unit(value: float, unit: str) -> str:
    """As the dashboard's tables and the workbook print it: «27,2 %», «3 мероприятия» (reports.formatting)."""
    return kpi_value(value, unit)


def nice_ceiling(value: float) -> float:
    """The axis top: the smallest of 1, 2, 2.5, 5 × 10ⁿ not below the value (100 for shares up to 100 %)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * 10**exponent
        if top >= value - 1e-9:
            return float(top)
    return float(10 ** (exponent + 1))


def _axis_top(values: Sequence[float | None], unit: str) -> float:
    present = [v for v in values if v is not None]
    top = max(present, default=0.0)
    if unit == "%" and top <= 100:
        return 100.0
    return nice_ceiling(top * 1.05)


def _ticks(top: float, count: int = 4) -> list[float]:
    return [top * i / count for i in range(count + 1)]


def _open(width: int, height: int, title: str, description: str) -> list[str]:
    # Stable across processes (hash() is salted), unique enough for the charts of one page.
    ident = "chart-" + hashlib.sha1(f"{title}|{description}|{width}x{height}".encode()).hexdigest()[:10]
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(description)}</desc>',
    ]


def _describe(points: Sequence[Point], unit: str) -> str:
    parts = []
    for point in points:
        value = _with_unit(point.value, unit) if point.value is not None else _("нет данных")
        if point.target is not None:
            value += " " + _("(цель %(target)s)") % {"target": _with_unit(point.target, unit)}
        parts.append(f"{point.label}: {value}")
    return "; ".join(parts) + "."


def bar_chart(
    *, title: str, points: Sequence[Point], unit: str = "%", width: int = 640, height: int = 260
) -> SafeString:
    """Vertical bars (e.g. a KPI per year) with the target of each bar as a black dash across it."""
    left, right, top_pad, bottom = 48, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = _axis_top([p.value for p in points] + [p.target for p in points], unit)
    out = _open(width, height, title, _describe(points, unit))
    for tick in _ticks(top):
        y = top_pad + plot_h - plot_h * tick / top
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID_COLOUR}"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{escape(_with_unit(tick, unit))}</text>'
        )
    slot = plot_w / max(len(points), 1)
    bar_w = min(56.0, slot * 0.6)
    for index, point in enumerate(points):
        x = left + slot * index + (slot - bar_w) / 2
        centre = x + bar_w / 2
        out.append(
            f'<text x="{centre:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="12">{escape(point.label)}</text>'
        )
        if point.value is None:
            out.append(
                f'<text x="{centre:.1f}" y="{top_pad + plot_h - 6}" text-anchor="middle" font-size="11" '
                f'fill="#57606a">{escape(_("нет данных"))}</text>'
            )
        else:
            bar_h = plot_h * min(point.value, top) / top
            y = top_pad + plot_h - bar_h
            colour = COLOURS.get(point.status, COLOURS[NEUTRAL])
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" fill="{colour}" '
                f'data-value="{point.value}"><title>{escape(point.label)}: {escape(_with_unit(point.value, unit))}</title></rect>'
            )
            out.append(
                f'<text x="{centre:.1f}" y="{max(y - 4, top_pad + 10):.1f}" text-anchor="middle" font-size="11" '
                f'font-weight="bold">{escape(_with_unit(point.value, unit))}</text>'
            )
        if point.target is not None:
            ty = top_pad + plot_h - plot_h * min(point.target, top) / top
            out.append(
                f'<line class="kpi-target" x1="{x - 6:.1f}" x2="{x + bar_w + 6:.1f}" y1="{ty:.1f}" y2="{ty:.1f}" '
                f'stroke="{TARGET_COLOUR}" stroke-width="3" stroke-dasharray="6 3" data-target="{point.target}"/>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # every piece of text above went through escape()


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    unit: str = "%",
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Lines over the same x labels (e.g. quarters), one per series; a gap where a value is missing."""
    left, right, top_pad, bottom = 48, 12, 16, 56
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = _axis_top([v for _name, values in series for v in values], unit)
    description = " ".join(
        f"{name}: "
        + "; ".join(
            f"{label} — {_with_unit(v, unit) if v is not None else _('нет данных')}"
            for label, v in zip(labels, values, strict=False)
        )
        + "."
        for name, values in series
    )
    out = _open(width, height, title, description)
    for tick in _ticks(top):
        y = top_pad + plot_h - plot_h * tick / top
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID_COLOUR}"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{escape(_with_unit(tick, unit))}</text>'
        )
    step = plot_w / max(len(labels) - 1, 1)
    xs = [left + step * i if len(labels) > 1 else left + plot_w / 2 for i in range(len(labels))]
    for x, label in zip(xs, labels, strict=False):
        out.append(
            f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="12">{escape(label)}</text>'
        )
    for number, (name, values) in enumerate(series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        run: list[str] = []
        for x, value in zip(xs, values, strict=False):
            if value is None:
                if len(run) > 1:
                    out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(run)}"/>')
                run = []
                continue
            y = top_pad + plot_h - plot_h * min(value, top) / top
            run.append(f"{x:.1f},{y:.1f}")
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}" data-value="{value}">'
                f"<title>{escape(name)}: {escape(_with_unit(value, unit))}</title></circle>"
            )
        if len(run) > 1:
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(run)}"/>')
        legend_x = left + number * 160
        out.append(f'<rect x="{legend_x}" y="{height - 18}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{legend_x + 16}" y="{height - 8}" font-size="12">{escape(name)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every piece of text above went through escape()


def hbar_chart(*, title: str, points: Sequence[Point], unit: str = "%", width: int = 640, row: int = 24) -> SafeString:
    """Horizontal bars, one row each (e.g. a KPI per school), longest labels cut with an ellipsis."""
    label_w, right, top_pad = 220, 64, 8
    height = top_pad * 2 + row * max(len(points), 1)
    plot_w = width - label_w - right
    top = _axis_top([p.value for p in points] + [p.target for p in points], unit)
    out = _open(width, height, title, _describe(points, unit))
    for index, point in enumerate(points):
        y = top_pad + row * index
        label = point.label if len(point.label) <= 32 else point.label[:31] + "…"
        out.append(
            f'<text x="{label_w - 8}" y="{y + row * 0.65:.1f}" text-anchor="end" font-size="12">{escape(label)}</text>'
        )
        if point.value is None:
            out.append(
                f'<text x="{label_w + 4}" y="{y + row * 0.65:.1f}" font-size="11" fill="#57606a">{escape(_("нет данных"))}</text>'
            )
            continue
        bar = plot_w * min(point.value, top) / top
        colour = COLOURS.get(point.status, COLOURS[NEUTRAL])
        out.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{bar:.1f}" height="{row - 8}" fill="{colour}" data-value="{point.value}"/>'
        )
        out.append(
            f'<text x="{label_w + bar + 4:.1f}" y="{y + row * 0.65:.1f}" font-size="11">{escape(_with_unit(point.value, unit))}</text>'
        )
        if point.target is not None:
            tx = label_w + plot_w * min(point.target, top) / top
            out.append(
                f'<line class="kpi-target" x1="{tx:.1f}" x2="{tx:.1f}" y1="{y + 1}" y2="{y + row - 1}" '
                f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="3 2" data-target="{point.target}"/>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # every piece of text above went through escape()
