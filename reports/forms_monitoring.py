"""Forms of the half-year monitoring pages (seed 002, п. 7.5): validation only; the views hand cleaned_data to
reports.monitoring."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from programs.models import Organisation

from .models import KpiSnapshot

FOREIGN_ORGANISATION = _("Выберите организацию своего муниципалитета.")


class MonitoringAnalysisForm(forms.Form):
    analysis = forms.CharField(
        label=_("Анализ результатов мониторинга"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Что показали значения показателей за полугодие, причины отклонений от целей."),
        error_messages={"max_length": _("Анализ не длиннее %(limit_value)d знаков (сейчас %(show_value)d).")},
    )


class MonitoringRecommendationForm(BoundedDatesMixin, forms.Form):
    """A targeted recommendation: to an organisation of the snapshot's municipality and/or a group of teachers or
    experts. The organisations offered are the municipality's only: another one's id is refused."""

    organisation = forms.ModelChoiceField(
        label=_("Организация"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— не выбрана —"),
        error_messages={"invalid_choice": FOREIGN_ORGANISATION},
    )
    addressee_group = forms.CharField(
        label=_("Группа педагогов или экспертов"),
        max_length=300,
        required=False,
        help_text=_("Например, молодые педагоги (до 35 лет) или методисты-предметники."),
        error_messages={"max_length": _("Не длиннее %(limit_value)d знаков.")},
    )
    text = forms.CharField(
        label=_("Рекомендация"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Напишите, что рекомендуется сделать."),
            "max_length": _("Не длиннее %(limit_value)d знаков."),
        },
    )
    due_on = forms.DateField(
        label=_("Срок"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Укажите срок."), "invalid": _("Укажите срок датой, например 31.12.2025.")},
    )
    responsible = forms.CharField(
        label=_("Ответственный"),
        max_length=300,
        error_messages={
            "required": _("Укажите ответственного."),
            "max_length": _("Не длиннее %(limit_value)d знаков."),
        },
    )

    def __init__(self, *args, snapshot: KpiSnapshot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            municipality_id=snapshot.municipality_id, is_active=True
        ).order_by("sort_key", "pk")

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not (data.get("addressee_group") or "").strip():
            if "organisation" not in self.errors:
                self.add_error(
                    "addressee_group",
                    _("Укажите, кому адресована рекомендация: организацию или группу педагогов."),
                )
        return data


class MonitoringCompareForm(forms.Form):
    """The half-year to set beside the chosen one: one of the same municipality's snapshots."""

    other = forms.ModelChoiceField(
        label=_("Сравнить с"),
        queryset=KpiSnapshot.objects.none(),
        error_messages={
            "required": _("Выберите срез для сравнения."),
            "invalid_choice": _("Выберите срез этого же муниципалитета."),
        },
    )

    def __init__(self, *args, snapshot: KpiSnapshot, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        field.queryset = (
            KpiSnapshot.objects.filter(kind=KpiSnapshot.Kind.PERIOD, municipality_id=snapshot.municipality_id)
            .exclude(pk=snapshot.pk)
            .order_by("-taken_on", "-pk")
        )
        field.label_from_instance = lambda s: f"{s.period} ({s.taken_on:%d.%m.%Y})"
