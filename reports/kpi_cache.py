"""The KPI dashboards' cache: computed KPI results kept until the data they read changes.

A KPI page costs dozens of grouped queries (reports.kpi); readers look far more often than the data changes. So a
computation is cached under the **KPI data version**, a token in Django's cache that every change of data a KPI
reads replaces after its commit (reports.invalidation). A new version makes every older entry unreachable at once;
nothing has to know which entries a change touches. The key also holds everything else the numbers depend on: the
scope (year, seasons, municipality, school), the page's own parts (KPI code, breakdowns, years), the language of
the labels and today's date. A short TTL (settings.KPI_CACHE_SECONDS) is the safety net for what no signal
reports (the clock moving past a deadline, a raw SQL fix in the database, a write by another process when the
cache is per-process LocMem rather than the shared Redis of production).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from core.cache_versions import bump_versions, current_versions
from core.commit_hooks import collect_until_commit

VERSION_KEY = "reports:kpi:data-version"
ENTRY_PREFIX = "reports:kpi:entry:"
FILTER_TTL_SECONDS = 3600  # the filters' year list (the seasons' span): invalidated by the same version

T = TypeVar("T")


@dataclass(frozen=True)
class Cached(Generic[T]):
    value: T
    computed_at: datetime  # when the numbers were computed: the page says «данные на …»


def kpi_data_version() -> int | None:
    """The current KPI data version; None while the cache is down."""
    versions = current_versions([VERSION_KEY])
    return None if versions is None else versions[VERSION_KEY]


def kpi_data_changed() -> None:
    """Make every cached KPI computation stale (call after the change is committed). A bump the cache could
    not take is replayed once it is back (core.cache_versions)."""
    bump_versions([VERSION_KEY])


def kpi_data_changed_on_commit(using: str | None = None) -> None:
    """Bump the version once the current transaction commits (at once outside a transaction): a page computed
    between the write and the commit is stored under the old version and never read again.

    Once per transaction, however many rows it writes; a rolled-back transaction bumps nothing
    (core.commit_hooks).
    """
    collect_until_commit("kpi_cache", make=dict, fill=lambda _: None, run=kpi_data_changed_after_commit, using=using)


def kpi_data_changed_after_commit(_work: dict) -> None:
    kpi_data_changed()


def _key(parts: tuple, version: int) -> str:
    raw = repr((version, get_language(), timezone.localdate().isoformat(), parts))
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def kpi_cached(
    parts: tuple, compute: Callable[[], T], *, now: datetime | None = None, ttl: int | None = None
) -> Cached[T]:
    """The cached result of `compute()` for these parts (plain, picklable values), computed on a miss (the
    moment it measures: `now`).

    The version is read before computing: should the data change meanwhile, the result lands under the old
    version, which no later page asks for."""
    ttl = settings.KPI_CACHE_SECONDS if ttl is None else min(ttl, settings.KPI_CACHE_SECONDS)
    if ttl <= 0:
        return Cached(compute(), now or timezone.now())
    version = kpi_data_version()
    if version is None:  # the cache is down: compute afresh
        return Cached(compute(), now or timezone.now())
    key = _key(parts, version)
    hit = cache.get(key)
    if hit is not None:
        return hit
    entry = Cached(compute(), now or timezone.now())
    cache.set(key, entry, ttl)
    return entry
