"""The personnel reserve in the admin: the coordinator's read-only list of their municipality's reserve.

Every write goes through the reserve's pages (projects.views_reserve), where the services keep the status steps,
their decisions and reasons; the diagnostics (confidential, сид 001, 2.6) are not in the admin at all.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import admin_grammar
from core.admin_grammar import MASCULINE_ANIMATE, Forms
from programs.admin_mixins import MunicipalityScopedAdmin

from .models.reserve import ReserveMember

admin_grammar.register(
    ReserveMember,
    Forms(
        MASCULINE_ANIMATE,
        "член кадрового резерва",
        accusative="члена кадрового резерва",
        accusative_plural="членов кадрового резерва",
        few="члена кадрового резерва",
        many="членов кадрового резерва",
    ),
)


@admin.register(ReserveMember)
class ReserveMemberAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["full_name", "organisation", "status", "status_changed_on", "source", "listed_on", "page"]
    list_filter = ["status", "source"]
    search_fields = ["person__last_name", "person__first_name"]
    list_select_related = ["person", "organisation"]
    fields = [
        "person",
        "organisation",
        "position",
        "source",
        "status",
        "status_changed_on",
        "status_reason",
        "listed_on",
        "included_on",
        "decision",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # members are listed on the reserve's page, where the service checks the person

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a member leaves the reserve by a status step with its reason, never by deletion

    @admin.display(description=_("ФИО"), ordering="person__last_name")
    def full_name(self, obj):
        return obj.person.full_name

    @admin.display(description=_("Страница"))
    def page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("reserve_member", args=[obj.pk]), _("открыть"))
