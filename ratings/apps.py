from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Оценки и рейтинг")

    def ready(self):
        # Connects the receivers of programs.signals (template loading).
        # personal_data registers this app's part of a person's export and erasure (participants.personal_data).
        from . import panels, personal_data, receivers, rules, workspace  # noqa: F401
        from .cabinet import register as register_cabinet_sections

        register_cabinet_sections()
        # The released feedback on the teacher's video-assignment page and the reason a lesson came back.
        panels.register()
        # The review of video lessons on the expert's workspace (/expert/).
        workspace.register()
