"""The teacher's cabinet, rendered once and kept until something it shows changes.

The cabinet gathers a dozen sections from four apps (participants.cabinet); teachers open it far more often
than their data change. Its rendered body (the header and every section) is cached per person under two data
versions (core.cache_versions):

- **the person's version**, replaced after the commit of any write of a row that belongs to them: their person
  record, enrollments, attendance marks, video lessons and their reviews, visits, certificates, achievements,
  feedback… Each app declares the models its sections read with the ORM path from the model to the person's id
  (`cabinet_reads`, called from its AppConfig.ready()); the person ids are looked up at commit time, one query
  per model however many rows the transaction wrote;
- **everyone's version**, replaced by a write of a row many cabinets show (a program, season, roadmap module,
  activity, session, rubric, expert team, organisation: `cabinet_reads(model, None)`), by a set-based write
  (programs.signals.rows_changed) and by a deletion that cannot say whose row it was.

The key also holds the language and the CSRF secret the page's forms are signed with (a cached form must carry a
token the browser's cookie accepts; signing in rotates the secret, so a new session renders afresh). What no
signal reports — the clock passing a deadline or opening a window — is bounded by settings.CABINET_CACHE_SECONDS
(0 turns the cache off); every action re-checks its window on the server anyway.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language

from core.cache_versions import bump_versions, current_versions
from programs.signals import rows_changed

EVERYONE_KEY = "participants:cabinet:version"
PERSON_KEY = "participants:cabinet:version:person:%d"
ENTRY_PREFIX = "participants:cabinet:html:"

# model -> ORM path from a row to its person's id ("id" for Person itself), or None: the row shows in many cabinets.
_paths: dict[type[models.Model], str | None] = {}


def cabinet_reads(model: type[models.Model], person_path: str | None) -> None:
    """Declare that cabinet sections show rows of `model`; `person_path` leads from a row to the person whose
    cabinet shows it (e.g. "enrollment__person_id"), None when the row shows in many cabinets."""
    _paths[model] = person_path


def cabinet_models() -> dict[type[models.Model], str | None]:
    return dict(_paths)


# --- Invalidation --------------------------------------------------------------------------------------------


class _PendingBump:
    """The rows a transaction wrote, bumped once after its commit (Django's run_on_commit list holds it, so a
    rolled-back transaction or savepoint drops it with its writes)."""

    def __init__(self) -> None:
        # (model, field, path to the person id) -> values of the field: rows looked up after the commit
        self.rows: dict[tuple[type[models.Model], str, str], set] = defaultdict(set)
        self.person_ids: set[int] = set()
        self.everyone = False

    def __call__(self) -> None:
        if self.everyone:
            bump_versions([EVERYONE_KEY])
            return
        person_ids = set(self.person_ids)
        for (model, field, path), values in self.rows.items():
            rows = model._default_manager.filter(**{f"{field}__in": values}).values_list(path, flat=True)
            person_ids.update(pk for pk in rows if pk is not None)
        bump_versions(PERSON_KEY % pk for pk in person_ids)


def _collect(using: str | None, fill: Callable[[_PendingBump], None]) -> None:
    """Add to the transaction's pending bump (one per transaction), or bump at once outside a transaction."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        bump = _PendingBump()
        fill(bump)
        bump()
        return
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _PendingBump):
            fill(entry[1])
            return
    bump = _PendingBump()
    fill(bump)
    transaction.on_commit(bump, using=using)


def cabinet_changed(*, person_ids: Iterable[int] = (), everyone: bool = False, using: str | None = None) -> None:
    """Make these people's cabinets (or everyone's) stale once the current transaction commits."""

    def fill(bump: _PendingBump) -> None:
        bump.person_ids.update(person_ids)
        bump.everyone = bump.everyone or everyone

    _collect(using, fill)


def cabinet_rows_changed(
    model: type[models.Model], *, field: str = "pk", values: Iterable, person_path: str, using: str | None = None
) -> None:
    """Make stale the cabinets of the people of the rows of `model` whose `field` is in `values` (e.g. the marks of
    a session written in bulk), looked up once the transaction commits: one query per model and field."""

    def fill(bump: _PendingBump) -> None:
        bump.rows[(model, field, person_path)].update(values)

    _collect(using, fill)


def _local_person_id(instance: models.Model, path: str) -> int | None | bool:
    """The person id when the path is a field of the row itself (no query); False when it is not."""
    if path == "id":
        return instance.pk
    if "__" not in path:
        return getattr(instance, path)
    return False


@receiver(post_save, dispatch_uid="participants_cabinet_row_saved")
def _row_saved(sender, instance, using=None, **kwargs) -> None:
    if sender not in _paths:
        return
    path = _paths[sender]
    if path is None:
        cabinet_changed(everyone=True, using=using)
        return
    person_id = _local_person_id(instance, path)
    if person_id is False:
        cabinet_rows_changed(sender, values=[instance.pk], person_path=path, using=using)
    elif person_id is not None:
        cabinet_changed(person_ids=[person_id], using=using)


@receiver(post_delete, dispatch_uid="participants_cabinet_row_deleted")
def _row_deleted(sender, instance, using=None, **kwargs) -> None:
    if sender not in _paths:
        return
    path = _paths[sender]
    person_id = _local_person_id(instance, path) if path is not None else False
    if person_id is False:  # the row is gone: whose it was cannot be looked up after the commit
        cabinet_changed(everyone=True, using=using)
    elif person_id is not None:
        cabinet_changed(person_ids=[person_id], using=using)


@receiver(m2m_changed, dispatch_uid="participants_cabinet_link_changed")
def _link_changed(sender, instance, action, using=None, **kwargs) -> None:
    if action.startswith("post_") and type(instance) in _paths:
        cabinet_changed(everyone=True, using=using)


@receiver(rows_changed, dispatch_uid="participants_cabinet_rows_changed")
def _rows_changed(sender, **kwargs) -> None:
    if sender in _paths:
        cabinet_changed(everyone=True)


# --- The cached body -----------------------------------------------------------------------------------------


def cabinet_body(*, person_id: int, csrf_secret: str, render: Callable[[], str]) -> str:
    """The cabinet's rendered body for this person: from the cache, or `render()` stored there.

    The versions are read before rendering: a change committed meanwhile lands the body under the old versions,
    which no later request asks for."""
    ttl = settings.CABINET_CACHE_SECONDS
    if ttl <= 0 or not csrf_secret:
        return render()
    person_key = PERSON_KEY % person_id
    versions = current_versions([EVERYONE_KEY, person_key])
    if versions is None:  # the cache is down: render afresh
        return render()
    raw = repr((versions[EVERYONE_KEY], versions[person_key], person_id, get_language(), csrf_secret))
    key = ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = render()
        cache.set(key, body, ttl)
    return body
