from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Эксперты")

    def ready(self):
        # Connects the receivers of programs.signals (template loading, season cloning); the cabinet section;
        # this app's part of a person's export and erasure (participants.personal_data).
        from . import cabinet, cabinet_visits, personal_data, receivers, workspace_panels  # noqa: F401
