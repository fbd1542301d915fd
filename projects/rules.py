"""The cascade's permissions: one module per part, each imported here (django-rules autodiscovers this one)."""

from . import rules_communities, rules_competence_lab, rules_office, rules_reserve, rules_school_pairs, rules_trajectory  # noqa: F401
