from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Участники")

    def ready(self):
        # The registries this app defines and what it registers into them: docs/architecture.md.
        from . import cabinet, cabinet_subscription, middleware, rules  # noqa: F401  (middleware: login receiver)
        from .feedback_cabinet import register as register_feedback_sections
        from .journal import register as register_journal
        from .personal_data import register as register_personal_data
        from .roles import role_groups_after_migrate
        from .season_parts import register as register_season_part

        post_migrate.connect(role_groups_after_migrate, dispatch_uid="participants.role_groups_after_migrate")
        # Cabinet sections (participants.cabinet): the profile and enrollments, the subscription, feedback.
        cabinet.register()
        cabinet_subscription.register()
        register_feedback_sections()
        # The quarterly feedback questions: this app's part of a template and of a relaunch (programs.season_parts).
        register_season_part()
        # This app's part of a person's export, erasure and retention (participants.personal_data).
        register_personal_data()
        # This app's part of an enrollment's «Журнал изменений» (participants.journal).
        register_journal()
