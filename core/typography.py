"""Russian typography for names put into text: quotes inside quotes.

A name that already carries «ёлочки» — МАОУ «Гимназия № 1» — put inside «» once more is written with „лапки“ inside:
«МАОУ „Гимназия № 1“» (the rule of Russian typesetting: the inner pair differs in shape from the outer one).
"""

from __future__ import annotations

import re

from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

_INNER = str.maketrans({"«": "„", "»": "“"})


def inner_quotes(text: str) -> str:
    """The text with its «» turned into „“, for putting it inside «» (a SafeString stays safe: no markup changes)."""
    result = str(text).translate(_INNER)
    return mark_safe(result) if isinstance(text, SafeData) else result


def quoted(text) -> str:
    """«text», the quotes the text already has turned inner: quoted("МАОУ «Гимназия № 1»") == "«МАОУ „Гимназия № 1“»"."""
    return f"«{inner_quotes(str(text))}»"


def quoted_html(text) -> str:
    """quoted() for a template: the text escaped (unless already safe), the result safe."""
    return mark_safe(f"«{inner_quotes(conditional_escape(text))}»")


_STOP_AFTER_INITIAL = re.compile(r"(?<=\b\w\.)\.(?=\s|$)")


def one_full_stop(text: str) -> str:
    """A sentence that ends with initials ends with their dot: «… Иванова К.В..» becomes «… Иванова К.В.»."""
    return _STOP_AFTER_INITIAL.sub("", str(text))
