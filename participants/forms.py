"""Forms of the participants' pages; validation only."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDatesMixin
from core.outgoing_emails import Letter, outgoing_emails_queue
from core.uploads import UploadRefusalFormMixin
from programs.forms import ModelMultipleChoiceField
from programs.models import EducationLevel, Organisation, Season, Subject

from . import consents
from .imports import mapping_problems
from .models import Person, SchoolApplication, User
from .phones import validate_phone
from .services import awaits_email_confirmation


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

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # A self-registered account signs in only after its address is confirmed (one person, one account).
        if awaits_email_confirmation(user):
            raise ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "Адрес электронной почты ещё не подтверждён: откройте ссылку из письма, которое пришло после "
                        "регистрации."
                    ),
                    reverse("email_confirm_resend"),
                    _("Отправить письмо ещё раз"),
                ),
                code="email_unconfirmed",
            )


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
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Выберите оценку от 1 до 5.")},
                    **common,
                )
            elif question.kind == FeedbackQuestion.Kind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in question.choices],
                    widget=forms.RadioSelect,
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


class ConsentWithdrawForm(forms.Form):
    """Withdrawing the consent to processing ends participation: the person confirms they have read what follows."""

    confirm = forms.BooleanField(
        label=_("Я понимаю, что участие в программах прекратится, а мои данные будут обезличены"),
        error_messages={"required": _("Подтвердите, что понимаете последствия отзыва согласия.")},
    )


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


class PortalPasswordResetForm(PasswordResetForm):
    """Imported people have no password yet: they may ask for a password-set link like anyone else."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Through the letters outbox like every letter (core.outgoing_emails): a failed send is retried, and the
        page says the same whether the address exists or not. The context is the link's parts, as JSON."""
        user = context.get("user")
        person = getattr(user, "person", None) if user is not None else None
        letter_context = {
            key: str(context[key])
            for key in ("email", "domain", "site_name", "protocol", "uid", "token")
            if key in context
        }
        if person is not None:
            letter_context["person"] = {"first_name": person.first_name, "middle_name": person.middle_name}
        outgoing_emails_queue(letters=[Letter(to_email, "password_reset", letter_context, secret=True)])


class OrganisationSelect(forms.Select):
    """A plain select; each option carries the full name, which static/js/org-filter.js also searches."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and instance.name != instance.short_name:
            option["attrs"]["data-full-name"] = instance.name
            option["attrs"]["title"] = instance.name
        return option


class RegistrationForm(BoundedDatesMixin, forms.Form):
    """The public registration form of one season; the service checks window, places, duplicates."""

    last_name = forms.CharField(
        label=_("Фамилия"), max_length=100, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    first_name = forms.CharField(label=_("Имя"), max_length=100, widget=forms.TextInput({"autocomplete": "given-name"}))
    middle_name = forms.CharField(
        label=_("Отчество"),
        max_length=100,
        required=False,
        help_text=_("Если есть"),
        widget=forms.TextInput({"autocomplete": "additional-name"}),
    )
    gender = forms.ChoiceField(
        label=_("Пол"),
        required=False,
        choices=[("", _("— не указывать —")), *Person.Gender.choices],
        help_text=_("Нужен для окончаний в сертификатах («принял» или «приняла»). Можно не указывать."),
    )
    birth_date = forms.DateField(
        label=_("Дата рождения"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "autocomplete": "bday"}),
    )
    email = forms.EmailField(
        label=_("Электронная почта"),
        help_text=_("На неё придёт письмо для подтверждения; она же — ваш логин."),
        widget=forms.EmailInput({"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=_("Телефон"),
        max_length=32,
        validators=[validate_phone],
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Образовательная организация"),
        queryset=Organisation.objects.none(),
        empty_label=_("— выберите организацию —"),
        help_text=_("Организации муниципалитета, в котором проводится программа."),
        widget=OrganisationSelect(
            attrs={
                "data-org-filter": "",
                "data-filter-label": _("Поиск организации по названию"),
                "data-filter-found": _("Найдено организаций: %(n)s"),
            }
        ),
    )
    position = forms.CharField(label=_("Должность"), max_length=200)
    subjects = ModelMultipleChoiceField(
        label=_("Преподаваемые предметы"),
        queryset=Subject.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    education_level = forms.ChoiceField(label=_("Уровень образования"), choices=EducationLevel.choices)
    experience_years = forms.IntegerField(
        label=_("Педагогический стаж, полных лет"),
        required=False,
        validators=[MinValueValidator(0), MaxValueValidator(70)],
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )
    category = forms.ChoiceField(
        label=_("Квалификационная категория"), choices=Person.Category.choices, initial=Person.Category.NONE
    )
    preferred_format = forms.ChoiceField(label=_("Предпочтительный формат обучения"), required=False)
    password1 = forms.CharField(
        label=_("Пароль"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Пароль ещё раз"), strip=False, widget=forms.PasswordInput({"autocomplete": "new-password"})
    )
    consent_personal_data = forms.BooleanField(
        label=_("Я даю согласие на обработку моих персональных данных на условиях, изложенных выше"),
        required=True,
        error_messages={"required": _("Без согласия на обработку персональных данных зарегистрироваться нельзя.")},
    )
    consent_rating = forms.BooleanField(
        label=_("Я согласен(на) на публикацию моих фамилии и имени в рейтинге участников"), required=False
    )

    def __init__(self, *args, season: Season, organisations, subjects, formats: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.season = season
        self.fields["organisation"].queryset = organisations
        self.fields["subjects"].queryset = subjects
        if formats:
            self.fields["preferred_format"].choices = [("", _("— пока не знаю —"))] + [(f, f) for f in formats]
        else:
            del self.fields["preferred_format"]
        allowed = season.eligible_education_levels or []
        if allowed:
            labels = ", ".join(str(EducationLevel(level).label).lower() for level in allowed)
            self.fields["education_level"].help_text = _(
                "В программе могут участвовать педагоги с таким образованием: %(levels)s."
            ) % {"levels": labels}

    consent_text = consents.PERSONAL_DATA_PROCESSING
    rating_consent_text = consents.RATING_PUBLICATION

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today.replace(year=today.year - 16) or value.year < 1920:
            raise ValidationError(_("Проверьте дату рождения."), code="implausible")
        return value

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()

    def clean(self):
        cleaned = super().clean()
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", ValidationError(_("Пароли не совпадают."), code="password_mismatch"))
        elif one:
            # The validators compare the password with what else was typed (name, e-mail).
            probe = User(email=cleaned.get("email") or "")
            probe.person = Person(
                **{name: cleaned.get(name) or "" for name in ("last_name", "first_name", "middle_name")}
            )
            try:
                password_validation.validate_password(one, user=probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ApplyForm(forms.Form):
    """A signed-in teacher applies for another season with the account they have."""

    preferred_format = forms.ChoiceField(label=_("Предпочтительный формат обучения"), required=False)
    consent_personal_data = forms.BooleanField(
        label=_("Я даю согласие на обработку моих персональных данных на условиях, изложенных выше"),
        required=True,
        error_messages={"required": _("Без согласия на обработку персональных данных подать заявку нельзя.")},
    )
    consent_text = consents.PERSONAL_DATA_PROCESSING

    def __init__(self, *args, formats: list[str], needs_consent: bool, **kwargs):
        """`needs_consent`: the person has no consent to processing in force (withdrawn, or imported without
        one), so this application must give it again; otherwise the field is not asked."""
        super().__init__(*args, **kwargs)
        if formats:
            self.fields["preferred_format"].choices = [("", _("— пока не знаю —"))] + [(f, f) for f in formats]
        else:
            del self.fields["preferred_format"]
        if not needs_consent:
            del self.fields["consent_personal_data"]


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("Электронная почта, указанная при регистрации"),
        widget=forms.EmailInput({"autocomplete": "email", "inputmode": "email"}),
    )


class ImportUploadForm(UploadRefusalFormMixin, forms.Form):
    """Step 1 of the Google Form import: the file and the season it fills."""

    file = forms.FileField(
        label=_("Файл выгрузки Google Формы"),
        help_text=_("CSV (UTF-8 или Windows-1251, разделитель «,» или «;») или XLSX, не больше 5 МБ."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    season = forms.ModelChoiceField(label=_("Сезон"), queryset=Season.objects.none())

    def __init__(self, *args, seasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season"].queryset = seasons


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class ImportMappingForm(forms.Form):
    """Step 2: which column of the file holds each portal field."""

    def __init__(self, *args, headers: list[str], fields, initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— нет в файле —"))] + [
            (str(i), f"{_column_letter(i)}: {header}") for i, header in enumerate(headers)
        ]
        for field in fields:
            index = initial_mapping.get(field.key)
            self.fields[field.key] = forms.ChoiceField(
                label=field.label,
                choices=choices,
                required=False,
                initial="" if index is None else str(index),
            )
        self.import_fields = fields

    def mapping(self) -> dict[str, int | None]:
        return {key: (int(value) if value not in ("", None) else None) for key, value in self.cleaned_data.items()}

    def clean(self):
        cleaned = super().clean()
        mapping = self.mapping()
        for missing in mapping_problems(mapping):
            self.add_error(None, _("Не выбран столбец для поля «%(field)s».") % {"field": missing})
        used: dict[int, str] = {}
        for field in self.import_fields:
            index = mapping.get(field.key)
            if index is None:
                continue
            if index in used:
                self.add_error(
                    field.key,
                    _("Этот столбец уже выбран для поля «%(other)s».") % {"other": used[index]},
                )
            else:
                used[index] = str(field.label)
        return cleaned
