"""Work a transaction collects and does once after its commit, found again without Django's private
connection.run_on_commit.

The collected work lives in its own commit hook (transaction.on_commit); a weak reference finds the hook again
for the next write of the same transaction. Django drops the hooks of a rolled-back transaction or savepoint,
and the weak reference dies with them, so rolled-back work is never done and never swallows later work.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, transaction

T = TypeVar("T")

_local = threading.local()


class _Hook(Generic[T]):
    """One transaction's collected `work` for one key, done by `run` after the commit."""

    def __init__(self, work: T, run: Callable[[T], None]) -> None:
        self.work = work
        self.run = run
        self.done = False

    def __call__(self) -> None:
        self.done = True
        self.run(self.work)


def _hooks() -> weakref.WeakValueDictionary:
    hooks = getattr(_local, "hooks", None)
    if hooks is None:
        hooks = _local.hooks = weakref.WeakValueDictionary()
    return hooks


def _pending_hook(key: Hashable, alias: str) -> _Hook | None:
    hook = _hooks().get((alias, key))
    return None if hook is None or hook.done else hook


def pending_work(key: Hashable, *, using: str | None = None):
    """What the current transaction has collected under `key` and not yet done; None outside a transaction."""
    alias = using or DEFAULT_DB_ALIAS
    if not transaction.get_connection(alias).in_atomic_block:
        return None
    hook = _pending_hook(key, alias)
    return None if hook is None else hook.work


def collect_until_commit(
    key: Hashable,
    *,
    make: Callable[[], T],
    fill: Callable[[T], None],
    run: Callable[[T], None],
    using: str | None = None,
) -> T:
    """Add to the work the current transaction collects under `key` (`make` starts it, `fill` adds to it) and
    have `run` do it once after the commit; outside a transaction the work is done at once. Returns the work."""
    alias = using or DEFAULT_DB_ALIAS
    if not transaction.get_connection(alias).in_atomic_block:
        work = make()
        fill(work)
        run(work)
        return work
    hook = _pending_hook(key, alias)
    if hook is None:
        hook = _Hook(make(), run)
        _hooks()[(alias, key)] = hook
        transaction.on_commit(hook, using=alias)
    fill(hook.work)
    return hook.work
