from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Оценки и рейтинг")

    def ready(self):
        # Connects the receivers of programs.signals (template loading).
        from . import panels, receivers  # noqa: F401

        # The released feedback on the teacher's video-assignment page and the reason a lesson came back.
        panels.register()
