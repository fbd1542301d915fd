"""Hypothesis for the hostile-input tests: reproducible in CI (derandomised, no example database), no deadline
(a Django request with the database is slow and uneven), and the function-scoped fixtures (client, database
rows) are shared by the examples on purpose; every example runs in its own rolled-back savepoint."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "hostile",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
# A longer, random hunt for new failures on a developer's machine: HYPOTHESIS_PROFILE=hostile-deep.
settings.register_profile("hostile-deep", parent=settings.get_profile("hostile"), derandomize=False, max_examples=400)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "hostile"))
