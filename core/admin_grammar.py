"""The admin in grammatical Russian: Django builds its titles, buttons, counts and messages from a model's
nominative name («Выберите рецензия для изменения», «3 сезоны», «Удалить выбранные участие», «Добавить
наставническая пара»). This table holds, per model, the forms Russian needs there, and the site (core.admin_site)
puts them in place for every registered model, the portal's own and the libraries' alike.

An entry, keyed by the model's label: the gender of its name (for «добавлен / добавлена / добавлено / добавлены»),
the accusative singular («Выберите рецензию», «Добавить рецензию»), the accusative plural («Удалить выбранные
рецензии»; for people the genitive: «выбранных пользователей»), and the three forms a number takes («1 рецензия»,
«2 рецензии», «5 рецензий»), chosen by the plural rule of the Russian catalogue (locale/ru: nplurals=3).
tests/admin/test_admin_grammar.py checks every registered model has an entry and that its pages use it.

Only in Russian: in another language Django's own texts stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, gettext, pgettext

from core.typography import inner_quotes

MASCULINE, MASCULINE_ANIMATE, FEMININE, NEUTER, PLURAL = "m", "ma", "f", "n", "pl"


@dataclass(frozen=True)
class Forms:
    gender: str
    nominative: str  # the model's verbose_name, its first letter in lower case
    accusative: str
    accusative_plural: str
    one: str  # «1 …», «21 …»
    few: str  # «2 …», «3 …», «24 …»
    many: str  # «5 …», «11 …», «0 …»

    def counted(self, n: int) -> str:
        return (self.one, self.few, self.many)[plural_index(n)]


def plural_index(n: int) -> int:
    """The Russian catalogue's Plural-Forms: 0 for 1, 21…; 1 for 2–4, 22–24…; 2 for the rest."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def _f(gender, nominative, accusative, accusative_plural, few, many, one=None):
    return Forms(gender, nominative, accusative, accusative_plural, one or nominative, few, many)


M, MA, F, N, PL = MASCULINE, MASCULINE_ANIMATE, FEMININE, NEUTER, PLURAL

FORMS: dict[str, Forms] = {
    # activities
    "activities.activity": _f(N, "мероприятие", "мероприятие", "мероприятия", "мероприятия", "мероприятий"),
    "activities.attendance": _f(
        F,
        "отметка посещаемости",
        "отметку посещаемости",
        "отметки посещаемости",
        "отметки посещаемости",
        "отметок посещаемости",
    ),
    "activities.certificate": _f(M, "сертификат", "сертификат", "сертификаты", "сертификата", "сертификатов"),
    "activities.exclusioncase": _f(
        N,
        "основание для исключения",
        "основание для исключения",
        "основания для исключения",
        "основания для исключения",
        "оснований для исключения",
    ),
    "activities.routeitem": _f(
        M,
        "шаг индивидуального маршрута",
        "шаг индивидуального маршрута",
        "шаги индивидуального маршрута",
        "шага индивидуального маршрута",
        "шагов индивидуального маршрута",
    ),
    "activities.session": _f(N, "занятие", "занятие", "занятия", "занятия", "занятий"),
    "activities.submission": _f(M, "видеоурок", "видеоурок", "видеоуроки", "видеоурока", "видеоуроков"),
    "activities.submissionextension": _f(
        N, "продление срока", "продление срока", "продления сроков", "продления срока", "продлений срока"
    ),
    "activities.submissionextensionrequest": _f(
        M,
        "запрос на продление срока",
        "запрос на продление срока",
        "запросы на продление срока",
        "запроса на продление срока",
        "запросов на продление срока",
    ),
    "activities.videoassignment": _f(
        N,
        "задание: видеоурок",
        "задание: видеоурок",
        "задания: видеоуроки",
        "задания: видеоурок",
        "заданий: видеоурок",
    ),
    # django.contrib.auth and django-axes
    "auth.group": _f(F, "группа", "группу", "группы", "группы", "групп"),
    "axes.accessattempt": _f(
        F,
        "запись о попытке доступа",
        "запись о попытке доступа",
        "записи о попытках доступа",
        "записи о попытках доступа",
        "записей о попытках доступа",
    ),
    "axes.accessfailurelog": _f(
        F, "ошибка доступа", "ошибку доступа", "ошибки доступа", "ошибки доступа", "ошибок доступа"
    ),
    "axes.accesslog": _f(
        F, "запись о доступе", "запись о доступе", "записи о доступе", "записи о доступе", "записей о доступе"
    ),
    # core
    "core.backgroundjob": _f(
        F,
        "длительная операция",
        "длительную операцию",
        "длительные операции",
        "длительные операции",
        "длительных операций",
    ),
    "core.notification": _f(N, "уведомление", "уведомление", "уведомления", "уведомления", "уведомлений"),
    "core.outgoingemail": _f(
        N, "исходящее письмо", "исходящее письмо", "исходящие письма", "исходящих письма", "исходящих писем"
    ),
    "core.jobrun": _f(
        M,
        "запуск фоновой задачи",
        "запуск фоновой задачи",
        "запуски фоновых задач",
        "запуска фоновых задач",
        "запусков фоновых задач",
    ),
    # experts
    "experts.competencetest": _f(
        M,
        "тест цифрового профиля компетенций",
        "тест цифрового профиля компетенций",
        "тесты цифрового профиля компетенций",
        "теста цифрового профиля компетенций",
        "тестов цифрового профиля компетенций",
    ),
    "experts.consultation": _f(F, "консультация", "консультацию", "консультации", "консультации", "консультаций"),
    "experts.entryinterview": _f(
        N,
        "входное собеседование",
        "входное собеседование",
        "входные собеседования",
        "входных собеседования",
        "входных собеседований",
    ),
    "experts.expertassignment": _f(
        N,
        "назначение эксперта",
        "назначение эксперта",
        "назначения экспертов",
        "назначения эксперта",
        "назначений экспертов",
    ),
    "experts.expertgroup": _f(F, "группа", "группу", "группы", "группы", "групп"),
    "experts.groupmember": _f(
        MA, "участник группы", "участника группы", "участников группы", "участника группы", "участников группы"
    ),
    "experts.individualrequest": _f(
        M,
        "индивидуальный запрос",
        "индивидуальный запрос",
        "индивидуальные запросы",
        "индивидуальных запроса",
        "индивидуальных запросов",
    ),
    "experts.mentoringmeeting": _f(
        F,
        "встреча наставника с наставляемым",
        "встречу наставника с наставляемым",
        "встречи наставников с наставляемыми",
        "встречи наставника с наставляемым",
        "встреч наставников с наставляемыми",
    ),
    "experts.mentoringpair": _f(
        F,
        "наставническая пара",
        "наставническую пару",
        "наставнические пары",
        "наставнические пары",
        "наставнических пар",
    ),
    "experts.seasonexpertrole": _f(
        F,
        "роль в экспертной команде",
        "роль в экспертной команде",
        "роли в экспертной команде",
        "роли в экспертной команде",
        "ролей в экспертной команде",
    ),
    # participants
    "participants.competencediagnostic": _f(
        F,
        "диагностика профессиональных компетенций",
        "диагностику профессиональных компетенций",
        "диагностики профессиональных компетенций",
        "диагностики профессиональных компетенций",
        "диагностик профессиональных компетенций",
    ),
    "participants.enrollment": _f(
        N,
        "участие",
        "участие в программе",
        "участия в программах",
        "участия в программах",
        "участий в программах",
        one="участие в программе",
    ),
    "participants.feedbackquestion": _f(
        M,
        "вопрос обратной связи",
        "вопрос обратной связи",
        "вопросы обратной связи",
        "вопроса обратной связи",
        "вопросов обратной связи",
    ),
    "participants.managementteammember": _f(
        MA,
        "член управленческой команды",
        "члена управленческой команды",
        "членов управленческих команд",
        "члена управленческой команды",
        "членов управленческих команд",
    ),
    "participants.managementteamprogramme": _f(
        F,
        "программа управленческой команды",
        "программу управленческой команды",
        "программы управленческих команд",
        "программы управленческих команд",
        "программ управленческих команд",
    ),
    "participants.person": _f(MA, "человек", "человека", "людей", "человека", "человек"),
    "participants.personaldatarequest": _f(
        M,
        "запрос по персональным данным",
        "запрос по персональным данным",
        "запросы по персональным данным",
        "запроса по персональным данным",
        "запросов по персональным данным",
    ),
    "participants.professionaldevelopment": _f(
        N,
        "повышение квалификации",
        "повышение квалификации",
        "записи о повышении квалификации",
        "записи о повышении квалификации",
        "записей о повышении квалификации",
        one="запись о повышении квалификации",
    ),
    "participants.schoolapplication": _f(
        F,
        "заявка школы на абонемент",
        "заявку школы на абонемент",
        "заявки школ на абонемент",
        "заявки школ на абонемент",
        "заявок школ на абонемент",
    ),
    "participants.staffheadcount": _f(
        F,
        "численность персонала",
        "численность персонала",
        "записи о численности персонала",
        "записи о численности персонала",
        "записей о численности персонала",
        one="запись о численности персонала",
    ),
    "participants.staffrosterentry": _f(
        MA,
        "работник в кадровом составе",
        "работника в кадровом составе",
        "работников в кадровом составе",
        "работника в кадровом составе",
        "работников в кадровом составе",
    ),
    "participants.user": _f(MA, "пользователь", "пользователя", "пользователей", "пользователя", "пользователей"),
    # programs
    "programs.municipalevent": _f(
        N,
        "мероприятие муниципалитета",
        "мероприятие муниципалитета",
        "мероприятия муниципалитета",
        "мероприятия муниципалитета",
        "мероприятий муниципалитета",
    ),
    "programs.municipality": _f(
        M, "муниципалитет", "муниципалитет", "муниципалитеты", "муниципалитета", "муниципалитетов"
    ),
    "programs.organisation": _f(F, "организация", "организацию", "организации", "организации", "организаций"),
    "programs.organisationyearfacts": _f(
        PL,
        "сведения организации за год",
        "сведения организации за год",
        "сведения организаций за год",
        "записи сведений за год",
        "записей сведений за год",
        one="запись сведений за год",
    ),
    "programs.program": _f(F, "программа", "программу", "программы", "программы", "программ"),
    "programs.roadmapmodule": _f(
        M,
        "модуль дорожной карты",
        "модуль дорожной карты",
        "модули дорожной карты",
        "модуля дорожной карты",
        "модулей дорожной карты",
    ),
    "programs.season": _f(M, "сезон", "сезон", "сезоны", "сезона", "сезонов"),
    "programs.subject": _f(M, "предмет", "предмет", "предметы", "предмета", "предметов"),
    # ratings
    "ratings.achievement": _f(N, "достижение", "достижение", "достижения", "достижения", "достижений"),
    "ratings.review": _f(F, "рецензия", "рецензию", "рецензии", "рецензии", "рецензий"),
    "ratings.reviewassignment": _f(
        N,
        "назначение на проверку",
        "назначение на проверку",
        "назначения на проверку",
        "назначения на проверку",
        "назначений на проверку",
    ),
    "ratings.rubric": _f(
        PL,
        "критерии оценки (рубрика)",
        "критерии оценки (рубрику)",
        "критерии оценки (рубрики)",
        "рубрики критериев оценки",
        "рубрик критериев оценки",
        one="рубрика критериев оценки",
    ),
    # reports
    "reports.kpibaseline": _f(
        N,
        "базовое значение KPI",
        "базовое значение KPI",
        "базовые значения KPI",
        "базовых значения KPI",
        "базовых значений KPI",
    ),
    "reports.kpisnapshot": _f(
        M, "срез показателей", "срез показателей", "срезы показателей", "среза показателей", "срезов показателей"
    ),
    "reports.kpitarget": _f(
        N,
        "целевое значение KPI",
        "целевое значение KPI",
        "целевые значения KPI",
        "целевых значения KPI",
        "целевых значений KPI",
    ),
}


def forms_for(opts) -> Forms | None:
    """The model's forms when the active language is Russian and the table knows the model; else None."""
    if not (get_language() or "").startswith("ru"):
        return None
    return FORMS.get(opts.label_lower)


# --- Texts -------------------------------------------------------------------------------------------------


def _done(action: str, gender: str) -> str:
    texts = {
        ("added", M): lambda: pgettext("admin message, masculine", "%(name)s %(obj)s успешно добавлен."),
        ("added", F): lambda: pgettext("admin message, feminine", "%(name)s %(obj)s успешно добавлена."),
        ("added", N): lambda: pgettext("admin message, neuter", "%(name)s %(obj)s успешно добавлено."),
        ("added", PL): lambda: pgettext("admin message, plural", "%(name)s %(obj)s успешно добавлены."),
        ("changed", M): lambda: pgettext("admin message, masculine", "%(name)s %(obj)s успешно изменён."),
        ("changed", F): lambda: pgettext("admin message, feminine", "%(name)s %(obj)s успешно изменена."),
        ("changed", N): lambda: pgettext("admin message, neuter", "%(name)s %(obj)s успешно изменено."),
        ("changed", PL): lambda: pgettext("admin message, plural", "%(name)s %(obj)s успешно изменены."),
        ("deleted", M): lambda: pgettext("admin message, masculine", "%(name)s %(obj)s удалён."),
        ("deleted", F): lambda: pgettext("admin message, feminine", "%(name)s %(obj)s удалена."),
        ("deleted", N): lambda: pgettext("admin message, neuter", "%(name)s %(obj)s удалено."),
        ("deleted", PL): lambda: pgettext("admin message, plural", "%(name)s %(obj)s удалены."),
    }
    return texts[(action, MASCULINE if gender == MASCULINE_ANIMATE else gender)]()


def _edit_again(gender: str) -> str:
    if gender == FEMININE:
        return pgettext("admin message, feminine", "Ниже её можно изменить снова.")
    if gender == PLURAL:
        return pgettext("admin message, plural", "Ниже их можно изменить снова.")
    return pgettext("admin message, masculine or neuter", "Ниже его можно изменить снова.")


def _add_another(forms: Forms) -> str:
    one = {
        MASCULINE: pgettext("admin message, masculine", "ещё один"),
        MASCULINE_ANIMATE: pgettext("admin message, masculine animate", "ещё одного"),
        FEMININE: pgettext("admin message, feminine", "ещё одну"),
        NEUTER: pgettext("admin message, neuter", "ещё одно"),
        PLURAL: pgettext("admin message, plural", "ещё одни"),
    }[forms.gender]
    return gettext("Ниже можно добавить %(another)s: %(name)s.") % {"another": one, "name": forms.accusative}


def changelist_title(forms: Forms, *, change: bool, popup: bool) -> str:
    if popup:
        return gettext("Выберите %(name)s") % {"name": forms.accusative}
    if change:
        return gettext("Выберите %(name)s для изменения") % {"name": forms.accusative}
    return gettext("Выберите %(name)s для просмотра") % {"name": forms.accusative}


def add_label(forms: Forms) -> str:
    return gettext("Добавить %(name)s") % {"name": forms.accusative}


def changeform_title(forms: Forms, mode: str) -> str:
    if mode == "add":
        return add_label(forms)
    if mode == "change":
        return gettext("Изменить %(name)s") % {"name": forms.accusative}
    return gettext("Просмотреть %(name)s") % {"name": forms.accusative}


def delete_selected_label(forms: Forms) -> str:
    if forms.gender == MASCULINE_ANIMATE:  # people: the accusative plural is the genitive, «выбранных пользователей»
        return gettext("Удалить выбранных %(names)s") % {"names": forms.accusative_plural}
    return gettext("Удалить выбранные %(names)s") % {"names": forms.accusative_plural}


def result_count(forms: Forms, n: int) -> str:
    return gettext("%(count)s %(name)s") % {"count": n, "name": forms.counted(n)}


# --- Django's messages, reworded ---------------------------------------------------------------------------

_SENTINEL = "\x00"


def _django_pattern(template: str, name: str, *, percent: bool = False) -> re.Pattern:
    """A regular expression for Django's translated message with the object's text captured."""
    if percent:
        text = template % {"name": name, "obj": _SENTINEL}
    else:
        text = str(format_html(template, name=name, obj=mark_safe(_SENTINEL)))
    before, after = text.split(_SENTINEL, 1)
    after = after.replace("{name}", name)
    return re.compile(re.escape(before) + "(?P<obj>.*?)" + re.escape(after), re.DOTALL)


def reworded_message(opts, message) -> str | None:
    """Django's success message for the model in grammatical Russian, or None when it is not one of them."""
    forms = forms_for(opts)
    if forms is None:
        return None
    text = str(message)
    name = str(conditional_escape(opts.verbose_name))
    display_name = forms.nominative[:1].upper() + forms.nominative[1:]
    added = gettext("The {name} “{obj}” was added successfully.")
    changed = gettext("The {name} “{obj}” was changed successfully.")
    edit_again = " " + gettext("You may edit it again below.")
    candidates = [
        (added + edit_again, "added", "edit"),
        (gettext("The {name} “{obj}” was added successfully. You may add another {name} below."), "added", "another"),
        (added, "added", None),
        (gettext("The {name} “{obj}” was changed successfully. You may edit it again below."), "changed", "edit"),
        (
            gettext("The {name} “{obj}” was changed successfully. You may add another {name} below."),
            "changed",
            "another",
        ),
        (changed, "changed", None),
    ]
    found = next(
        (
            (m, action, tail)
            for template, action, tail in candidates
            if (m := _django_pattern(template, name).fullmatch(text))
        ),
        None,
    )
    if found is None:
        deleted_one = _django_pattern(gettext("The %(name)s “%(obj)s” was deleted successfully."), name, percent=True)
        if m := deleted_one.fullmatch(text):
            found = (m, "deleted", None)
    if found is None:
        items = re.escape(gettext("Successfully deleted %(count)d %(items)s."))
        items = items.replace(re.escape("%(count)d"), r"(?P<count>\d+)").replace(re.escape("%(items)s"), ".*")
        deleted = re.fullmatch(items, text, re.DOTALL)
        if deleted is None:
            return None
        return gettext("Удалено: %(count)s.") % {"count": result_count(forms, int(deleted["count"]))}
    match, action, tail = found
    # The object's text (a link in the added/changed messages) goes inside «»: its own quotes become „“.
    # Django's deletion message is plain text (escaped when shown): escape its object's text before marking safe.
    shown = match["obj"] if isinstance(message, SafeData) else conditional_escape(match["obj"])
    obj = mark_safe("«" + inner_quotes(str(shown)) + "»")
    result = _done(action, forms.gender) % {"name": conditional_escape(display_name), "obj": obj}
    if tail == "edit":
        result += " " + _edit_again(forms.gender)
    elif tail == "another":
        result += " " + conditional_escape(_add_another(forms))
    return mark_safe(result)
