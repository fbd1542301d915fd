from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Оценки и рейтинг")

    def ready(self):
        # Connects the receivers of programs.signals (template loading).
        # personal_data registers this app's part of a person's export and erasure (participants.personal_data).
        from . import panels, personal_data, receivers, rules, rules_achievements, workspace  # noqa: F401
        from .cabinet import register as register_cabinet_sections
        from .cabinet_achievements import register as register_achievements_section
        from .workspace_achievements import register as register_achievements_panel

        register_cabinet_sections()
        # «Мои достижения» in the cabinet and the expert group's pending achievements in the workspace.
        register_achievements_section()
        register_achievements_panel()
        # The released feedback on the teacher's video-assignment page and the reason a lesson came back.
        panels.register()
        # The review of video lessons on the expert's workspace (/expert/).
        workspace.register()
        # Reminders to experts with reviews due (participants.reminders registry).
        from .reminders import register as register_reminders

        register_reminders()
        # This app's part of an enrollment's «Журнал изменений» (participants.journal).
        from .audit import register as register_journal

        register_journal()
