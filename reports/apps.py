from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Отчёты и KPI")

    def ready(self):
        # What this app registers: docs/architecture.md. invalidation: the KPI cache's receivers (post_save /
        # post_delete and the set-based writers' signals); rules: the dashboards' permissions.
        from . import invalidation, rules, workbooks  # noqa: F401
        from .season_parts import register as register_season_part

        # The KPI workbook's export kind (reports.exports), here so the web process and the worker both know it.
        workbooks.register()
        # The KPI targets of the orders: this app's part of a template (programs.season_parts).
        register_season_part()
