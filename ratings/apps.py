from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Оценки и рейтинг")

    def ready(self):
        # receivers keeps the rating fresh (post_save / post_delete, attendance_changed); personal_data registers this app's part of a person's export and erasure (participants.personal_data).
        from . import panels, personal_data, receivers, rules, rules_achievements, workspace  # noqa: F401
        from .cabinet import register as register_cabinet_sections
        from .cabinet_achievements import register as register_achievements_section
        from .workspace_achievements import register as register_achievements_panel

        register_cabinet_sections()
        # The program's rubric, this app's part of a template (programs.season_parts).
        from .season_parts import register as register_season_part

        register_season_part()
        # «Мои достижения» in the cabinet and the expert group's pending achievements in the workspace.
        register_achievements_section()
        register_achievements_panel()
        # What the cabinet's cache must hear of (participants.cabinet_cache).
        from .cabinet_models import register as register_cabinet_models

        register_cabinet_models()
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
        # A submitted video lesson gets its reviewers in the submission's transaction (activities.services).
        from activities.services import register_submission_handler

        from .services import review_assign_submitted

        register_submission_handler(review_assign_submitted)
