"""The reserve's forms: validation only; the views hand `cleaned_data` to projects.services_reserve."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from participants.models import Person
from programs.models import Organisation

from .models.reserve import (
    ReserveMember,
    ReserveReviewEntry,
    ReserveSource,
    ReserveStatus,
    TrajectoryItem,
    TrajectoryKind,
    YoungDirectorParticipation,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_ERRORS = {"required": _("Укажите дату."), "invalid": _("Введите дату в формате ДД.ММ.ГГГГ.")}
YEAR_ERRORS = {
    "required": _("Укажите год."),
    "invalid": _("Введите год числом."),
    "min_value": _("Укажите год между 1900 и 2100."),
    "max_value": _("Укажите год между 1900 и 2100."),
}


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DATE_WIDGET, input_formats=DATE_FORMATS, error_messages=DATE_ERRORS, **kwargs
    )


def _year() -> forms.IntegerField:
    return forms.IntegerField(label=_("Год"), min_value=1900, max_value=2100, error_messages=YEAR_ERRORS)


class ReserveFilterForm(forms.Form):
    q = forms.CharField(label=_("Фамилия или имя"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Статус"), required=False, choices=[("", _("Все"))] + ReserveStatus.choices)
    source = forms.ChoiceField(label=_("Источник"), required=False, choices=[("", _("Все"))] + ReserveSource.choices)
    organisation = forms.ModelChoiceField(
        label=_("Организация"), required=False, queryset=Organisation.objects.none(), empty_label=_("Все")
    )
    missing_analysis = forms.BooleanField(label=_("Без анализа за прошлый год"), required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(municipality=municipality)


class ReserveMemberForm(BoundedDatesMixin, forms.Form):
    person = forms.ModelChoiceField(
        label=_("Человек"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Выберите человека."), "invalid_choice": _("Выберите человека из списка.")},
    )
    status = forms.ChoiceField(
        label=_("Вносится как"),
        choices=[(ReserveStatus.CANDIDATE, _("Кандидат")), (ReserveStatus.IN_RESERVE, _("Член резерва"))],
        initial=ReserveStatus.CANDIDATE,
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(
        label=_("Источник"), choices=ReserveSource.choices, error_messages={"required": _("Выберите источник.")}
    )
    listed_on = _date(_("Дата"))
    decision = forms.CharField(
        label=_("Решение о включении"),
        required=False,
        max_length=300,
        help_text=_("Для члена резерва: распоряжение администрации района, его дата и номер."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Образовательная организация"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Если не выбрать, берётся место работы человека."),
    )
    position = forms.CharField(label=_("Должность"), required=False, max_length=200)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            organisation__municipality=municipality, is_anonymised=False
        ).select_related("organisation")
        self.fields["person"].label_from_instance = lambda p: f"{p.full_name} ({p.organisation})"
        self.fields["organisation"].queryset = Organisation.objects.filter(municipality=municipality)


class ReserveStatusForm(BoundedDatesMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("Новый статус"), choices=ReserveStatus.choices)
    on = _date(_("С какой даты"))
    decision = forms.CharField(label=_("Решение"), required=False, max_length=300)
    reason = forms.CharField(
        label=_("Основание"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TrajectoryItemForm(BoundedDatesMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Форма"), choices=TrajectoryKind.choices)
    title = forms.CharField(
        label=_("Что предстоит сделать"),
        max_length=300,
        error_messages={"required": _("Опишите, что предстоит сделать.")},
    )
    due_on = _date(_("Срок"))
    state = forms.ChoiceField(
        label=_("Состояние"), choices=TrajectoryItem.State.choices, initial=TrajectoryItem.State.PLANNED
    )


class TrajectoryReportForm(forms.Form):
    report = forms.CharField(
        label=_("Отчёт о выполнении"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Напишите, что сделано.")},
    )


class ReserveAnalysisForm(BoundedDatesMixin, forms.Form):
    year = _year()
    consulted_on = _date(_("Дата консультации"))
    analysis = forms.CharField(
        label=_("Анализ отчётов о реализации индивидуального плана"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Напишите анализ отчётов члена резерва.")},
    )


class ReserveDiagnosticForm(BoundedDatesMixin, forms.Form):
    year = _year()
    held_on = _date(_("Дата диагностики"))
    strengths = forms.CharField(
        label=_("Преимущества"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Опишите выявленные преимущества.")},
    )
    deficits = forms.CharField(
        label=_("Дефициты"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Опишите выявленные дефициты.")},
    )


class YoungDirectorForm(forms.Form):
    year = _year()
    state = forms.ChoiceField(label=_("Состояние"), choices=YoungDirectorParticipation.State.choices)
    note = forms.CharField(label=_("Примечание"), required=False, max_length=300)


REVIEW_SKIP = ""
REVIEW_CHOICES = [(REVIEW_SKIP, _("не рассматривается")), *ReserveReviewEntry.Outcome.choices]


class ReserveReviewForm(BoundedDatesMixin, forms.Form):
    """The yearly update (2.8): the decision, then a choice and a reason for each current member."""

    held_on = _date(_("Дата решения"))
    decision = forms.CharField(
        label=_("Решение"),
        max_length=300,
        help_text=_("Распоряжение администрации района об обновлении состава резерва, его дата и номер."),
        error_messages={"required": _("Укажите решение об обновлении состава резерва.")},
    )
    notes = forms.CharField(
        label=_("Примечание"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, members: list[ReserveMember], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for m in members:
            self.fields[f"outcome_{m.pk}"] = forms.ChoiceField(
                label=m.person.full_name, required=False, choices=REVIEW_CHOICES
            )
            self.fields[f"reason_{m.pk}"] = forms.CharField(
                label=_("Основание исключения"), required=False, max_length=2000
            )

    def rows(self):
        return [(m, self[f"outcome_{m.pk}"], self[f"reason_{m.pk}"]) for m in self.members]

    def decisions(self) -> tuple[list, list, dict]:
        kept, added, removed = [], [], {}
        for m in self.members:
            outcome = self.cleaned_data.get(f"outcome_{m.pk}")
            if outcome == ReserveReviewEntry.Outcome.KEPT:
                kept.append(m)
            elif outcome == ReserveReviewEntry.Outcome.ADDED:
                added.append(m)
            elif outcome == ReserveReviewEntry.Outcome.REMOVED:
                removed[m] = self.cleaned_data.get(f"reason_{m.pk}", "")
        return kept, added, removed
