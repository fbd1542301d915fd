"""Every time the portal shows says whose clock it is on, in words («время Екатеринбурга, МСК+2»), through the one
helper of core.zones: `moment_text` in Python, `|when:zone` / `|when_time:zone` in templates (or `zone_words` said
beside the hours, as a session's «14:00–15:30 (время …)» does). A date without an hour needs no zone.

The guard reads the sources: a template's date filter whose format shows hours (H, G, i), and Python's strftime,
date_format, date_text or f-string format with hours, fail unless the same template line or Python statement goes
through the helper. Machine formats (a PDF's date, a notification key's stamp, a spreadsheet's cell) are listed below,
each with its reason."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "programs", "participants", "experts", "activities", "ratings", "reports", "demo")
HELPERS = ("|when", "zone_words", "moment_text")

# (file, a fragment of the line or statement) → why it needs no zone in words.
ALLOWED = {
    (
        "experts/services.py",
        '"%Y%m%dT%H%M%S%f"',
    ): "a notification key's stamp (sent once per assignment), read by no one",
    (
        "activities/route_notices.py",
        '"%Y%m%dT%H%M%S%f"',
    ): "a notification key's stamp (sent once per change), read by no one",
    ("activities/certificates_pdf.py", '"D:%Y%m%d%H%M%S"'): "the PDF's CreationDate, with its offset (PDF 1.7, 7.9.4)",
    ("programs/templatetags/portal_tags.py", 'formats.date_format(start, "j E Y, H:i")'): (
        "registration_window: every template that uses it says the zone in words right after it (checked below)"
    ),
    ("reports/workbooks.py", 'f"{local:%H:%M}"'): (
        "the attendance sheet's «Начало» cell, a sortable spreadsheet value; the workbook's cover says the zone"
    ),
}

_FORMAT_WITH_HOURS = re.compile(r"(?<!\\)[HGi]")
_TEMPLATE_DATE = re.compile(r"""\|(?:date|date_text):(["'])(?P<fmt>[^"']*)\1""")
_STRFTIME_HOURS = re.compile(r"%[HIM]")


def _template_offences(allowed=ALLOWED) -> list[str]:
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in (".html", ".txt") or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            shows_hours = any(_FORMAT_WITH_HOURS.search(m.group("fmt")) for m in _TEMPLATE_DATE.finditer(line))
            if not shows_hours or any(helper in line for helper in HELPERS):
                continue
            name = str(path.relative_to(ROOT))
            if not any(file == name and fragment in line for file, fragment in allowed):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def _shows_hours(node: ast.AST) -> bool:
    """A call or f-string that formats a moment with its hours."""
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if name == "strftime":
            return any(_STRFTIME_HOURS.search(t) for t in texts)
        if name in ("date_format", "date_text"):
            return any(_FORMAT_WITH_HOURS.search(t) for t in texts[-1:])
    if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
        spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
        return bool(_STRFTIME_HOURS.search(spec))
    return False


def _python_offences(allowed=ALLOWED) -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            name = str(path.relative_to(ROOT))
            for statement in ast.walk(ast.parse(source)):
                if not isinstance(statement, ast.stmt) or isinstance(
                    statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.With, ast.Try)
                ):
                    continue  # the smallest statement around the formatting is the one judged
                if not any(_shows_hours(node) for node in ast.walk(statement)):
                    continue
                text = ast.get_source_segment(source, statement) or ""
                if any(helper in text for helper in HELPERS):
                    continue
                if not any(file == name and fragment in text for file, fragment in allowed):
                    found.append(f"{name}:{statement.lineno}: {text}")
    return found


def test_every_template_time_says_its_zone_in_words():
    assert _template_offences() == []


def test_every_python_time_for_people_says_its_zone_in_words():
    assert _python_offences() == []


def test_every_allowance_is_still_needed():
    """An allowance whose line is gone (or now goes through the helper) is dropped, not kept as a loophole."""
    unexcused = _template_offences(allowed={}) + _python_offences(allowed={})
    for file, fragment in ALLOWED:
        assert any(o.startswith(f"{file}:") and fragment in o for o in unexcused), (file, fragment)


def test_the_registration_window_is_followed_by_its_zone_in_words():
    uses = 0
    for path in sorted((ROOT / "templates").rglob("*.html")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if "{% registration_window" in line:
                uses += 1
                assert "zone_words" in " ".join(lines[number : number + 2]), f"{path}:{number + 1}"
    assert uses >= 3


def test_the_guard_catches_what_it_is_for(tmp_path):
    line = '<td>{{ c.held_at|date:"d.m.Y H:i" }}</td>'
    assert any(_FORMAT_WITH_HOURS.search(m.group("fmt")) for m in _TEMPLATE_DATE.finditer(line))
    assert not any(_FORMAT_WITH_HOURS.search(m.group("fmt")) for m in _TEMPLATE_DATE.finditer('{{ d|date:"j E Y" }}'))
    call = ast.parse('f"{timezone.localtime(x):%d.%m.%Y %H:%M}"').body[0]
    assert any(_shows_hours(node) for node in ast.walk(call))
    call = ast.parse('date_format(value, "j E Y, H:i")').body[0]
    assert any(_shows_hours(node) for node in ast.walk(call))
    call = ast.parse('value.strftime("%d.%m.%Y")').body[0]
    assert not any(_shows_hours(node) for node in ast.walk(call))
