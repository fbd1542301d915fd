"""How a row is named in the admin's choices, where its own str() is ambiguous: six «Практическая часть» in an
extension form's select tell nothing, «Практическая часть — Прогрессивный педагог 2025/26, срок 15.03.2026» does.

An app registers a label for its model (with the relations the label reads, fetched with the choices in one
query); every admin form's select and the admin's autocomplete answers use it. core knows no app: the
registry is filled by the apps that own the models.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db.models import Model


@dataclass(frozen=True)
class ChoiceLabel:
    related: tuple[str, ...]
    label: Callable[[Model], str]


_LABELS: dict[str, ChoiceLabel] = {}


def choice_label_register(model_label: str, *, related: tuple[str, ...], label: Callable[[Model], str]) -> None:
    """`model_label` as Django spells it ("app_label.ModelName"); `related` feeds select_related."""
    _LABELS[model_label] = ChoiceLabel(related=related, label=label)


def choice_label_of(model) -> ChoiceLabel | None:
    return _LABELS.get(model._meta.label)


def label_choice_fields(fields: dict) -> None:
    """Every model choice field among `fields` (a form class's base_fields) whose model has a registered label
    names its rows with it; a field that set its own label_from_instance keeps it."""
    for name, field in list(fields.items()):
        if not isinstance(field, forms.ModelChoiceField) or getattr(field, "choice_labelled", False):
            continue
        if "label_from_instance" in vars(field):
            continue
        registered = choice_label_of(field.queryset.model)
        if registered is None:
            continue
        field = copy.deepcopy(field)  # a form's declared fields are shared by every request
        field.queryset = field.queryset.select_related(*registered.related)
        field.label_from_instance = registered.label
        widget = getattr(field.widget, "widget", field.widget)  # inside the admin's related-field wrapper
        if hasattr(widget, "choices") and not hasattr(widget, "rel"):
            widget.choices = field.choices
        field.choice_labelled = True
        fields[name] = field


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete answers with the same registered labels as the selects."""

    def get_queryset(self):
        queryset = super().get_queryset()
        registered = choice_label_of(queryset.model)
        return queryset.select_related(*registered.related) if registered else queryset

    def serialize_result(self, obj, to_field_name):
        registered = choice_label_of(type(obj))
        if registered is None:
            return super().serialize_result(obj, to_field_name)
        return {"id": str(getattr(obj, to_field_name)), "text": registered.label(obj)}
