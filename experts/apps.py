from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Эксперты")

    def ready(self):
        # What this app registers into the lower apps' registries: docs/architecture.md.
        from participants.services import register_status_change_handler

        from . import cabinet, cabinet_visits, personal_data, rules_mentoring, workspace_panels, workspace_tutor  # noqa: F401
        from .season_parts import register as register_season_part
        from .services import mentoring_pairs_end_for_leavers

        # Cabinet sections (participants.cabinet): the expert team, the lesson visits.
        cabinet.register()
        cabinet_visits.register()
        # The workspace panels (experts.workspace): group, psychologist, tutor, mentor.
        workspace_panels.register()
        workspace_tutor.register()
        # The season's expert roles: this app's part of a template and of a relaunch (programs.season_parts).
        register_season_part()
        # This app's part of a person's export, erasure and retention (participants.personal_data).
        personal_data.register()
        # A mentee's withdrawal or exclusion ends their mentoring pairs (participants.services status-change registry).
        register_status_change_handler(mentoring_pairs_end_for_leavers)
