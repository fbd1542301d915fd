from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Эксперты")

    def ready(self):
        # Connects the receivers of programs.signals (template loading, season cloning); the cabinet section.
        from . import cabinet, receivers  # noqa: F401
