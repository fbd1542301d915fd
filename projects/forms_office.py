"""The small form on a project's page: the state of a stage or an event, with a note on its result."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.office import WorkState


class WorkStateForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Состояние"),
        choices=WorkState.choices,
        error_messages={"invalid_choice": _("Выберите состояние из списка.")},
    )
    note = forms.CharField(
        label=_("Результат, комментарий"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Для отмены укажите причину."),
    )
