"""Forms of the teacher's pages of the bank of requests; validation only."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from participants.models import Enrollment, SubscriptionForm
from programs.forms import ModelMultipleChoiceField
from programs.models import Season, Subject

from .models import Consultation, ExpertGroup, IndividualRequest, MeetingForm, VisitMode


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


# === Groups, lesson visits and consultations (issue 4, items 3, 4, 7) =====================================


class LessonVisitForm(BoundedDatesMixin, forms.Form):
    visited_on = forms.DateField(
        label=_("Дата посещения"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Укажите дату посещения."), "invalid": _("Введите дату в формате ДД.ММ.ГГГГ.")},
    )
    mode = forms.ChoiceField(
        label=_("Как посещён урок"),
        choices=VisitMode.choices,
        initial=VisitMode.IN_PERSON,
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите, как посещён урок: очно или по записи.")},
    )
    lesson = forms.CharField(
        label=_("Тема урока"), max_length=300, error_messages={"required": _("Укажите тему урока.")}
    )
    grade = forms.CharField(label=_("Класс"), max_length=32, required=False, help_text=_("Например: 7 «Б»."))
    subject = forms.ModelChoiceField(
        label=_("Предмет"), queryset=Subject.objects.order_by("name"), required=False, empty_label=_("— не указан —")
    )
    notes = forms.CharField(
        label=_("Заметки"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Для экспертной команды: участник заметки не видит."),
    )
    recommendations = forms.CharField(
        label=_("Рекомендации"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Участник увидит рекомендации в личном кабинете."),
    )


class ConsultationForm(BoundedDatesMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Вид консультации"),
        choices=Consultation.Kind.choices,
        initial=Consultation.Kind.INDIVIDUAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите вид консультации.")},
    )
    held_at = forms.DateTimeField(
        label=_("Когда состоялась"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Укажите дату и время консультации."),
            "invalid": _("Введите дату и время в формате ДД.ММ.ГГГГ ЧЧ:ММ."),
        },
    )
    topic = forms.CharField(
        label=_("Тема"), max_length=300, error_messages={"required": _("Укажите тему консультации.")}
    )
    participants = ModelMultipleChoiceField(
        label=_("Участники"),
        queryset=Enrollment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Выберите участников консультации.")},
    )
    content = forms.CharField(label=_("Содержание"), required=False, max_length=10000, widget=forms.Textarea)

    def __init__(self, *args, participants, tz, confidential: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.fields["participants"].queryset = participants
        self.fields["participants"].label_from_instance = lambda e: e.person.full_name
        self.fields["held_at"].help_text = _("Время сезона (%(tz)s).") % {"tz": tz.key}
        if confidential:
            self.fields["content"].help_text = _(
                "Консультация педагога-психолога конфиденциальна: содержание увидите только вы."
            )

    def clean_held_at(self):
        # The typed wall-clock time is the season's, whatever the server's zone.
        value = self.cleaned_data["held_at"]
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=self.tz)


class GroupsSplitForm(forms.Form):
    season = forms.ModelChoiceField(
        label=_("Сезон"), queryset=Season.objects.none(), error_messages={"required": _("Выберите сезон.")}
    )
    by = forms.ChoiceField(
        label=_("Как делить"),
        choices=[("size", _("По размеру группы")), ("count", _("По количеству групп"))],
        initial="size",
        widget=forms.RadioSelect,
    )
    number = forms.IntegerField(
        label=_("Размер группы или количество групп"),
        min_value=1,
        max_value=500,
        initial=15,
        error_messages={
            "required": _("Укажите число."),
            "min_value": _("Число должно быть не меньше 1."),
            "max_value": _("Число должно быть не больше 500."),
        },
    )

    def __init__(self, *args, seasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season"].queryset = seasons


class GroupMoveForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Перевести в группу"),
        queryset=ExpertGroup.objects.none(),
        error_messages={"required": _("Выберите группу.")},
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda g: f"{g.name} — {g.season}"


# --- The tutor's bank of requests (/expert/requests/) ------------------------------------------------------


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


class MentoringMeetingForm(BoundedDatesMixin, forms.Form):
    """A mentor's meeting with the mentee (Pedkluster 27, the mentoring model)."""

    held_on = forms.DateField(
        label=_("Дата встречи"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Укажите дату встречи."), "invalid": _("Введите дату в формате ДД.ММ.ГГГГ.")},
    )
    form = forms.ChoiceField(
        label=_("Форма"),
        choices=MeetingForm.choices,
        initial=MeetingForm.IN_PERSON,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Выберите форму встречи."),
            "invalid_choice": _("Выберите форму встречи из списка."),
        },
    )
    topic = forms.CharField(
        label=_("Тема"),
        max_length=300,
        help_text=_("Например: «Разбор урока по формирующему оцениванию»."),
        error_messages={"required": _("Укажите тему встречи.")},
    )
    notes = forms.CharField(
        label=_("Заметки"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Договорённости, следующие шаги."),
    )
