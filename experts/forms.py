"""Forms of the teacher's pages of the bank of requests; validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import SubscriptionForm
from programs.models import Subject


class IndividualRequestForm(forms.Form):
    deficit = forms.CharField(
        label=_("Профессиональный дефицит"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Что получается хуже всего или вызывает затруднения: предметные или методические дефициты."),
        error_messages={"required": _("Опишите профессиональный дефицит, с которым нужна помощь.")},
    )
    subject = forms.ModelChoiceField(
        label=_("Предмет"),
        queryset=Subject.objects.order_by("name"),
        required=False,
        empty_label=_("— не относится к предмету —"),
    )
    topic = forms.CharField(
        label=_("Тема"),
        max_length=300,
        help_text=_("Например: «Формирующее оценивание на уроках математики»."),
        error_messages={"required": _("Укажите тему запроса.")},
    )
    preferred_form = forms.ChoiceField(
        label=_("Желаемая форма"),
        choices=SubscriptionForm.choices,
        widget=forms.RadioSelect,
        help_text=_("Формы реализации Методического абонемента."),
        error_messages={"required": _("Выберите одну из форм Методического абонемента.")},
    )
    comment = forms.CharField(
        label=_("Комментарий"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Удобное время, класс, с которым работаете, — всё, что поможет тьютору."),
    )


# --- The tutor's bank of requests (/expert/requests/) ------------------------------------------------------

from .models import IndividualRequest  # noqa: E402


class TutorRequestFilterForm(forms.Form):
    """Filters of the tutor's bank of requests; an unknown value is simply ignored."""

    status = forms.ChoiceField(
        label=_("Статус"), required=False, choices=[("", _("Все статусы")), *IndividualRequest.Status.choices]
    )
    form = forms.ChoiceField(
        label=_("Форма"), required=False, choices=[("", _("Все формы")), *SubscriptionForm.choices]
    )


class TutorRequestStatusForm(forms.Form):
    """The tutor moves their own request: the route is being carried out, or the request is done."""

    to_status = forms.ChoiceField(
        label=_("Новый статус"),
        choices=[
            (IndividualRequest.Status.IN_WORK, IndividualRequest.Status.IN_WORK.label),
            (IndividualRequest.Status.DONE, IndividualRequest.Status.DONE.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите новый статус.")},
    )
    reason = forms.CharField(
        label=_("Пояснение для педагога"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Педагог увидит его в личном кабинете. Чтобы возобновить выполненный запрос, оно обязательно."),
    )
