"""Admin forms: lists stored as JSON are edited as checkboxes or one item per line, never as raw JSON."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EducationLevel, RoadmapModule, Season


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
