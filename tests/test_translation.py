"""The English catalogue: complete, compiled, and actually used once the visitor switches to English."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from participants.models import Enrollment
from programs.models import Season

pytestmark = pytest.mark.django_db

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_home_page_in_english(client):
    page = _english(client).get(reverse("home")).content.decode()
    assert '<html lang="en"' in page
    for english in (
        "Methodical support programs for teachers",  # title and heading
        "Skip to main content",
        "Low-vision version",
        "Log in",
        "All programs",
        "Login for participants and specialists",
        "No programs have been published yet.",
    ):
        assert english in page, english
    for russian in (
        "Программы методического сопровождения педагогов",
        "Перейти к основному содержанию",
        "Версия для слабовидящих",
        "Войти",
        "Все программы",
        "Пока нет опубликованных программ.",
    ):
        assert russian not in page, russian


def test_login_page_in_english(client):
    page = _english(client).get(reverse("login")).content.decode()
    for english in ("Log in to the portal", "Email", "Forgot your password?", "Interface language"):
        assert english in page, english
    for russian in ("Вход на портал", "Электронная почта", "Забыли пароль?", "Язык интерфейса"):
        assert russian not in page, russian


def test_wrong_password_message_in_english(client):
    page = _english(client).post(reverse("login"), {"username": "nobody@example.com", "password": "x"})
    text = page.content.decode()
    assert "Incorrect email or password. The password is case-sensitive." in text
    assert "Неверная электронная почта или пароль" not in text


def test_russian_stays_the_default(client):
    page = client.get(reverse("home")).content.decode()
    assert "Программы методического сопровождения педагогов" in page
    assert "Methodical support programs for teachers" not in page


def test_model_names_in_english():
    with translation.override("en"):
        assert str(Enrollment._meta.verbose_name_plural) == "program enrollments"
        assert str(Enrollment._meta.verbose_name) == "enrollment"
        assert str(Season._meta.verbose_name) == "season"
        assert str(Season._meta.get_field("registration_opens_at").verbose_name) == "registration opens"
        assert str(Enrollment.Status.ACTIVE.label) == "Participating"
    with translation.override("ru"):
        assert str(Season._meta.verbose_name) == "сезон"


def test_plural_forms_in_english():
    with translation.override("en"):
        singular = "Отмечена %(n)d организация: сведения за %(year)d год."
        plural = "Отмечено организаций: %(n)d, сведения за %(year)d год."
        one = translation.ngettext(singular, plural, 1) % {"n": 1, "year": 2026}
        many = translation.ngettext(singular, plural, 5) % {"n": 5, "year": 2026}
    assert one == "1 organisation marked: data for 2026."
    assert many == "5 organisations marked: data for 2026."


def _po_entries(text: str) -> list[dict]:
    """A tiny .po parser: msgid, msgid_plural and the msgstr / msgstr[n] values, plus the flags."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if all(line.startswith("#~") for line in lines):
            continue  # an obsolete entry
        entry = {"flags": "", "fields": {}}
        key = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] += line[2:]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry["fields"][key] += _unquote(line)
            else:
                key, _, rest = line.partition(" ")
                entry["fields"][key] = _unquote(rest)
        entries.append(entry)
    return entries


def _unquote(s: str) -> str:
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    return s[1:-1]


def test_catalogue_is_complete_and_not_fuzzy():
    entries = _po_entries(PO.read_text(encoding="utf-8"))
    header, messages = entries[0], entries[1:]
    assert header["fields"]["msgid"] == ""
    assert "Language: en" in header["fields"]["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["fields"]["msgstr"]
    assert "fuzzy" not in header["flags"]
    assert len(messages) > 300
    untranslated, fuzzy, still_russian = [], [], []
    for entry in messages:
        fields = entry["fields"]
        msgid = fields["msgid"]
        assert msgid, "only the header may have an empty msgid"
        if "fuzzy" in entry["flags"]:
            fuzzy.append(msgid)
        strs = [v for k, v in fields.items() if k.startswith("msgstr")]
        if not strs or any(not s for s in strs):
            untranslated.append(msgid)
        # Only the certificate-code example, order numbers and Russian words a person must type or find in a Russian
        # file (the import's column headers, quoted in «…») keep Cyrillic on purpose.
        if any(re.search(r"[А-Яа-яЁё]", re.sub(r"ПП|643-од|1063-од|Р-145|«[^»]*»", "", s)) for s in strs):
            still_russian.append(msgid)
    assert untranslated == []
    assert fuzzy == []
    assert still_russian == []


def test_compiled_catalogue_matches_the_po():
    """The .mo is committed (no gettext needed at run time) and is not older than the .po's contents."""

    def key(fields: dict) -> str:
        # A message with a context is stored in the .mo as "context\x04msgid".
        raw = fields["msgid"] if "msgctxt" not in fields else f"{fields['msgctxt']}\x04{fields['msgid']}"
        return raw.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")

    po_msgids = {key(e["fields"]) for e in _po_entries(PO.read_text(encoding="utf-8"))[1:]}
    with MO.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    mo_msgids = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    assert mo_msgids == po_msgids
    assert catalog[("Выбран %(n)s участник:", 1)] == "%(n)s participants selected:"
    assert catalog["Войти"] == "Log in"


RU_PO = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "в маршруте 1 шаг"),
        (2, "в маршруте 2 шага"),
        (5, "в маршруте 5 шагов"),
        (11, "в маршруте 11 шагов"),
        (21, "в маршруте 21 шаг"),
        (24, "в маршруте 24 шага"),
    ],
)
def test_russian_plurals_have_three_forms(n, expected):
    """The Russian catalogue exists for plurals only: without it ngettext says «2 шагов»."""
    with translation.override("ru"):
        assert translation.ngettext("в маршруте %(n)s шаг", "в маршруте %(n)s шагов", n) % {"n": n} == expected


def _plural_forms(mo: Path) -> dict[str, int]:
    """Each plural msgid of a compiled catalogue with its number of forms (a long msgid wrapped over several
    lines of the .po is one string here, which a line-based reading of the .po would miss)."""
    with mo.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    forms: dict[str, int] = {}
    for key in catalog:
        if isinstance(key, tuple):
            forms[key[0]] = max(forms.get(key[0], 0), key[1] + 1)
    return forms


def test_every_plural_message_has_its_russian_forms():
    """A plural msgid added to the code must get its three Russian forms in locale/ru (see its header)."""
    english = _plural_forms(MO)
    russian = _plural_forms(RU_PO.with_suffix(".mo"))
    assert english, "the English catalogue has plural messages"
    assert sorted(set(english) - set(russian)) == []
    assert {msgid: n for msgid, n in russian.items() if n != 3} == {}
    assert "nplurals=3" in RU_PO.read_text()
