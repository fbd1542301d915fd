"""The district methodical centre's cascade of projects (seed 001; docs/decisions/0009-project-cascade.md).

One module per part of the cascade; each is imported here so that Django finds its models.
"""

from .school_pairs import AssessmentResult, PairPlanItem, SchoolPair  # noqa: F401
