from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Участники")

    def ready(self):
        from . import cabinet, cabinet_subscription, middleware, rules  # noqa: F401  (sections; login receiver; rules)
        from .feedback_cabinet import register as register_feedback_sections
        from .personal_data import register as register_personal_data
        from .receivers import load_feedback_questions  # noqa: F401  (connects the template and clone receivers)
        from .roles import role_groups_ensure

        post_migrate.connect(role_groups_ensure, dispatch_uid="participants.role_groups_ensure")
        register_feedback_sections()
        register_personal_data()
        # This app's part of an enrollment's «Журнал изменений» (participants.journal).
        from .journal import register as register_journal

        register_journal()
        # A data-version bump lost to a cache outage is replayed for every process through the task outbox.
        from programs import cache_versions

        from .task_outbox import cache_bump_keep

        cache_versions.lost_bump_handler = cache_bump_keep
