"""Forms of «Школа – Школе»: validation only; the views hand cleaned_data to projects.services_school_pairs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from core.uploads import UploadRefusalFormMixin
from programs.models import Organisation, Season

from .models.school_pairs import PairPlanItem, PartnerRole, PlanItemKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchoolPairForm(BoundedDatesMixin, forms.Form):
    season = forms.ModelChoiceField(label=_("Сезон"), queryset=Season.objects.none())
    leader = forms.ModelChoiceField(label=_("Школа-лидер (наставник, мастер)"), queryset=Organisation.objects.none())
    leader_role = forms.ChoiceField(label=_("Роль ведущей школы"), choices=PartnerRole.choices)
    partner = forms.ModelChoiceField(
        label=_("Школа ШНОР"),
        queryset=Organisation.objects.none(),
        help_text=_("Школа, демонстрирующая низкие результаты обучения (отмечена в справочнике организаций)."),
    )
    starts_on = forms.DateField(label=_("Пара работает с"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("по"), required=False, widget=DATE_WIDGET, help_text=_("Пусто — пара работает."))
    note = forms.CharField(label=_("Примечание"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, seasons, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season"].queryset = seasons
        # The current mark: the latest year's «Сведения организаций за год» (programs.models.low_results_exists).
        self.fields["leader"].queryset = schools.with_low_results().filter(low_results=False)
        self.fields["partner"].queryset = schools.with_low_results().filter(low_results=True)


class PlanItemForm(BoundedDatesMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Форма"), choices=PlanItemKind.choices)
    title = forms.CharField(label=_("Тема"), max_length=300)
    planned_on = forms.DateField(label=_("Дата"), widget=DATE_WIDGET)


class PlanItemHoldForm(BoundedDatesMixin, forms.Form):
    item = forms.ModelChoiceField(label=_("Мероприятие плана"), queryset=PairPlanItem.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Начало"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("Окончание"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Место или ссылка"), max_length=500, required=False)

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = pair.plan_items.filter(session__isnull=True).order_by("planned_on", "pk")

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Занятие должно закончиться позже, чем началось."))
        return cleaned


class ResultsImportForm(UploadRefusalFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Файл с результатами ВПР, ОГЭ, ЕГЭ"),
        help_text=_("XLSX или CSV (UTF-8 или Windows-1251, разделитель «,» или «;»), не больше 5 МБ и 20 000 строк."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
