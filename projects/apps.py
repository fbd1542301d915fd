from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Каскад проектов")

    def ready(self):
        from programs.template_loaders import register_template_loader

        from . import personal_data
        from .office_templates import office_templates_load

        # `load_programs` brings the centre's six projects into the project office's registry (сид 001).
        register_template_loader(office_templates_load)
        # This app's part of a person's export and erasure (participants.personal_data).
        personal_data.register()
