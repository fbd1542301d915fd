from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Эксперты")

    def ready(self):
        # The cabinet section; this app's part of a person's export and erasure (participants.personal_data); the workspace panels
        # (group, psychologist, tutor, mentor), the cabinet's visits section and the mentoring predicates.
        from . import (  # noqa: F401
            cabinet,
            cabinet_visits,
            personal_data,
            rules_mentoring,
            workspace_panels,
            workspace_tutor,
        )

        # The season's expert roles, this app's part of a template and of a relaunch (programs.season_parts).
        from .season_parts import register as register_season_part

        register_season_part()
        # What the cabinet's cache must hear of (participants.cabinet_cache).
        from .cabinet_models import register as register_cabinet_models

        register_cabinet_models()

        # A mentee's withdrawal or exclusion ends their mentoring pairs (participants.services status-change registry).
        from participants.services import register_status_change_handler

        from .services import mentoring_pairs_end_for_leavers

        register_status_change_handler(mentoring_pairs_end_for_leavers)
