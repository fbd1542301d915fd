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


# --- Quarterly feedback, withdrawal, my data -----------------------------------------------------------


def feedback_field_name(question) -> str:
    return f"q_{question.pk}"


class FeedbackForm(forms.Form):
    """The season's active questions, one field each; the service checks the same rules again."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import FeedbackQuestion

        self.questions = list(questions)
        for question in self.questions:
            common = {"label": question.text, "required": question.is_required, "help_text": question.help_text}
            if question.kind == FeedbackQuestion.Kind.SCALE:
                field = forms.TypedChoiceField(
                    choices=[(v, str(v)) for v in range(1, 6)],
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    error_messages={"required": _("Выберите оценку от 1 до 5.")},
                    **common,
                )
            elif question.kind == FeedbackQuestion.Kind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in question.choices],
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    error_messages={"required": _("Выберите один из вариантов.")},
                    **common,
                )
            else:
                field = forms.CharField(
                    max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                    error_messages={"required": _("Напишите ответ: этот вопрос обязательный.")},
                    **common,
                )
            self.fields[feedback_field_name(question)] = field

    def answers(self) -> dict[int, object]:
        """{question id: value} for the service; unanswered optional questions are left out."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(feedback_field_name(question))
            if value not in (None, ""):
                result[question.pk] = value
        return result


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Почему вы выходите из программы?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("Причину увидит координатор; она сохраняется в истории вашего участия."),
        error_messages={"required": _("Укажите причину выхода из программы.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Укажите причину выхода из программы."))
        return reason


class EraseForm(forms.Form):
    """Erasure is confirmed with the account's password, like any change that cannot be undone."""

    reason = forms.CharField(
        label=_("Комментарий (необязательно)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    password = forms.CharField(
        label=_("Пароль от личного кабинета"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
        error_messages={"required": _("Введите пароль, чтобы подтвердить удаление данных.")},
    )
    confirm = forms.BooleanField(
        label=_("Я понимаю, что данные будут обезличены безвозвратно, а вход в кабинет станет невозможен"),
        error_messages={"required": _("Подтвердите, что понимаете последствия удаления.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Неверный пароль. Пароль вводится с учётом регистра."))
        return password
