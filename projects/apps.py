from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Каскад проектов")

    def ready(self):
        # What the cascade's parts register into the lower apps' registries (docs/architecture.md, README «Устройство»).
        from django.contrib.auth.signals import user_logged_in

        from programs.template_loaders import register_template_loader

        from . import (
            cabinet_communities,
            cabinet_reserve,
            cabinet_trajectory,
            navigation,
            personal_data_communities,
            personal_data_competence_lab,
            personal_data_office,
            personal_data_reserve,
        )
        from .office_templates import office_templates_load
        from .services_competence_lab import competence_lab_templates_load

        # `load_programs` brings the centre's six projects into the project office's registry (сид 001) and the
        # example themes onto the competence lab's mentor map.
        register_template_loader(office_templates_load)
        register_template_loader(competence_lab_templates_load)
        # Cabinet sections (participants.cabinet): the professional communities, the reserve member's trajectory,
        # «Траектория развития» (mentor communities, mentoring practices, the next intensive).
        cabinet_communities.register()
        cabinet_reserve.register()
        cabinet_trajectory.register()
        # Each part's share of a person's export and erasure (participants.personal_data).
        personal_data_communities.register()
        personal_data_competence_lab.register()
        personal_data_office.register()
        personal_data_reserve.register()
        # The header's «Проекты» menu is worked out at sign-in, so pages after it spend no query on it.
        user_logged_in.connect(navigation.on_login, dispatch_uid="projects.cascade_menu")
