"""Data versions in Django's cache: the tokens that make cached pages stale (reports.kpi_cache,
participants.cabinet_cache).

A cached entry's key holds the version of the data it was computed from; replacing the version makes every
older entry unreachable at once, without knowing which entries there are. A version is never an earlier value:
should the cache evict it, a fresh one is taken, and the entries computed under the evicted one stay unreachable.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache


def fresh_version() -> int:
    return time.time_ns()


def current_versions(keys: list[str]) -> dict[str, int]:
    """{key: version} for these keys, starting a fresh version for any the cache does not hold: one round trip
    to the cache when all are there."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, fresh_version(), timeout=None)
        found.update(cache.get_many(missing))
    return found


def bump_versions(keys: Iterable[str]) -> None:
    """Replace the versions of these keys (every entry computed under the old ones becomes unreachable)."""
    keys = list(keys)
    if keys:
        version = fresh_version()
        cache.set_many(dict.fromkeys(keys, version), timeout=None)
