"""The portal's templates show a choice field's label with {{ object|choice_label:"field" }} (core.choices), never
with {{ object.get_field_display }}: Django's method translates every label of the field on each call, and a page
listing dozens of rows spent a tenth of its time there (bench «pages», the public program page). A new template
cannot bring the slow form back unnoticed."""

import re

from django.conf import settings

SLOW = re.compile(r"\bget_\w+_display\b")


def _templates():
    for folder in settings.TEMPLATES[0]["DIRS"]:
        yield from (path for path in folder.rglob("*") if path.is_file() and path.suffix in {".html", ".txt"})


def test_the_walk_reads_the_portal_templates():
    names = {path.name for path in _templates()}
    assert {"base.html", "program_detail.html", "_activity.html"} <= names
    assert len(names) > 100


def test_no_template_calls_get_display():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for path in _templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SLOW.search(line)
    ]
    assert not offenders, 'use {{ object|choice_label:"field" }} (core.choices) instead:\n' + "\n".join(offenders)


def test_the_guard_sees_the_slow_form():
    assert SLOW.search("<td>{{ row.get_status_display }}</td>")
    assert SLOW.search("{% blocktranslate with s=item.get_kind_display|lower %}")
    assert not SLOW.search('<td>{{ row|choice_label:"status" }}</td>')
