from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Участники")

    def ready(self):
        from . import cabinet, cabinet_subscription, middleware, rules  # noqa: F401  (sections; login receiver; rules)
        from .cabinet_models import register as register_cabinet_models
        from .feedback_cabinet import register as register_feedback_sections
        from .personal_data import register as register_personal_data
        from .roles import role_groups_ensure

        post_migrate.connect(role_groups_ensure, dispatch_uid="participants.role_groups_ensure")
        # The quarterly feedback questions, this app's part of a template and of a relaunch (programs.season_parts).
        from .season_parts import register as register_season_part

        register_season_part()
        register_feedback_sections()
        register_personal_data()
        register_cabinet_models()
        # This app's part of an enrollment's «Журнал изменений» (participants.journal).
        from .journal import register as register_journal

        register_journal()
        # A data-version bump lost to a cache outage is replayed for every process through the task outbox.
        from programs import cache_versions

        from .task_outbox import cache_bump_keep

        cache_versions.lost_bump_handler = cache_bump_keep
