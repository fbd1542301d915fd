from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Каскад проектов")

    def ready(self):
        # What this app registers into the lower apps' registries (README «Устройство»).
        from . import cabinet_communities, personal_data_communities, personal_data_competence_lab

        # Cabinet sections (participants.cabinet): the professional communities.
        cabinet_communities.register()
        # Each part's share of a person's export and erasure (participants.personal_data).
        personal_data_communities.register()
        personal_data_competence_lab.register()
