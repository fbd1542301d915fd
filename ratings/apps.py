from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Оценки и рейтинг")

    def ready(self):
        # What this app registers into the lower apps' registries: docs/architecture.md.
        from activities.services import register_submission_handler

        from . import panels, personal_data, receivers, rules, rules_achievements, workspace  # noqa: F401
        from .audit import register as register_journal
        from .cabinet import register as register_cabinet_sections
        from .cabinet_achievements import register as register_achievements_section
        from .reminders import register as register_reminders
        from .season_parts import register as register_season_part
        from .services import review_assign_submitted
        from .workspace_achievements import register as register_achievements_panel

        # A submitted video lesson gets its reviewers in the submission's transaction (activities.services).
        register_submission_handler(review_assign_submitted)
        # Cabinet sections (participants.cabinet): the rating and reviews, «Мои достижения».
        register_cabinet_sections()
        register_achievements_section()
        # The workspace panels (experts.workspace): the review of video lessons, the group's pending achievements.
        workspace.register()
        register_achievements_panel()
        # The released feedback on the teacher's video-assignment page and the reason a lesson came back
        # (activities.panels).
        panels.register()
        # The program's rubric: this app's part of a template (programs.season_parts).
        register_season_part()
        # This app's part of a person's export and erasure (participants.personal_data).
        personal_data.register()
        # Reminders to experts with reviews due (participants.reminders).
        register_reminders()
        # This app's part of an enrollment's «Журнал изменений» (participants.journal).
        register_journal()
        # receivers: the rating recomputed after the commit when its inputs change (derived data, like a cache).
