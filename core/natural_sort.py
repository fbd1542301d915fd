"""One natural sort key for names: «Школа № 2» before «Школа № 10», «ё» as «е», case ignored, quotes and
punctuation ignored («МБОУ «СОШ № 5»» sits with «МБОУ СОШ № 5»).

The key is text that orders the same in Python, SQLite and PostgreSQL under any collation (C, C.UTF-8,
en_US.UTF-8, ru_RU.UTF-8): it is made only of the characters 0-9 and a-f, which every collation orders alike
and none ignores. Each letter becomes «1» and its code point in four hex digits; each run of digits «0» and the
number in twelve digits; each gap between words «10020». So a model can store it and the database can order
by it (an organisation's sort_key), and a list sorted in Python agrees with one sorted by the database.
"""

from __future__ import annotations

import re

_PARTS = re.compile(r"\d+|[^\W\d_]+")
_NUMBER_WIDTH = 12


def natural_sort_key(text: str | None) -> str:
    words = _PARTS.findall((text or "").casefold().replace("ё", "е"))
    tokens = []
    for index, word in enumerate(words):
        if index:
            tokens.append("10020")  # a gap sorts before any letter: «школа 2» before «школаб»
        if word.isdecimal():
            tokens.append("0" + str(min(int(word), 10**_NUMBER_WIDTH - 1)).zfill(_NUMBER_WIDTH))
        else:
            tokens.extend(f"1{min(ord(char), 0xFFFF):04x}" for char in word)
    return "".join(tokens)
