"""Forms of the communities' pages: validation only; the views hand cleaned_data to the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from core.uploads import UploadRefusalFormMixin

from .community_files import COMMUNITY_FILE_ACCEPT, COMMUNITY_FILE_HELP, validate_community_file
from .models import Community, Practice


class PracticeForm(UploadRefusalFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Вид"), choices=Practice.Kind.choices, initial=Practice.Kind.PRACTICE)
    title = forms.CharField(label=_("Название"), max_length=300)
    description = forms.CharField(label=_("Описание"), widget=forms.Textarea(attrs={"rows": 4}))
    link = forms.URLField(label=_("Ссылка"), max_length=500, required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("Файл"),
        required=False,
        help_text=COMMUNITY_FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": COMMUNITY_FILE_ACCEPT}),
    )

    def clean_file(self):
        f = super().clean_file()
        if f:
            validate_community_file(f)
        return f

    def clean(self):
        cleaned = super().clean()
        if not self.has_error("link") and not self.has_error("file"):
            if not cleaned.get("link") and not cleaned.get("file"):
                self.add_error("link", _("Дайте ссылку на материал или приложите файл."))
        return cleaned


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Оценка"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Комментарий (по желанию)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Причина скрытия"), max_length=500)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Состояние"), choices=Community.Status.choices)


class ReportForm(UploadRefusalFormMixin, forms.Form):
    text = forms.CharField(label=_("Текст отчёта"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    file = forms.FileField(
        label=_("Файл отчёта"),
        required=False,
        help_text=COMMUNITY_FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": COMMUNITY_FILE_ACCEPT}),
    )

    def clean_file(self):
        f = super().clean_file()
        if f:
            validate_community_file(f)
        return f


class MeetingForm(BoundedDatesMixin, forms.Form):
    title = forms.CharField(label=_("Тема встречи"), max_length=300, required=False)
    starts_at = forms.DateTimeField(
        label=_("Начало"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("Окончание"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Место или ссылка"), max_length=500, required=False)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Окончание должно быть позже начала."))
        return cleaned
