"""The staff groups every deployment has, kept in step with the models after each migrate."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

# App labels, not imports: participants must not import the apps above it.
PORTAL_APPS = ("programs", "participants", "experts", "activities", "ratings", "reports")
COORDINATORS = "Координаторы"
MANAGEMENT = "Руководство"
GROUP_LABELS = {COORDINATORS: _("Координаторы"), MANAGEMENT: _("Руководство")}


def role_groups_ensure(**kwargs) -> dict[str, Group]:
    """Coordinators may do everything in the portal's apps; management may only look. Safe to run twice."""
    portal_perms = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    coordinators, _created = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.set(portal_perms)
    management, _created = Group.objects.get_or_create(name=MANAGEMENT)
    management.permissions.set(portal_perms.filter(codename__startswith="view_"))
    return {COORDINATORS: coordinators, MANAGEMENT: management}
