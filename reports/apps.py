from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Отчёты и KPI")

    def ready(self):
        # Connects the receivers of programs.signals (template loading).
        # Template receivers; dashboard permissions; the export kinds (registered on import: here, so the web
        # process and the Celery worker both know them).
        # The KPI cache's invalidation (post_save / post_delete and the set-based writers' signals).
        from . import invalidation, receivers, rules, workbooks  # noqa: F401
