"""The cascade's permissions: one module per part, each imported here so that django-rules finds it."""

from . import rules_school_pairs  # noqa: F401
