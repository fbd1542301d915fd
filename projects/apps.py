from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Каскад проектов")

    def ready(self):
        from . import cabinet_communities, personal_data_communities  # noqa: F401

        # Cabinet sections (participants.cabinet): the professional communities.
        cabinet_communities.register()
