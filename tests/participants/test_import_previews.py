"""An uploaded table waits for its import in private storage, not in the session (megabytes at 20,000 rows)."""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from core.tables import PREVIEW_DIR, Table, stashed_tables_prune, table_discard, table_stash, table_unstash


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_stashed_table_comes_back_whole_and_goes_when_discarded():
    table = Table(headers=["ФИО", "Часы"], rows=[(2, ["Смирнова Анна", "72"]), (4, ["=1+1", ""])])
    name = table_stash(table)
    assert name.startswith(f"{PREVIEW_DIR}/") and name.endswith(".json")
    assert table_unstash(name) == table
    table_discard(name)
    assert table_unstash(name) is None and not default_storage.exists(name)


@pytest.mark.parametrize(
    "name", [None, "", "../../etc/passwd", f"{PREVIEW_DIR}/../secret.json", "certificates/2026/x.json"]
)
def test_names_that_are_not_previews_are_refused(name):
    assert table_unstash(name) is None
    table_discard(name)  # nothing outside the preview folder is ever deleted


def test_a_damaged_preview_reads_as_none():
    name = default_storage.save(f"{PREVIEW_DIR}/{'a' * 32}.json", io.BytesIO(b"{not json"))
    assert table_unstash(name) is None


def test_pruning_removes_only_previews_older_than_a_day():
    fresh, stale = table_stash(Table(headers=["a"])), table_stash(Table(headers=["b"]))
    old = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(default_storage.path(stale), (old, old))
    assert stashed_tables_prune(now=timezone.now()) == 1
    assert table_unstash(fresh) is not None and table_unstash(stale) is None
    assert stashed_tables_prune(now=timezone.now()) == 0
