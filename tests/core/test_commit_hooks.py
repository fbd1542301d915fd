"""Work collected during a transaction is done once after its commit, and never for a rolled-back part."""

import pytest
from django.db import transaction

from core.commit_hooks import collect_until_commit, pending_work

pytestmark = pytest.mark.django_db(transaction=True)


def _collect(done: list, value) -> None:
    collect_until_commit("test", make=list, fill=lambda work: work.append(value), run=done.append)


def test_outside_a_transaction_the_work_is_done_at_once():
    done = []
    _collect(done, 1)
    assert done == [[1]]
    assert pending_work("test") is None


def test_one_run_per_transaction_with_everything_collected():
    done = []
    with transaction.atomic():
        _collect(done, 1)
        _collect(done, 2)
        assert pending_work("test") == [1, 2]
        assert done == []
    assert done == [[1, 2]]
    with transaction.atomic():
        assert pending_work("test") is None  # the committed work does not carry over


def test_a_rolled_back_savepoint_drops_its_work_and_the_next_write_starts_anew():
    done = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                _collect(done, "lost")
                raise RuntimeError
        except RuntimeError:
            pass
        assert pending_work("test") is None
        _collect(done, "kept")
    assert done == [["kept"]]


def test_a_rolled_back_transaction_leaves_nothing_for_the_next_one():
    done = []
    try:
        with transaction.atomic():
            _collect(done, "lost")
            raise RuntimeError
    except RuntimeError:
        pass
    with transaction.atomic():
        assert pending_work("test") is None
        _collect(done, "next")
    assert done == [["next"]]
