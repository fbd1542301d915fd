from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Отчёты и KPI")

    def ready(self):
        # Connects the receivers of programs.signals (template loading).
        from . import receivers, rules  # noqa: F401  (template receivers; dashboard permissions)

        # Export kinds register on import: here, so the web process and the Celery worker both know them.
        from . import workbooks  # noqa: F401
