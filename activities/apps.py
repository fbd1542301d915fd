from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Мероприятия")

    def ready(self):
        # Connects the receivers of programs.signals (template loading, season cloning).
        # personal_data registers this app's part of a person's export and erasure (participants.personal_data).
        from . import personal_data, receivers  # noqa: F401
