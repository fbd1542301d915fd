"""{% cabinet_sections sections %}: the cabinet's registered sections, preceded by an in-page navigation to them.

Each section's template opens with <h2 id="cabinet-…">title</h2> (the cabinet's convention); the navigation is
read from the rendered sections, so a section another app registers joins it without being listed here."""

import re
from html import unescape

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

_HEADING = re.compile(r'<h2\b[^>]*\bid="(cabinet-[\w-]+)"[^>]*>(.*?)</h2>', re.S)
# A page of fewer sections is short enough without a table of contents.
MIN_SECTIONS_FOR_NAV = 3


@register.simple_tag(takes_context=True)
def cabinet_sections(context, sections) -> str:
    parts = []
    links = []
    for section, ctx in sections:
        with context.push(ctx=ctx):
            html = context.template.engine.get_template(section.template).render(context)
        parts.append(html)
        heading = _HEADING.search(html)
        if heading:
            title = " ".join(unescape(strip_tags(heading.group(2))).split())
            links.append(
                f'<li class="nav-item"><a class="nav-link" href="#{heading.group(1)}">{escape(title)}</a></li>'
            )
    nav = ""
    if len(links) >= MIN_SECTIONS_FOR_NAV:
        nav = (
            f'<nav class="cabinet-nav mb-4" aria-label="{escape(_("Разделы кабинета"))}">'
            f'<ul class="nav nav-pills gap-1">{"".join(links)}</ul></nav>'
        )
    return mark_safe(nav + "".join(parts))  # noqa: S308 — our own templates' output and escaped titles
