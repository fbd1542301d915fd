"""{{ object|choice_label:"field" }}: the same text as {{ object.get_field_display }}, at a dict lookup's cost
(core.choices). The portal's templates use it for every choice field (tests/test_templates_choice_labels.py):
Django's get_FOO_display translates every label of the field on each call, which on a page of rows was a tenth
of its time.

Like a variable lookup, no object (a missing relation, an absent context variable) shows as nothing."""

from django import template

from core.choices import choice_label as _choice_label

register = template.Library()


@register.filter
def choice_label(instance, field_name: str) -> str:
    if instance is None or instance == "":
        return ""
    return _choice_label(instance, field_name)
