"""Permissions of the cascade's parts, one module per part (django-rules autodiscovers this module)."""

from . import rules_communities  # noqa: F401
