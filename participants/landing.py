"""Where a person lands after signing in: each role on its own working page, not the public home."""

from django.urls import reverse

from .models import User


def landing_url(user) -> str:
    """The first page of the signed-in user's role. Higher apps' pages are named by URL name only (no import).

    Coordinators and other staff work in the admin (its index is the coordinator's portal landing); management
    reads the KPI dashboard; a school director reads the same dashboard scoped to their school, and without a
    school (nothing to show there) the cabinet; experts their workspace; teachers their cabinet."""
    if not user.is_authenticated:
        return reverse("home")
    if user.is_superuser or user.role == User.Role.COORDINATOR:
        return reverse("admin:index") if user.is_staff or user.is_superuser else reverse("kpi_dashboard")
    if user.role == User.Role.MANAGEMENT:
        return reverse("kpi_dashboard")
    if user.role == User.Role.DIRECTOR:
        return reverse("kpi_dashboard") if user.has_perm("reports.view_kpi_dashboard") else reverse("cabinet")
    if user.role == User.Role.EXPERT:
        return reverse("expert_workspace")
    if user.is_staff:
        return reverse("admin:index")
    return reverse("cabinet")
