"""Every named URL of the portal has a case in the permissions matrix: a new page without one fails here.

The admin (its own namespace) is covered by tests/test_permissions_matrix_admin.py for the key models; every
other named pattern of the root resolver, Django's own account and language pages included, must be in
tests/test_permissions_matrix.py (the expert's pages), tests/test_permissions_matrix_reserve.py (the personnel
reserve) or tests/test_permissions_matrix_portal.py (the rest).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests import permissions_world
from tests.test_permissions_matrix import CASES as EXPERT_CASES
from tests.test_permissions_matrix_portal import CASES as PORTAL_CASES
from tests.test_permissions_matrix_reserve import CASES as RESERVE_CASES

world = permissions_world.world  # the shared fixture


def _named_patterns(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace is None:
            yield pattern.name


def test_the_walk_finds_the_portal_and_skips_the_admin():
    names = set(_named_patterns(get_resolver().url_patterns))
    assert {"cabinet", "expert_workspace", "kpi_dashboard", "set_language", "logout"} <= names
    assert not any(name.startswith(("participants_", "app_list")) for name in names)


@pytest.mark.django_db
def test_every_named_url_has_a_case(world):
    covered = {resolve(case.url(world).split("?")[0]).url_name for case in EXPERT_CASES + PORTAL_CASES + RESERVE_CASES}
    missing = sorted(set(_named_patterns(get_resolver().url_patterns)) - covered)
    assert not missing, f"URLs without a case in the permissions matrix: {', '.join(missing)}"
