"""Forms of the participants' pages; validation only."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import SchoolApplication


class EmailAuthenticationForm(AuthenticationForm):
    """Login by e-mail: the user model looks the address up case-insensitively."""

    username = forms.EmailField(
        label=_("Электронная почта"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email", "inputmode": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Неверная электронная почта или пароль. Пароль вводится с учётом регистра."),
        "inactive": _("Эта учётная запись отключена."),
    }


class SchoolApplicationForm(forms.Form):
    """A school's application to the Methodical Subscription; the rules are checked by the service."""

    grounds = forms.MultipleChoiceField(
        label=_("Основания для включения школы в проект"),
        choices=SchoolApplication.Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Отметьте хотя бы одно основание для включения школы в проект.")},
        help_text=_("Критерии отбора школ в «Методический абонемент»; можно отметить несколько."),
    )
    details = forms.CharField(
        label=_("Обоснование"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Результаты ВПР, выявленные предметные и методические дефициты педагогов."),
    )
    teachers_planned = forms.IntegerField(
        label=_("Сколько педагогов школы планируют участвовать"),
        required=False,
        min_value=1,
        max_value=1000,
        error_messages={
            "min_value": _("Укажите, сколько педагогов школы будут участвовать, — не меньше одного."),
            "max_value": _("Слишком большое число педагогов: проверьте значение."),
            "invalid": _("Введите целое число."),
        },
    )
