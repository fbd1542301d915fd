"""{{ organisation|inner_quotes }} inside «»: МАОУ «Гимназия № 1» becomes МАОУ „Гимназия № 1“ (core.typography)."""

from django import template

from core.typography import inner_quotes as _inner_quotes

register = template.Library()


@register.filter(is_safe=True)
def inner_quotes(value):
    """Only the quote characters change, so an escaped or safe value stays so."""
    return _inner_quotes(value if isinstance(value, str) else str(value))
