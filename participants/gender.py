"""A person's grammatical gender for the documents they are handed («принял» / «приняла»).

The person's own answer wins. When it is not given, the patronymic decides (-вич, -оглы → male; -вна, -чна,
-кызы → female); without a telling patronymic, the first name's ending with a short list of exceptions. When
still unsure the answer is NEUTRAL, and a document rephrases its sentence without a gendered word.
"""

from __future__ import annotations

from .models import Person

MALE = Person.Gender.MALE.value
FEMALE = Person.Gender.FEMALE.value
NEUTRAL = ""

# Male first names ending in -а/-я (they would read as female by their ending).
MALE_NAMES_IN_A = frozenset(
    {
        "илья",
        "никита",
        "кузьма",
        "фома",
        "лука",
        "савва",
        "данила",
        "гаврила",
        "фока",
        "иона",
        "мина",
        "аникита",
        "ерема",
        "ерёма",
        "зосима",
        "лёва",
        "лева",
        "миша",
        "паша",
        "ваня",
        "петя",
        "вася",
        "коля",
        "толя",
        "дима",
        "гоша",
        "алёша",
        "алеша",
        "сережа",
        "серёжа",
        "вова",
        "жора",
        "гриша",
    }
)
# Names worn by both men and women, and female names ending otherwise: no guess from the ending.
UNSURE_NAMES = frozenset({"саша", "женя", "валя", "слава", "мишель", "александрина"})
FEMALE_NAMES_OTHER = frozenset({"любовь", "нинель", "юдифь", "эсфирь", "айгуль", "гюзель", "асель", "рахиль", "руфь"})


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def gender_from_names(first_name: str, middle_name: str) -> str:
    """MALE, FEMALE or NEUTRAL from the names alone."""
    middle = _norm(middle_name)
    if middle:
        last_word = middle.split()[-1]
        if middle.endswith("вич") or last_word in ("оглы", "улы", "уулу"):
            return MALE
        if middle.endswith(("вна", "чна", "шна")) or last_word in ("кызы", "гызы", "қызы"):
            return FEMALE
    first = _norm(first_name)
    if not first or " " in first or "-" in first:
        return NEUTRAL
    if first in UNSURE_NAMES:
        return NEUTRAL
    if first in MALE_NAMES_IN_A:
        return MALE
    if first in FEMALE_NAMES_OTHER:
        return FEMALE
    if first.endswith(("а", "я")):
        return FEMALE
    if first[-1] in "бвгджзйклмнпрстфхцчшщ":
        return MALE
    return NEUTRAL


def person_gender(person: Person) -> str:
    """The person's grammatical gender: their own answer, else a guess from the names, else NEUTRAL."""
    if person.gender in (MALE, FEMALE):
        return person.gender
    return gender_from_names(person.first_name, person.middle_name)
