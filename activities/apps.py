from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Мероприятия")

    def ready(self):
        # Connects the receivers of programs.signals (template loading, season cloning); registers the
        # cabinet sections (roadmap, deadlines, risks, certificates, video lessons, the individual route, what a
        # late joiner missed before admission), the route admin and this app's part of a person's export and
        # erasure (participants.personal_data).
        from . import (  # noqa: F401
            admin_route,
            cabinet_checkin,
            cabinet_late,
            cabinet_route,
            cabinet_videos,
            personal_data,
            receivers,
        )
        from .cabinet import register as register_cabinet_sections

        register_cabinet_sections()
        cabinet_videos.register()
        cabinet_late.register()
        # Reminders to teachers with a video lesson to submit (participants.reminders registry).
        from .reminders import register as register_reminders

        register_reminders()
        # This app's part of an enrollment's «Журнал изменений» (participants.journal).
        from .audit import register as register_journal

        register_journal()
