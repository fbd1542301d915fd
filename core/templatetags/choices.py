"""{{ object|choice_label:"field" }}: the same text as {{ object.get_field_display }}, at a dict lookup's cost
(core.choices)."""

from django import template

from core.choices import choice_label as _choice_label

register = template.Library()


@register.filter
def choice_label(instance, field_name: str) -> str:
    return _choice_label(instance, field_name)
