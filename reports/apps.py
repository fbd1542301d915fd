from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Отчёты и KPI")

    def ready(self):
        # Dashboard permissions; the export kinds (registered on import: here, so the web
        # process and the Celery worker both know them).
        # The KPI cache's invalidation (post_save / post_delete and the set-based writers' signals).
        from . import invalidation, rules, workbooks  # noqa: F401

        # The KPI targets of the orders, this app's part of a template (programs.season_parts).
        from .season_parts import register as register_season_part

        register_season_part()
