"""Forms of the teacher's video-lesson page: validation only; the view hands cleaned_data to the service."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.models import Subject

from .certificates import NUMBER_INPUT_MAX_LENGTH, certificate_number_candidates
from .video_files import ACCEPTED_FORMATS_HELP, format_size_limit, validate_video_file, video_max_bytes
from .video_links import ACCEPTED_HOSTS_HELP, MAX_LENGTH, parse_video_link

VIDEO_ACCEPT = "video/mp4,video/webm,video/quicktime,.mp4,.webm,.mov"


class SubmissionForm(forms.Form):
    video_url = forms.CharField(
        label=_("Ссылка на видео"),
        required=False,
        max_length=MAX_LENGTH,
        help_text=ACCEPTED_HOSTS_HELP,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
    )
    video_file = forms.FileField(
        label=_("Или видеофайл"),
        required=False,
        widget=forms.FileInput(attrs={"accept": VIDEO_ACCEPT}),
    )
    # A file sent beforehand in pieces (activities/views_resumable.py) instead of with the form.
    upload = forms.UUIDField(required=False, widget=forms.HiddenInput)
    topic = forms.CharField(label=_("Тема урока"), max_length=300)
    grade = forms.CharField(label=_("Класс (группа)"), max_length=32, help_text=_("Например, 6 «Б» или старшая группа"))
    subject = forms.ModelChoiceField(
        label=_("Предмет"), queryset=Subject.objects.order_by("name"), required=False, empty_label=_("— выберите —")
    )
    learning_format = forms.CharField(label=_("Формат обучения"), max_length=200, required=False)
    reflection = forms.CharField(
        label=_("Самоанализ урока"),
        max_length=3000,
        help_text=_("Коротко: что получилось, что бы вы изменили (до 3000 знаков)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, learning_formats=(), max_bytes: int, upload_error: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.upload_error = upload_error
        self.fields["video_file"].help_text = _("%(formats)s Не больше %(limit)s.") % {
            "formats": ACCEPTED_FORMATS_HELP,
            "limit": format_size_limit(max_bytes),
        }
        if learning_formats:
            self.fields["learning_format"] = forms.ChoiceField(
                label=_("Формат обучения"),
                choices=[("", _("— выберите —")), *((f, f) for f in learning_formats)],
                help_text=_("Из списка форматов дорожной карты"),
            )

    def clean_video_url(self):
        value = self.cleaned_data["video_url"]
        if value.strip():
            parse_video_link(value)  # its ValidationError lists the accepted hosts
        return value.strip()

    def clean_video_file(self):
        if self.upload_error:
            raise ValidationError(self.upload_error, code="too_large")
        f = self.cleaned_data.get("video_file")
        if f:
            validate_video_file(f, max_bytes=self.max_bytes)
        return f

    def clean(self):
        cleaned = super().clean()
        has_link = bool(cleaned.get("video_url"))
        has_file = bool(cleaned.get("video_file"))
        if self.has_error("video_url") or self.has_error("video_file"):
            return cleaned
        if has_link and has_file:
            self.add_error("video_url", _("Укажите что-то одно: ссылку на видео или файл."))
        elif not has_link and not has_file:
            self.add_error("video_url", _("Вставьте ссылку на видео или выберите видеофайл."))
        return cleaned


def season_max_bytes(season) -> int:
    return video_max_bytes(season)


class ExtensionRequestForm(forms.Form):
    """The teacher's message to the coordinator asking for a personal extension of a video lesson's cut-off."""

    message = forms.CharField(
        label=_("Сообщение координатору"),
        max_length=2000,
        help_text=_("Почему вам нужно продление и к какому сроку вы сможете сдать видеоурок (до 2000 знаков)."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Напишите координатору, почему вам нужно продление."),
            "max_length": _("Сообщение длиннее 2000 знаков: сократите его."),
        },
    )


class CertificateNumberForm(forms.Form):
    """The printed number of a certificate, for the public check on /verify/ (validation only)."""

    number = forms.CharField(
        label=_("Номер сертификата"),
        max_length=NUMBER_INPUT_MAX_LENGTH,
        help_text=_("Как напечатан на сертификате, например ПП-2026-000001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}),
    )

    def clean_number(self) -> list[str]:
        candidates = certificate_number_candidates(self.cleaned_data["number"])
        if not candidates:
            raise ValidationError(
                _("Номер сертификата состоит из кода программы, года и порядкового номера: например, ПП-2026-000001."),
                code="shape",
            )
        return candidates
