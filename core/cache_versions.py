"""Data versions in Django's cache: the tokens that make cached pages stale (reports.kpi_cache).

A cached entry's key holds the version of the data it was computed from; replacing the version makes every
older entry unreachable at once, without knowing which entries there are. A version is never an earlier value:
should the cache evict it, a fresh one is taken, and the entries computed under the evicted one stay unreachable.

While the cache (Redis) is down, `current_versions` answers None and callers compute without caching. A bump
that cannot be written is not forgotten: Redis may come back holding the old version and the entries computed
under it, which would then be served as fresh. So the lost keys are bumped again by this process at its first
contact with the cache that works (before it reads any version), and, for the other processes, handed to
`lost_bump_handler` (core.task_outbox queues a durable task that bumps them once the broker is back).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache

logger = logging.getLogger(__name__)

# Keys whose bump this process could not write; bumped again before the next version is read.
_lost: set[str] = set()
_lost_guard = threading.Lock()
# Set from an AppConfig.ready(): called with the keys of a bump that could not be written.
lost_bump_handler: Callable[[list[str]], None] | None = None


class CacheDown(Exception):
    """The cache did not answer (django-redis raised ConnectionInterrupted)."""


def fresh_version() -> int:
    return time.time_ns()


def _client():
    """django-redis's client, which raises on a lost connection (the cache object itself ignores it); None for
    other backends (LocMem), which cannot be down."""
    return getattr(cache, "client", None)


def _get_many(keys: list[str]) -> dict:
    client = _client()
    if client is None:
        return cache.get_many(keys)
    from django_redis.exceptions import ConnectionInterrupted

    try:
        return client.get_many(keys)
    except ConnectionInterrupted as exc:
        raise CacheDown from exc


def _set_many(data: dict[str, int], *, only_new: bool = False) -> None:
    client = _client()
    if client is None:
        if only_new:
            for key, value in data.items():
                cache.add(key, value, timeout=None)
        else:
            cache.set_many(data, timeout=None)
        return
    from django_redis.exceptions import ConnectionInterrupted

    try:
        if only_new:
            for key, value in data.items():
                client.add(key, value, timeout=None)
        else:
            client.set_many(data, timeout=None)
    except ConnectionInterrupted as exc:
        raise CacheDown from exc


def _replay_lost() -> None:
    """Bump again what an outage swallowed (raises CacheDown while the cache is still down)."""
    if not _lost:
        return
    with _lost_guard:
        keys = sorted(_lost)
        if not keys:
            return
        _set_many(dict.fromkeys(keys, fresh_version()))
        _lost.difference_update(keys)
    logger.warning("Cache is back: bumped again the data versions lost during the outage: %s", ", ".join(keys))


def current_versions(keys: list[str]) -> dict[str, int] | None:
    """{key: version} for these keys, starting a fresh version for any the cache does not hold: one round trip
    to the cache when all are there. None while the cache is down: compute without caching."""
    try:
        _replay_lost()
        found = _get_many(keys)
        missing = [key for key in keys if key not in found]
        if missing:
            _set_many(dict.fromkeys(missing, fresh_version()), only_new=True)
            found.update(_get_many(missing))
    except CacheDown:
        return None
    if any(key not in found for key in keys):
        return None
    return found


def bump_versions(keys: Iterable[str]) -> None:
    """Replace the versions of these keys (every entry computed under the old ones becomes unreachable)."""
    keys = list(keys)
    if not keys:
        return
    try:
        _set_many(dict.fromkeys(keys, fresh_version()))
    except CacheDown:
        logger.warning("Cache is down: data versions not bumped, kept for later: %s", ", ".join(keys))
        with _lost_guard:
            _lost.update(keys)
        if lost_bump_handler is not None:
            try:
                lost_bump_handler(keys)
            except Exception:
                logger.exception("Could not keep the lost data-version bump for the other processes")
