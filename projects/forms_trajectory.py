"""Forms of «Траектория развития»: validation only; the views hand cleaned_data to projects.services_trajectory."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Organisation

from .models import Practice
from .models.trajectory import MAX_PAIRS, MENTORING_FORMS
from .selectors_trajectory import HalfYear


def half_choices(halves: list[HalfYear]) -> list[tuple[str, str]]:
    return [(f"{h.year}-{h.half}", str(h)) for h in reversed(halves)]


def parse_half(text: str, halves: list[HalfYear]) -> HalfYear | None:
    """«2025-2» → HalfYear(2025, 2) when it is one of `halves`; anything else is None."""
    year, _sep, half = (text or "").partition("-")
    if not (year.isdecimal() and len(year) == 4 and half in ("1", "2")):
        return None
    found = HalfYear(int(year), int(half))
    return found if found in halves else None


class PracticeActionForm(forms.Form):
    ACTIONS = (("review", _("Рассмотреть")), ("recommend", _("Рекомендовать")), ("return", _("Вернуть")))

    action = forms.ChoiceField(label=_("Действие"), choices=ACTIONS)
    conclusion = forms.CharField(
        label=_("Заключение методиста"), required=False, max_length=5000, widget=forms.Textarea({"rows": 2})
    )
    reason = forms.CharField(
        label=_("Причина возврата"), required=False, max_length=5000, widget=forms.Textarea({"rows": 2})
    )


class ResubmitForm(forms.Form):
    description = forms.CharField(label=_("Описание практики"), max_length=20000, widget=forms.Textarea({"rows": 4}))


class BankFilterForm(forms.Form):
    review = forms.ChoiceField(
        label=_("Состояние"), required=False, choices=[("", _("Все"))] + list(Practice.Review.choices)
    )
    organisation = forms.ModelChoiceField(
        label=_("Школа"), required=False, queryset=Organisation.objects.none(), empty_label=_("Все")
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = schools


class MentoringFormsForm(forms.Form):
    """Pairs per form of mentoring (Распоряжение Минпросвещения России от 25.12.2019 № Р-145)."""

    organisation = forms.ModelChoiceField(label=_("Школа"), queryset=Organisation.objects.none())
    half = forms.ChoiceField(label=_("Полугодие"))
    note = forms.CharField(
        label=_("Комментарий школы"), required=False, max_length=5000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, schools, halves: list[HalfYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.halves = halves
        self.fields["organisation"].queryset = schools
        self.fields["half"].choices = half_choices(halves)
        for field, label in MENTORING_FORMS:
            self.fields[field] = forms.IntegerField(
                label=_("Пар формы «%(form)s»") % {"form": label}, min_value=0, max_value=MAX_PAIRS, initial=0
            )

    @property
    def form_fields(self):
        return [self[field] for field, _label in MENTORING_FORMS]

    def clean_half(self):
        half = parse_half(self.cleaned_data["half"], self.halves)
        if half is None:
            raise forms.ValidationError(_("Выберите полугодие из списка."))
        return half

    def counts(self) -> dict[str, int]:
        return {field: self.cleaned_data[field] for field, _label in MENTORING_FORMS}
