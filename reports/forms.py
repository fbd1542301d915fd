"""Forms of the reports admin: validation only; the admin views hand cleaned_data to reports.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.admin_mixins import admin_scope, in_municipality
from programs.models import Municipality

from .models import KpiSnapshot


def _scoped_municipalities(user):
    # A staff account bound to no municipality is offered none (never every one).
    return in_municipality(Municipality.objects.order_by("name"), "", admin_scope(user))


class PeriodSnapshotForm(forms.Form):
    """What a half-year monitoring snapshot covers; a coordinator can choose only their municipality."""

    municipality = forms.ModelChoiceField(
        label=_("Муниципалитет"),
        queryset=Municipality.objects.none(),
        error_messages={"required": _("Выберите муниципалитет."), "invalid_choice": _("Выберите муниципалитет.")},
    )
    year = forms.IntegerField(
        label=_("Год"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Укажите год."),
            "invalid": _("Год — четыре цифры, например 2025."),
            "min_value": _("Год — четыре цифры, например 2025."),
            "max_value": _("Год — четыре цифры, например 2025."),
        },
    )
    half = forms.TypedChoiceField(
        label=_("Полугодие"),
        choices=[(1, _("1-е полугодие (январь — июнь)")), (2, _("2-е полугодие (июль — декабрь)"))],
        coerce=int,
        error_messages={"required": _("Выберите полугодие."), "invalid_choice": _("Выберите полугодие.")},
    )
    period_label = forms.CharField(
        label=_("Название периода"),
        max_length=64,
        required=False,
        help_text=_("Например, «1-е полугодие 2025». Если оставить пустым, название составится само."),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {})
        today = timezone.localdate()
        kwargs["initial"].setdefault("year", today.year)
        kwargs["initial"].setdefault("half", 1 if today.month <= 6 else 2)
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = _scoped_municipalities(user)
        if getattr(user, "municipality_id", None) and not user.is_superuser:
            self.fields["municipality"].initial = user.municipality_id


class SnapshotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.period or obj.get_kind_display()} — {obj.municipality} ({obj.taken_on:%d.%m.%Y})"


class SnapshotCompareForm(forms.Form):
    """Two period snapshots to set side by side (only those the user may see)."""

    a = SnapshotChoiceField(
        label=_("Первый срез"),
        queryset=KpiSnapshot.objects.none(),
        error_messages={"required": _("Выберите первый срез."), "invalid_choice": _("Выберите первый срез.")},
    )
    b = SnapshotChoiceField(
        label=_("Второй срез"),
        queryset=KpiSnapshot.objects.none(),
        error_messages={"required": _("Выберите второй срез."), "invalid_choice": _("Выберите второй срез.")},
    )

    def __init__(self, *args, snapshots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = snapshots
        self.fields["b"].queryset = snapshots

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("b") and data["a"].pk == data["b"].pk:
            self.add_error("b", _("Выберите два разных среза."))
        return data
