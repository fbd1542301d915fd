"""The portal's admin site: Django's, with the navigation list's names read once per page, and every registered
admin speaking grammatical Russian (core.admin_grammar).

Django sorts the apps and models of the sidebar (shown on every admin page) by their lazily translated names;
sorting lazy strings translates both sides of every comparison — some 400 gettext calls for the 51 models a
coordinator sees. Turning each name into text once gives the same list, in the same order.
"""

from django.contrib import messages
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext

from core import admin_grammar
from core.admin_choices import LabelledAutocompleteJsonView


class RussianGrammarAdminMixin:
    """Django's titles, the delete action's name and the success messages with the model's name declined.

    The titles are replaced in the unrendered response only where they are still Django's own text, so an admin
    that sets a title of its own keeps it; nothing here runs a query."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        forms = admin_grammar.forms_for(self.opts)
        if forms is not None and "delete_selected" in actions:
            func, name, _description = actions["delete_selected"]
            # get_action_choices formats the description with %: the declined name holds no placeholder.
            actions["delete_selected"] = (func, name, admin_grammar.delete_selected_label(forms).replace("%", "%%"))
        return actions

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        forms = admin_grammar.forms_for(self.opts)
        context = getattr(response, "context_data", None)
        if forms is None or context is None or getattr(response, "is_rendered", True):
            return response
        name = self.opts.verbose_name
        title = str(context.get("title", ""))
        modes = {
            gettext("Select %s to change") % name: {"change": True, "popup": False},
            gettext("Select %s to view") % name: {"change": False, "popup": False},
            gettext("Select %s") % name: {"change": False, "popup": True},
        }
        if title in modes:
            context["title"] = admin_grammar.changelist_title(forms, **modes[title])
        if "objects_name" in context:
            # The delete action's confirmation: «Удалить выбранные рецензии», «удалить выбранных пользователей».
            context["objects_name"] = forms.accusative_plural
            if str(context.get("title", "")) == gettext("Delete multiple objects"):
                context["title"] = admin_grammar.delete_selected_label(forms)
            case = "perms" if context.get("perms_lacking") else "protected" if context.get("protected") else "confirm"
            context["grammar_delete_text"] = admin_grammar.delete_selected_text(forms, case=case)
        if "selection_note" in context:
            context["selection_note"] = admin_grammar.selection_note(len(context["cl"].result_list))
        return response

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        forms = admin_grammar.forms_for(self.opts)
        context = getattr(response, "context_data", None)
        if forms is None or context is None or getattr(response, "is_rendered", True) or "object" not in context:
            return response
        title = str(context.get("title", ""))
        if title == gettext("Delete"):
            context["title"] = admin_grammar.delete_title(forms)
        elif title == gettext("Cannot delete %(name)s") % {"name": self.opts.verbose_name}:
            context["title"] = admin_grammar.delete_title(forms, possible=False)
        # templates/admin/delete_confirmation.html shows this sentence in place of Django's.
        case = "perms" if context.get("perms_lacking") else "protected" if context.get("protected") else "confirm"
        context["grammar_delete_text"] = admin_grammar.delete_text(forms, context["object"], case=case)
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        forms = admin_grammar.forms_for(self.opts)
        context = getattr(response, "context_data", None)
        if forms is None or context is None or getattr(response, "is_rendered", True):
            return response
        name = self.opts.verbose_name
        modes = {
            gettext("Add %s") % name: "add",
            gettext("Change %s") % name: "change",
            gettext("View %s") % name: "view",
        }
        mode = modes.get(str(context.get("title", "")))
        if mode is not None:
            context["title"] = admin_grammar.changeform_title(forms, mode)
        return response

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False):
        reworded = admin_grammar.reworded_message(self.opts, message)
        super().message_user(request, message if reworded is None else reworded, level, extra_tags, fail_silently)


class PortalAdminSite(AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin, the portal's and the libraries' (auth, axes), gets the Russian grammar mixin."""
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, RussianGrammarAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (RussianGrammarAdminMixin, admin_class),
                {
                    "__module__": admin_class.__module__,
                    "__qualname__": admin_class.__qualname__,
                    "__doc__": admin_class.__doc__,
                },
            )
        super().register(model_or_iterable, admin_class, **options)

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
