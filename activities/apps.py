from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Мероприятия")

    def ready(self):
        # Connects the receivers of programs.signals (template loading, season cloning); registers the
        # individual route's cabinet section and admin.
        from . import admin_route, cabinet_route, receivers  # noqa: F401
