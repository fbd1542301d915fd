"""Forms of the communities' pages: validation only; the views hand cleaned_data to the services."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from core.uploads import UploadRefusalFormMixin
from participants.models import Enrollment

from .community_files import COMMUNITY_FILE_ACCEPT, COMMUNITY_FILE_HELP, validate_community_file
from .models import Community, CommunityReport, MotivationScale, Practice


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


class _PersonChoice:
    def label_from_instance(self, obj):
        organisation = obj.person.organisation
        name = obj.person.full_name
        return f"{name} · {organisation.short_name}" if organisation and organisation.short_name else name


class TrainerField(_PersonChoice, forms.ModelChoiceField):
    pass


class TraineesField(_PersonChoice, forms.ModelMultipleChoiceField):
    pass


class CascadeTrainingForm(BoundedDatesMixin, forms.Form):
    """A cascade-training group (сид 001: «каскадного обучения педагогических работников с опорой на актив
    ПРОкомьюнити»): who of the active trains, whom of the season's participants, when."""

    trainer = TrainerField(
        label=_("Кто проводит"),
        queryset=Enrollment.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Занятие проводит лидер или участник актива сообщества.")},
    )
    title = forms.CharField(label=_("Тема занятия"), max_length=300)
    starts_at = forms.DateTimeField(
        label=_("Начало"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("Окончание"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Место или ссылка"), max_length=500, required=False)
    trainees = TraineesField(
        label=_("Кого обучают"),
        queryset=Enrollment.objects.none(),
        help_text=_("Педагоги — участники сезона; выберите нескольких, удерживая Ctrl (⌘ на Mac)."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={
            "required": _("Выберите педагогов, которых обучает группа."),
            "invalid_choice": _("Обучаемые должны быть участниками того же сезона."),
            "invalid_pk_value": _("Обучаемые должны быть участниками того же сезона."),
        },
    )

    def __init__(self, *args, trainers, season, **kwargs):
        # Its own ids: the community page also carries the meeting form, whose fields share these names.
        kwargs.setdefault("auto_id", "training_%s")
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = (
            Enrollment.objects.filter(pk__in=[t.pk for t in trainers])
            .select_related("person__organisation")
            .order_by("person__last_name", "person__first_name", "pk")
        )
        self.fields["trainees"].queryset = (
            Enrollment.objects.filter(season=season, status=Enrollment.Status.ACTIVE)
            .select_related("person__organisation")
            .order_by("person__last_name", "person__first_name", "pk")
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Окончание должно быть позже начала."))
        trainer, trainees = cleaned.get("trainer"), cleaned.get("trainees")
        if trainer and trainees is not None and not [t for t in trainees if t.pk != trainer.pk]:
            self.add_error("trainees", _("Выберите педагогов, которых обучает группа: сам ведущий не в счёт."))
        return cleaned


class AcceleratorModuleField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(title)s — занятий для приглашённых: %(n)s") % {"title": obj.title, "n": obj.invited_sessions}


class AcceleratorInviteForm(forms.Form):
    """«Prof-акселератор» для лидеров (сид 001): the module whose sessions the season's leaders are invited to."""

    module = AcceleratorModuleField(
        label=_("Модуль «Prof-акселератора»"),
        queryset=None,
        empty_label=None,
        help_text=_("Модули сезона, в которых есть занятия для приглашённых."),
        error_messages={
            "required": _("Выберите модуль «Prof-акселератора»."),
            "invalid_choice": _("Выберите модуль этого сезона, в котором есть занятия для приглашённых."),
        },
    )

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules


class MotivationScaleForm(forms.ModelForm):
    """The season's points and thresholds; each field's help text names the portal's default (в сиде чисел нет)."""

    class Meta:
        model = MotivationScale
        fields = [
            "practice_added",
            "rating_given",
            "meeting_attended",
            "group_trained",
            "report_submitted",
            "active_from",
            "elite_from",
        ]

    def clean(self):
        cleaned = super().clean()
        active, elite = cleaned.get("active_from"), cleaned.get("elite_from")
        if active is not None and elite is not None and elite <= active:
            self.add_error("elite_from", _("Порог «педагогической элиты» должен быть выше порога «актива сообщества»."))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The unique season row is written by the service (update_or_create); the level check is in clean().
        return None


class ReportPlanForm(BoundedDatesMixin, forms.Form):
    """A half-year report planned by the coordinator (сид 001, «Определение целей и отчетности»)."""

    year = forms.IntegerField(
        label=_("Год"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "min_value": _("Укажите год от 2000 до 2100."),
            "max_value": _("Укажите год от 2000 до 2100."),
        },
    )
    half = forms.TypedChoiceField(label=_("Полугодие"), coerce=int, choices=CommunityReport.Half.choices)
    due_on = forms.DateField(label=_("Срок сдачи"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "plan_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        year, half, due_on = cleaned.get("year"), cleaned.get("half"), cleaned.get("due_on")
        if year and half and due_on:
            starts = date(year, 1 if half == CommunityReport.Half.FIRST else 7, 1)
            if due_on < starts:
                self.add_error(
                    "due_on",
                    _("Срок сдачи не может быть раньше начала полугодия (%(d)s).") % {"d": starts.strftime("%d.%m.%Y")},
                )
        return cleaned
