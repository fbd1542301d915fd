"""The cascade's models in the admin, each part's admin next to its models' module."""

from . import admin_school_pairs  # noqa: F401
