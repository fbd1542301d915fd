from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Каскад проектов")

    def ready(self):
        # What the cascade's parts register into the lower apps' registries: docs/architecture.md.
        from . import cabinet_reserve, personal_data_reserve

        # The personnel reserve: the member's trajectory in the cabinet, their records in «мои данные».
        cabinet_reserve.register()
        personal_data_reserve.register()
