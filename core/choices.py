"""The display label of a choice field without Model.get_FOO_display()'s cost.

Django rebuilds the whole choices dict (make_hashable(field.flatchoices)) on every get_FOO_display() call, which
on a page with dozens of rows is a visible part of its time. The choices of our fields are fixed in code
(TextChoices), so the value → label map is built once per field; the labels stay lazy and are translated
into the active language when shown.
"""

from __future__ import annotations

from functools import cache

from django.db import models
from django.utils.encoding import force_str


@cache
def choice_labels(model: type[models.Model], field_name: str) -> dict:
    """value → (lazy) label of the field's choices, flattened over option groups."""
    return dict(model._meta.get_field(field_name).flatchoices)


def choice_label(instance: models.Model, field_name: str) -> str:
    """What instance.get_<field_name>_display() returns: the value's label, or the value itself when unknown."""
    value = getattr(instance, field_name)
    return force_str(
        choice_labels(type(instance)._meta.concrete_model, field_name).get(value, value), strings_only=True
    )
