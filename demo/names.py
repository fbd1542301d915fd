"""Russian names for the demo people, common ones first, and their Latin spelling for e-mail addresses."""

from __future__ import annotations

from random import Random

TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)


def translit(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch in TRANSLIT:
            out.append("" if TRANSLIT[ch] == "-" else TRANSLIT[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
    return "".join(out)


# Common first names and the stems of patronymics (+«ич» / +«на»): Faker's ru_RU lists are full of rare ones.
FEMALE_FIRST = (
    "Анна Елена Ольга Наталья Татьяна Ирина Светлана Екатерина Мария Юлия Марина Галина Людмила Надежда Оксана "
    "Виктория Анастасия Дарья Ксения Алёна Валентина Лариса Любовь Вера Евгения Алла Жанна Кристина Полина "
    "Елизавета Яна Альбина Эльвира Инна Диана Гульнара Зарина Александра Василиса"
).split()


MALE_FIRST = (
    "Александр Сергей Андрей Дмитрий Алексей Максим Евгений Иван Михаил Николай Владимир Павел Артём Игорь Олег "
    "Роман Виктор Юрий Константин Денис Антон Никита Илья Кирилл Руслан Тимур Вадим Станислав Василий Григорий"
).split()


PATRONYMIC_STEMS = (
    "Александров Сергеев Андреев Дмитриев Алексеев Евгеньев Иванов Михайлов Николаев Владимиров Павлов Игорев "
    "Олегов Викторов Юрьев Константинов Анатольев Васильев Геннадьев Валерьев Петров Борисов Фёдоров Григорьев "
    "Степанов Леонидов Романов Вячеславов Рустамов Ильдаров"
).split()


class NamePool:
    """Russian names with gender agreement: surnames pooled once from Faker (ru_RU), common first names."""

    def __init__(self, seed: int, size: int = 500):
        from faker import Faker

        fake = Faker("ru_RU")
        fake.seed_instance(seed)
        # dict.fromkeys keeps the order: a set would depend on string hashing.
        female_last = list(dict.fromkeys(fake.last_name_female() for _ in range(size)))
        male_last = list(dict.fromkeys(fake.last_name_male() for _ in range(size)))
        self.female = (female_last, FEMALE_FIRST, [f"{s}на" for s in PATRONYMIC_STEMS])
        self.male = (male_last, MALE_FIRST, [f"{s}ич" for s in PATRONYMIC_STEMS])

    def pick(self, rng: Random, female: bool) -> tuple[str, str, str]:
        last, first, middle = self.female if female else self.male
        return rng.choice(last), rng.choice(first), rng.choice(middle)


def generate_names(seed: int, count: int) -> list[tuple[str, str, str]]:
    """The first `count` full names the generator gives for a seed (no database): used to check determinism."""
    rng = Random(seed)
    names = NamePool(seed)
    return [names.pick(rng, rng.random() < 0.82) for _ in range(count)]
