"""What every part of the demo generator shares: its error, the person being planned, small helpers."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.models import Group

from demo.data import MARKER_EMAIL
from participants.models import (
    Person,
    User,
)
from participants.roles import role_groups_ensure


class DemoError(Exception):
    """The demo cannot be built (for example, no programs are loaded)."""


def ensure_role_groups() -> dict[str, Group]:
    """The «Координаторы» group with every permission of the portal's apps (and read-only «Руководство»)."""
    return role_groups_ensure()


def demo_data_exists() -> bool:
    return User.objects.filter(email__iexact=MARKER_EMAIL).exists()


@contextmanager
def keep_timestamps(*fields):
    """Let bulk_create write our own historical times into auto_now_add fields."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f, _flag in saved:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, flag in saved:
            f.auto_now_add = flag


def model_field(model, name):
    return model._meta.get_field(name)


@dataclass
class Spec:
    """An unsaved person plus what the generator needs to know about them."""

    person: Person
    female: bool
    subjects: list[str]
    kind: str
    municipality_id: int
    low_results: bool
    needs_user: bool = False
    user_email: str = ""
    role: str = User.Role.TEACHER
