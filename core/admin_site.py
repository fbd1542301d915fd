"""The portal's admin site: Django's, with the navigation list's names read once per page.

Django sorts the apps and models of the sidebar (shown on every admin page) by their lazily translated names;
sorting lazy strings translates both sides of every comparison — some 400 gettext calls for the 51 models a
coordinator sees. Turning each name into text once gives the same list, in the same order.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig

from core.admin_choices import LabelledAutocompleteJsonView


class PortalAdminSite(AdminSite):
    def _build_app_dict(self, request, label=None):
        app_dict = super()._build_app_dict(request, label)
        for app in app_dict.values():
            app["name"] = str(app["name"])
            for model in app["models"]:
                model["name"] = str(model["name"])
        return app_dict

    def autocomplete_view(self, request):
        # Autocomplete answers name rows as the admin's selects do (core.admin_choices).
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site as `admin.site` (INSTALLED_APPS)."""

    default_site = "core.admin_site.PortalAdminSite"
