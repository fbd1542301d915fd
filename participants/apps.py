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
        from .receivers import load_feedback_questions  # noqa: F401  (connects the template and clone receivers)
        from .roles import role_groups_ensure

        post_migrate.connect(role_groups_ensure, dispatch_uid="participants.role_groups_ensure")
        register_feedback_sections()
        register_personal_data()
        register_cabinet_models()
        # This app's part of an enrollment's «Журнал изменений» (participants.journal).
        from .journal import register as register_journal

        register_journal()
