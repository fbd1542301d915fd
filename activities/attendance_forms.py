"""Forms of the attendance page (a mark per participant, the import of a meeting's export) and of the
teacher's check-in by code. They validate only; the views hand cleaned data to activities.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadRefusalFormMixin

from .models import Attendance
from .selectors_attendance import AttendanceRow

# Short labels for a phone's width; the full ones are the model's.
STATUS_CHOICES = [
    (Attendance.Status.PRESENT.value, _("Присутствует")),
    (Attendance.Status.LATE.value, _("Опоздал")),
    (Attendance.Status.EXCUSED.value, _("Уважительная причина")),
    (Attendance.Status.ABSENT.value, _("Отсутствует")),
]


class AttendanceMarksForm(forms.Form):
    """A status (and a reason) per expected participant; a participant left without a status stays unmarked."""

    def __init__(self, *args, rows: list[AttendanceRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.enrollment.pk
            mark = row.mark
            self.fields[f"status_{pk}"] = forms.ChoiceField(
                label=row.person.full_name,
                choices=STATUS_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=mark.status if mark else None,
            )
            self.fields[f"reason_{pk}"] = forms.CharField(
                label=_("Причина"),
                max_length=300,
                required=False,
                initial=mark.reason if mark else "",
            )

    def entries(self):
        """(row, status field, reason field) for the template, in the rows' order."""
        return [(row, self[f"status_{row.enrollment.pk}"], self[f"reason_{row.enrollment.pk}"]) for row in self.rows]

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            pk = row.enrollment.pk
            if cleaned.get(f"status_{pk}") == Attendance.Status.EXCUSED and not cleaned.get(f"reason_{pk}", "").strip():
                self.add_error(f"reason_{pk}", _("Укажите уважительную причину отсутствия."))
        return cleaned

    def marks(self) -> dict[int, tuple[str, str]]:
        """{enrollment id: (status, reason)} for the participants given a status."""
        data = self.cleaned_data
        return {
            row.enrollment.pk: (data[f"status_{row.enrollment.pk}"], data.get(f"reason_{row.enrollment.pk}", ""))
            for row in self.rows
            if data.get(f"status_{row.enrollment.pk}")
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's refusals are keyed by enrollment id: show each at that participant's reason field."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            name = f"reason_{key}"
            self.add_error(name if name in self.fields else None, errors)


class AttendanceImportForm(UploadRefusalFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Отчёт об участниках (CSV)"),
        help_text=_(
            "Выгрузка участников встречи из Zoom, Яндекс Телемоста или Сферума (VK Звонков) в формате CSV. "
            "Участники сопоставляются по электронной почте, затем по фамилии и имени."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    overwrite = forms.BooleanField(
        label=_("Заменить отметки, поставленные вручную"),
        required=False,
        help_text=_("Без этой галочки отметки координатора и самоотметки участников остаются как есть."),
    )


class CheckinForm(forms.Form):
    code = forms.CharField(
        label=_("Код с занятия"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "size": 8}
        ),
        error_messages={"required": _("Введите код, который показывает ведущий занятия.")},
    )
