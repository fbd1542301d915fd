"""The admin in grammatical Russian: Django builds its titles, buttons, counts and messages from a model's
nominative name («Выберите рецензия для изменения», «3 сезоны», «Удалить выбранные участие», «Добавить
наставническая пара»). Each app gives, next to its models' admins, the forms Russian needs there —
`admin_grammar.register(Review, Forms(FEMININE, "рецензия", accusative="рецензию", …))` — and the site
(core.admin_site) puts them in place for every registered model, the portal's own and the libraries' alike (those
get their forms where the portal registers or replaces their admins).

Forms: the gender of the name (for «добавлен / добавлена / добавлено / добавлены»), the accusative singular
(«Выберите рецензию», «Удалить рецензию»), the accusative plural («Удалить выбранные рецензии»; for people the
genitive: «выбранных пользователей»), and the three forms a number takes («1 рецензия», «2 рецензии», «5 рецензий»),
chosen by the plural rule of the Russian catalogue (locale/ru: nplurals=3).
tests/admin/test_admin_grammar.py checks every registered model has forms and that its pages use them.

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
M, MA, F, N, PL = MASCULINE, MASCULINE_ANIMATE, FEMININE, NEUTER, PLURAL


@dataclass(frozen=True)
class Forms:
    gender: str
    nominative: str  # the model's verbose_name, its first letter in lower case
    accusative: str
    accusative_plural: str
    few: str  # «2 …», «3 …», «24 …»
    many: str  # «5 …», «11 …», «0 …»
    one: str = ""  # «1 …», «21 …»; the nominative when not given
    one_gender: str = ""  # the gender of `one` when it is another word («запись сведений»); `gender` when not given

    def __post_init__(self):
        if not self.one:
            object.__setattr__(self, "one", self.nominative)
        if not self.one_gender:
            object.__setattr__(self, "one_gender", self.gender)

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


_REGISTRY: dict[str, Forms] = {}


def register(model, forms: Forms) -> None:
    """The model's forms, given by the app that registers the model's admin (once per model)."""
    label = model._meta.label_lower
    if label in _REGISTRY and _REGISTRY[label] != forms:
        raise ValueError(f"{model._meta.label}: the admin's Russian forms are already registered")
    _REGISTRY[label] = forms


def registered() -> dict[str, Forms]:
    """Every model's forms by its label, for the check that every admin has them."""
    return dict(_REGISTRY)


def forms_for(opts) -> Forms | None:
    """The model's forms when the active language is Russian and its app registered them; else None."""
    if not (get_language() or "").startswith("ru"):
        return None
    return _REGISTRY.get(opts.label_lower)


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


def _selected(forms: Forms) -> str:
    """«выбранные рецензии», for people «выбранных пользователей» (the accusative plural of the animate)."""
    if forms.gender == MASCULINE_ANIMATE:
        return gettext("выбранных %(names)s") % {"names": forms.accusative_plural}
    return gettext("выбранные %(names)s") % {"names": forms.accusative_plural}


def _object(obj) -> str:
    """The object's text inside «», its own quotes turned „“, escaped for HTML."""
    return "«" + inner_quotes(conditional_escape(str(obj))) + "»"


def delete_title(forms: Forms, *, possible: bool = True) -> str:
    if possible:
        return gettext("Удалить %(name)s") % {"name": forms.accusative}
    return gettext("Нельзя удалить %(name)s") % {"name": forms.accusative}


def delete_text(forms: Forms, obj, *, case: str) -> str:
    """The delete confirmation's sentence about one object (Django's says «удалить рецензия "…"»); HTML-safe.

    case: "confirm" (nothing stands in the way), "protected" (protected related rows), "perms" (related rows of a
    type the user may not delete)."""
    texts = {
        "confirm": gettext(
            "Вы уверены, что хотите удалить %(name)s %(obj)s? Все следующие связанные объекты также будут удалены:"
        ),
        "protected": gettext("Чтобы удалить %(name)s %(obj)s, нужно удалить и следующие защищённые связанные объекты:"),
        "perms": gettext(
            "Чтобы удалить %(name)s %(obj)s, нужно удалить и связанные объекты, но у вашей учётной записи нет прав "
            "на удаление объектов следующих типов:"
        ),
    }
    return mark_safe(texts[case] % {"name": conditional_escape(forms.accusative), "obj": _object(obj)})


def delete_selected_text(forms: Forms, *, case: str) -> str:
    """The same sentence for the delete action over the selected rows («удалить выбранные рецензии»)."""
    texts = {
        "confirm": gettext(
            "Вы уверены, что хотите удалить %(selected)s? Все следующие объекты и связанные с ними элементы будут "
            "удалены:"
        ),
        "protected": gettext("Чтобы удалить %(selected)s, нужно удалить и следующие защищённые связанные объекты:"),
        "perms": gettext(
            "Чтобы удалить %(selected)s, нужно удалить и связанные объекты, но у вашей учётной записи нет прав "
            "на удаление объектов следующих типов:"
        ),
    }
    return texts[case] % {"selected": _selected(forms)}


def deleted_count(forms: Forms, n: int) -> str:
    """«Успешно удалена 1 рецензия.», «Успешно удалены 3 рецензии.», «Успешно удалено 5 рецензий.»"""
    index = plural_index(n)
    if index == 1:
        text = pgettext("admin message, plural", "Успешно удалены %(count)s %(name)s.")
    elif index == 2:
        text = pgettext("admin message, many", "Успешно удалено %(count)s %(name)s.")
    else:
        text = {
            MASCULINE: lambda: pgettext("admin message, masculine", "Успешно удалён %(count)s %(name)s."),
            MASCULINE_ANIMATE: lambda: pgettext("admin message, masculine", "Успешно удалён %(count)s %(name)s."),
            FEMININE: lambda: pgettext("admin message, feminine", "Успешно удалена %(count)s %(name)s."),
            NEUTER: lambda: pgettext("admin message, neuter", "Успешно удалено %(count)s %(name)s."),
            PLURAL: lambda: pgettext("admin message, plural", "Успешно удалены %(count)s %(name)s."),
        }[forms.one_gender]()
    return text % {"count": n, "name": forms.counted(n)}


def selection_note(count: int) -> str:
    """«Выбрано 0 из 3», as the page's script writes it once a row is ticked («Выбран 1 из 3»)."""
    return gettext("Выбрано 0 из %(cnt)s") % {"cnt": count}


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
        return deleted_count(forms, int(deleted["count"]))
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
