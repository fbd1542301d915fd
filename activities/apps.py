from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Мероприятия")

    def ready(self):
        # What this app registers into the lower apps' registries: docs/architecture.md.
        from . import (  # noqa: F401  (admin_route: the route admin)
            admin_route,
            cabinet_checkin,
            cabinet_late,
            cabinet_route,
            cabinet_videos,
            choice_labels,
            personal_data,
        )
        from .audit import register as register_journal
        from .cabinet import register as register_cabinet_sections
        from .reminders import register as register_reminders
        from .season_parts import register as register_season_part

        # Cabinet sections (participants.cabinet): roadmap, deadlines, risks, certificates, video lessons, the
        # check-in, the individual route, what a late joiner missed before admission.
        register_cabinet_sections()
        cabinet_videos.register()
        cabinet_late.register()
        cabinet_checkin.register()
        cabinet_route.register()
        # Activities, sessions and video assignments: this app's part of a template and of a relaunch
        # (programs.season_parts).
        register_season_part()
        # This app's part of a person's export, erasure and retention (participants.personal_data).
        personal_data.register()
        # Reminders to teachers with a video lesson to submit (participants.reminders).
        register_reminders()
        # This app's part of an enrollment's «Журнал изменений» (participants.journal).
        register_journal()
        # Activities, assignments and sessions named with program, season and dates in admin choices
        # (core.admin_choices).
        choice_labels.register()
