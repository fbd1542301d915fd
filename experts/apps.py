from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Эксперты")

    def ready(self):
        # Connects the receivers of programs.signals (template loading, season cloning); the cabinet section;
        # this app's part of a person's export and erasure (participants.personal_data); the tutor's and the
        # mentor's predicates and workspace panels.
        from . import cabinet, personal_data, receivers, rules_mentoring, workspace_tutor  # noqa: F401
