"""Admin forms: lists stored as JSON are edited as checkboxes or one item per line, never as raw JSON."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import EducationLevel, RoadmapModule, Season

_ROW_NUMBER = re.compile(r"^\s*\d{1,18}\s*$")


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but a posted value that cannot be an integer key (say, 10**30) is an unknown choice
    with the usual message, not a database error: SQLite's driver raises OverflowError for integers past
    64 bits before Django can answer «no such row»."""

    def _check_values(self, value):
        key = (
            self.queryset.model._meta.pk
            if self.to_field_name is None
            else self.queryset.model._meta.get_field(self.to_field_name)
        )
        if isinstance(key, models.IntegerField | models.AutoField):
            for pk in value:
                if not _ROW_NUMBER.match(str(pk)):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


class LinesField(forms.CharField):
    """A list of strings edited in a text area, one per line; blank lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class SeasonAdminForm(forms.ModelForm):
    eligible_education_levels = forms.MultipleChoiceField(
        label=_("Допустимый уровень образования"),
        choices=EducationLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Ничего не отмечено — без ограничения по образованию"),
    )

    class Meta:
        model = Season
        fields = "__all__"  # noqa: DJ007 — the admin's fieldsets choose the fields


class RoadmapModuleAdminForm(forms.ModelForm):
    learning_formats = LinesField(
        label=_("Форматы обучения на выбор"), required=False, help_text=_("По одному на строку")
    )

    class Meta:
        model = RoadmapModule
        fields = "__all__"  # noqa: DJ007 — the admin's fieldsets choose the fields
