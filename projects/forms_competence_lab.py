"""Forms of the lab of professional competences: validation only; the views hand cleaned_data to
projects.services_competence_lab."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_MAX, DATE_MIN, BoundedDatesMixin
from participants.models import Person

from .models.competence_lab import CompetenceTheme, LabSurveyLine, MentoringFormat, MentorOffer

FOREIGN_THEME = _("Выберите тему с карты своего муниципалитета.")
TEXT_LIMIT = {"max_length": _("Не длиннее %(limit_value)d знаков (сейчас %(show_value)d).")}


def _themes(municipality_id: int):
    return CompetenceTheme.objects.filter(municipality_id=municipality_id, is_active=True).order_by("order", "title")


class _ThemeForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Тема профессиональных компетенций"),
        queryset=CompetenceTheme.objects.none(),
        error_messages={"required": _("Выберите тему."), "invalid_choice": FOREIGN_THEME},
    )

    def __init__(self, *args, municipality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = _themes(municipality_id)


class MentorOfferForm(_ThemeForm):
    format = forms.ChoiceField(
        label=_("Формат наставничества"),
        choices=MentoringFormat.choices,
        error_messages={"required": _("Выберите формат."), "invalid_choice": _("Выберите формат из списка.")},
    )
    capacity = forms.IntegerField(
        label=_("Сколько учеников можете взять"),
        min_value=1,
        max_value=20,
        initial=1,
        error_messages={
            "required": _("Укажите число учеников."),
            "invalid": _("Укажите число учеников цифрами."),
            "min_value": _("Не меньше %(limit_value)s."),
            "max_value": _("Не больше %(limit_value)s."),
        },
    )
    note = forms.CharField(
        label=_("Ваш опыт по теме"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT_LIMIT,
    )


class LearnerRequestForm(_ThemeForm):
    note = forms.CharField(
        label=_("Что хочется освоить"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT_LIMIT,
    )


class MatchForm(BoundedDatesMixin, forms.Form):
    offer = forms.ModelChoiceField(
        label=_("Наставник"),
        queryset=MentorOffer.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Выберите наставника."),
            "invalid_choice": _("Выберите наставника из предложенных: у него должна быть тема запроса и место."),
        },
    )
    started_on = forms.DateField(
        label=_("Начало работы пары"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Укажите дату начала."), "invalid": _("Укажите дату, например 01.10.2025.")},
    )

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = MentorOffer.objects.filter(pk__in=[o.pk for o in suggestions])
        labels = {o.pk: o for o in suggestions}
        self.fields["offer"].label_from_instance = lambda o: _offer_label(labels.get(o.pk, o))


def _offer_label(offer) -> str:
    return _("%(name)s, %(organisation)s — %(format)s, свободно мест: %(left)s") % {
        "name": offer.person.full_name,
        "organisation": offer.organisation or _("организация не указана"),
        "format": offer.get_format_display(),
        "left": getattr(offer, "places_left", offer.capacity),
    }


class SurveyOpenForm(forms.Form):
    year = forms.IntegerField(
        label=_("Год опроса"),
        min_value=DATE_MIN.year,
        max_value=DATE_MAX.year,
        error_messages={
            "required": _("Укажите год."),
            "invalid": _("Укажите год цифрами, например 2025."),
            "min_value": _("Укажите год не раньше %(limit_value)s."),
            "max_value": _("Укажите год не позже %(limit_value)s."),
        },
    )


class SurveyAnswerForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий организации"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=TEXT_LIMIT,
    )


class SurveyLineForm(forms.Form):
    """One teacher of the organisation: a mentor on a theme (format, how many learners) or a learner of it."""

    kind = forms.ChoiceField(
        label=_("Кто"),
        choices=[("", "—"), *LabSurveyLine.Kind.choices],
        required=False,
        error_messages={"invalid_choice": _("Выберите: наставник или ученик.")},
    )
    person = forms.ModelChoiceField(
        label=_("Педагог"),
        queryset=Person.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Выберите педагога своей организации.")},
    )
    theme = forms.ModelChoiceField(
        label=_("Тема"),
        queryset=CompetenceTheme.objects.none(),
        required=False,
        error_messages={"invalid_choice": FOREIGN_THEME},
    )
    format = forms.ChoiceField(
        label=_("Формат (для наставника)"),
        choices=[("", "—"), *MentoringFormat.choices],
        required=False,
        error_messages={"invalid_choice": _("Выберите формат из списка.")},
    )
    capacity = forms.IntegerField(
        label=_("Учеников (для наставника)"),
        required=False,
        min_value=1,
        max_value=20,
        error_messages={
            "invalid": _("Укажите число цифрами."),
            "min_value": _("Не меньше %(limit_value)s."),
            "max_value": _("Не больше %(limit_value)s."),
        },
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(organisation=organisation, is_anonymised=False)
        self.fields["theme"].queryset = _themes(organisation.municipality_id)

    def clean(self):
        data = super().clean()
        kind, person, theme = data.get("kind"), data.get("person"), data.get("theme")
        if not (kind or person or theme) and not self.errors:
            return data  # an empty row
        if not kind:
            self.add_error("kind", _("Выберите: наставник или ученик."))
        if person is None and "person" not in self.errors:
            self.add_error("person", _("Выберите педагога."))
        if theme is None and "theme" not in self.errors:
            self.add_error("theme", _("Выберите тему."))
        if kind == LabSurveyLine.Kind.MENTOR:
            if not data.get("format") and "format" not in self.errors:
                self.add_error("format", _("Для наставника выберите формат."))
            if data.get("capacity") is None and "capacity" not in self.errors:
                self.add_error("capacity", _("Для наставника укажите, сколько учеников он может взять."))
        return data

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("kind"))


class _BaseLines(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.cleaned_data.get("kind"):
                continue
            key = (form.cleaned_data["kind"], form.cleaned_data["person"].pk, form.cleaned_data["theme"].pk)
            if key in seen:
                raise forms.ValidationError(_("Одна и та же строка указана дважды."))
            seen.add(key)


SurveyLineFormSet = forms.formset_factory(SurveyLineForm, formset=_BaseLines, extra=6, max_num=60, absolute_max=60)
