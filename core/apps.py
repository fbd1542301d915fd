from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Infrastructure every app may use and that knows no app (CONVENTIONS.md, «The house»)."""

    name = "core"
    verbose_name = _("Служебное")

    def ready(self):
        # A data-version bump lost to a cache outage is replayed for every process through the task outbox.
        from . import cache_versions
        from .task_outbox import cache_bump_keep

        cache_versions.lost_bump_handler = cache_bump_keep
