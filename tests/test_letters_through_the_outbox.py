"""Every letter goes through an outbox: no module of the portal's apps sends mail itself.

A letter sent straight from a service is lost when the mail server is down (the failure is only logged) and the
page that follows cannot say what became of it. core.outgoing_emails (letters to an address) and
core.notifications (notifications) write rows that the deliver_notifications job retries; their one sender is
core.notifications.outbox_deliver. This test reads the source (ast) of every module and fails with the file and
line of each message `.send()`, `send_mail`, `send_mass_mail`, `send_messages`, `mail_admins`, `mail_managers`
call or `django.core.mail` import outside the modules allowed below. A signal's `.send(sender=…)` is not a letter.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SCANNED = (*settings.PORTAL_APPS, "demo", "config")
# The renderer builds a message, the outbox writes the rows, the notification module sends both outboxes' rows.
MAY_IMPORT_MAIL = {"core/emails.py", "core/outgoing_emails.py", "core/notifications.py"}
MAY_SEND = {"core/notifications.py"}
SENDING_FUNCTIONS = {"send_mail", "send_mass_mail", "send_messages", "mail_admins", "mail_managers"}


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _is_message_send(call: ast.Call) -> bool:
    """`message.send()` or `message.send(fail_silently=…)`: a signal's send always names its sender."""
    return (
        _called_name(call) == "send"
        and isinstance(call.func, ast.Attribute)
        and not call.args
        and all(keyword.arg == "fail_silently" for keyword in call.keywords)
    )


def direct_mail(source: str, path: str) -> list[str]:
    """«path:line: what» for each direct send or mail import in the source of the module at `path`."""
    found = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Call) and path not in MAY_SEND:
            name = _called_name(node)
            if name in SENDING_FUNCTIONS:
                found.append(f"{path}:{node.lineno}: {name}(…)")
            elif _is_message_send(node):
                found.append(f"{path}:{node.lineno}: .send()")
        elif isinstance(node, ast.ImportFrom) and path not in MAY_IMPORT_MAIL:
            if (node.module or "").startswith("django.core.mail"):
                found.append(f"{path}:{node.lineno}: from {node.module} import …")
        elif isinstance(node, ast.Import) and path not in MAY_IMPORT_MAIL:
            found += [
                f"{path}:{node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.startswith("django.core.mail")
            ]
    return sorted(found, key=lambda line: int(line.split(":")[1]))


def _modules():
    for app in SCANNED:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_no_module_sends_mail_past_the_outboxes():
    found = [line for path, source in _modules() for line in direct_mail(source, path)]
    assert found == [], "Letters go through core.outgoing_emails or core.notifications:\n" + "\n".join(found)


def test_the_scan_reads_the_apps_that_wrote_letters():
    paths = {path for path, _source in _modules()}
    assert {"participants/services.py", "activities/services.py", "experts/services.py"} <= paths
    assert {"ratings/services.py", "reports/views.py", "projects/apps.py", "core/notifications.py"} <= paths


def test_the_check_names_the_file_and_line_of_each_send():
    source = (
        "from django.core.mail import send_mail\n"
        "import django.core.mail\n"
        "def notify(message, connection):\n"
        "    email_message('x', 'a@b.ru', {}).send()\n"
        "    message.send(fail_silently=True)\n"
        "    send_mail('s', 'b', None, ['a@b.ru'])\n"
        "    connection.send_messages([message])\n"
        "    rows_changed.send(sender=Enrollment)\n"
        "    attendance_changed.send(Session, session=None)\n"
    )
    assert direct_mail(source, "participants/services.py") == [
        "participants/services.py:1: from django.core.mail import …",
        "participants/services.py:2: import django.core.mail",
        "participants/services.py:4: .send()",
        "participants/services.py:5: .send()",
        "participants/services.py:6: send_mail(…)",
        "participants/services.py:7: send_messages(…)",
    ]
    # The outbox's sender may send; a definition named send_mail (the password-reset form's) is not a call.
    assert direct_mail("def f(m):\n    m.send()\n", "core/notifications.py") == []
    assert direct_mail("class F:\n    def send_mail(self):\n        pass\n", "participants/forms.py") == []
