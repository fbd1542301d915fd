"""The portal's own database sessions: what config.settings asks of the server for every connection."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_portal_s_postgresql_sessions_run_without_jit():
    """The KPI queries passed jit_above_cost on a region's data and compiled for 100–180 ms to run for 30 ms
    (docs/decisions/0012): every connection the portal opens says jit=off, whatever the server's default."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
    else:
        # The embedded SQLite has no JIT and gets no PostgreSQL options.
        assert connection.vendor == "sqlite"
        assert "options" not in connection.settings_dict.get("OPTIONS", {})
