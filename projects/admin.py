"""The cascade's models in the admin, each part's admin next to its models' module."""

from . import (
    admin_communities,  # noqa: F401
    admin_competence_lab,  # noqa: F401
    admin_office,  # noqa: F401
    admin_reserve,  # noqa: F401
    admin_school_pairs,  # noqa: F401
    admin_trajectory,  # noqa: F401
)
