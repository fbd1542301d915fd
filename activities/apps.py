from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Мероприятия")

    def ready(self):
        # Connects the receivers of programs.signals (template loading, season cloning).
        from . import cabinet_videos, receivers  # noqa: F401

        cabinet_videos.register()
