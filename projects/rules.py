"""The cascade's permissions (django-rules autodiscovers this module): one import line per part."""

from . import rules_reserve  # noqa: F401
