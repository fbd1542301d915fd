"""The staff groups every deployment has, kept in step with the models after each migrate."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission

from .models import User

# App labels, not imports: participants must not import the apps above it.
PORTAL_APPS = settings.PORTAL_APPS
AXES_COORDINATOR_PERMS = ("view_accessattempt", "delete_accessattempt", "view_accessfailurelog")
COORDINATORS = "Координаторы"
MANAGEMENT = "Руководство"


def user_is_coordinator(user) -> bool:
    """An active staff coordinator bound to a municipality: by the main role or by the «Координаторы» group.

    The one definition every app's permission checks use, so a coordinator added to the group in the admin is
    one everywhere (attendance and files as much as groups and achievements).
    """
    if not user.is_authenticated or not user.is_active or not user.is_staff or not user.municipality_id:
        return False
    return user.role == User.Role.COORDINATOR or user.groups.filter(name=COORDINATORS).exists()


def role_groups_after_migrate(app_config, **kwargs) -> None:
    """post_migrate receiver: the groups once per migrate (or test flush), at the last app's signal.

    Django sends post_migrate once for every app with models, in INSTALLED_APPS order, and creates each app's
    permissions in its own signal; at the last one every permission exists. Running at each app's signal did
    the same work fifteen times a migrate."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if app_config is last:
        role_groups_ensure()


def role_groups_ensure() -> dict[str, Group]:
    """Coordinators may do everything in the portal's apps; management may only look. Safe to run twice."""
    portal_perms = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    coordinators, _created = Group.objects.get_or_create(name=COORDINATORS)
    # And the sign-in lock-outs (django-axes): seeing them, and lifting one by deleting its record.
    lockout_perms = Permission.objects.filter(content_type__app_label="axes", codename__in=AXES_COORDINATOR_PERMS)
    coordinators.permissions.set(portal_perms | lockout_perms)
    management, _created = Group.objects.get_or_create(name=MANAGEMENT)
    management.permissions.set(portal_perms.filter(codename__startswith="view_"))
    return {COORDINATORS: coordinators, MANAGEMENT: management}
