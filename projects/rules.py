"""The cascade's permissions (django-rules autodiscovers this module): one import per part."""

from . import rules_office  # noqa: F401
