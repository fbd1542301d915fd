"""The teacher's achievement form and the expert's decision: validation only; views hand data to services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin

from .achievement_files import PROOF_ACCEPT, PROOF_FORMATS_HELP, validate_proof_file
from .models import Achievement
from .services import achievement_proof_url_check


class EnrollmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.season.program.title} · {obj.season.title}"


class AchievementForm(BoundedDatesMixin, forms.Form):
    enrollment = EnrollmentChoiceField(label=_("Программа"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("Название"),
        max_length=300,
        help_text=_("Например: «Учитель года — 2025», статья «Дроби на практике» в журнале «Математика в школе»"),
    )
    kind = forms.ChoiceField(label=_("Вид"), choices=[("", _("— выберите —")), *Achievement.Kind.choices])
    level = forms.ChoiceField(label=_("Уровень"), choices=[("", _("— выберите —")), *Achievement.Level.choices])
    result = forms.CharField(
        label=_("Результат"), max_length=200, required=False, help_text=_("Например: победитель, призёр, участник")
    )
    happened_on = forms.DateField(
        label=_("Дата"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Не позже сегодняшнего дня и окончания сезона"),
    )
    proof_url = forms.CharField(
        label=_("Ссылка на подтверждение"),
        max_length=1000,
        required=False,
        help_text=_("Страница с результатами, публикация, программа конференции (адрес http:// или https://)"),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
    )
    proof_file = forms.FileField(
        label=_("Или файл подтверждения"),
        required=False,
        help_text=PROOF_FORMATS_HELP,
        widget=forms.FileInput(attrs={"accept": PROOF_ACCEPT}),
    )

    def __init__(self, *args, enrollments, upload_error: str | None = None, has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_error = upload_error
        self.has_file = has_file
        self.fields["enrollment"].queryset = enrollments
        if has_file:
            self.fields["proof_file"].label = _("Заменить файл подтверждения")
            self.fields["remove_file"] = forms.BooleanField(label=_("Удалить загруженный файл"), required=False)

    def clean_proof_url(self):
        value = self.cleaned_data["proof_url"]
        try:
            return achievement_proof_url_check(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["proof_url"]) from None

    def clean_proof_file(self):
        if self.upload_error:
            raise ValidationError(self.upload_error, code="too_large")
        f = self.cleaned_data.get("proof_file")
        if f:
            validate_proof_file(f)
        return f

    def clean(self):
        cleaned = super().clean()
        if self.has_error("proof_url") or self.has_error("proof_file"):
            return cleaned
        keeps_file = self.has_file and not cleaned.get("remove_file")
        if not cleaned.get("proof_url") and not cleaned.get("proof_file") and not keeps_file:
            self.add_error("proof_url", _("Добавьте ссылку на подтверждение или загрузите файл."))
        return cleaned


class RejectionForm(forms.Form):
    """The admin's intermediate page of a bulk rejection: the teacher reads this comment."""

    comment = forms.CharField(
        label=_("Причина отклонения"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Укажите причину отклонения: участник увидит её в кабинете.")},
    )
