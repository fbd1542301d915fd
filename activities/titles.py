"""A session's title under its activity's, said once: «Нейросеть – помощник педагога: модуль 1», never
«Нейросеть – помощник педагога: Нейросеть – помощник педагога: модуль 1» when the coordinator already wrote the
activity's title into the session's."""

from __future__ import annotations

from django.utils.translation import gettext as _


def _norm(text: str) -> str:
    return " ".join(text.replace("—", "–").replace("-", "–").split()).casefold()


def joined_title(outer: str, inner: str | None) -> str:
    """«outer: inner», or `inner` alone when it already starts with `outer` (case, spaces and dash kind aside),
    or `outer` alone when there is no inner title."""
    outer, inner = (outer or "").strip(), (inner or "").strip()
    if not inner:
        return outer
    if not outer or _norm(inner).startswith(_norm(outer)):
        return inner
    return _("%(activity)s: %(session)s") % {"activity": outer, "session": inner}


def session_title(session, activity=None) -> str:
    """The full title of a session: its activity's title and its own, without repetition."""
    return joined_title((activity or session.activity).title, session.title)
