from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Мероприятия")

    def ready(self):
        # Registers the cabinet sections (roadmap, deadlines, risks, certificates, video lessons, the individual route, what a
        # late joiner missed before admission), the route admin and this app's part of a person's export and
        # erasure (participants.personal_data).
        from . import (  # noqa: F401
            admin_route,
            cabinet_checkin,
            cabinet_late,
            cabinet_route,
            cabinet_videos,
            personal_data,
        )
        from .cabinet import register as register_cabinet_sections
        from .season_parts import register as register_season_part

        # Activities, sessions and video assignments: this app's part of a template and of a relaunch
        # (programs.season_parts).
        register_season_part()

        register_cabinet_sections()
        cabinet_videos.register()
        cabinet_late.register()
        # What the cabinet's cache must hear of (participants.cabinet_cache).
        from .cabinet_models import register as register_cabinet_models

        register_cabinet_models()
        # Reminders to teachers with a video lesson to submit (participants.reminders registry).
        from .reminders import register as register_reminders

        register_reminders()
        # This app's part of an enrollment's «Журнал изменений» (participants.journal).
        from .audit import register as register_journal

        register_journal()
