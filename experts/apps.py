from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Эксперты")

    def ready(self):
        # Connects the receivers of programs.signals (template loading, season cloning); the cabinet section;
        # this app's part of a person's export and erasure (participants.personal_data); the workspace panels
        # (group, psychologist, tutor, mentor), the cabinet's visits section and the mentoring predicates.
        from participants.services import register_status_change_handler

        from . import (  # noqa: F401
            cabinet,
            cabinet_visits,
            personal_data,
            receivers,
            rules_mentoring,
            workspace_panels,
            workspace_tutor,
        )
        from .services import mentoring_pairs_end_for_leavers

        # A mentee's withdrawal or exclusion ends their mentoring pairs (participants.services status-change registry).
        register_status_change_handler(mentoring_pairs_end_for_leavers)
