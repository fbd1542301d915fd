"""Who reads the KPI dashboards and downloads, and over what scope (django-rules predicates).

Management and coordinators read their municipality (any school in it); a school's director reads their own
school only; a superuser reads everything. A scope outside one's own is answered 404, like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.http import Http404

from participants.models import Person, User
from participants.roles import MANAGEMENT, user_is_coordinator
from programs.models import Municipality, Organisation


@rules.predicate
def is_management(user) -> bool:
    """Management of an education department: by role or by the «Руководство» group, bound to a municipality."""
    if not user.is_authenticated or not user.is_active or not user.municipality_id:
        return False
    return user.role == User.Role.MANAGEMENT or user.groups.filter(name=MANAGEMENT).exists()


@rules.predicate
def is_coordinator(user) -> bool:
    return user_is_coordinator(user)


def director_organisation_id(user) -> int | None:
    """The school a director's account belongs to (through the person's organisation), if any."""
    if not user.is_authenticated or not user.is_active or user.role != User.Role.DIRECTOR:
        return None
    return Person.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True).first()


@rules.predicate
def is_school_director(user) -> bool:
    return director_organisation_id(user) is not None


can_view_kpis = rules.is_superuser | is_management | is_coordinator | is_school_director

rules.add_perm("reports.view_kpi_dashboard", can_view_kpis)


@dataclass(frozen=True)
class DashboardScope:
    """What a dashboard or a download covers; None means every one the reader may see at that level."""

    municipality: Municipality | None
    organisation: Organisation | None
    # The reader may change the municipality (superuser) / the school (everyone but a director).
    may_choose_municipality: bool
    may_choose_organisation: bool


def dashboard_scope(user, *, municipality_id: int | None = None, organisation_id: int | None = None) -> DashboardScope:
    """The scope a reader asked for, narrowed to what they may see; a forbidden or unknown one raises Http404."""
    if not user.has_perm("reports.view_kpi_dashboard"):
        raise Http404
    if user.is_superuser:
        municipality = _get(Municipality, municipality_id)
        organisation = _get(Organisation, organisation_id)
        if organisation is not None and municipality is not None and organisation.municipality_id != municipality.pk:
            raise Http404
        return DashboardScope(municipality or (organisation and organisation.municipality), organisation, True, True)
    own_school = director_organisation_id(user)
    if own_school is not None and not (is_management(user) or user_is_coordinator(user)):
        if organisation_id not in (None, own_school):
            raise Http404
        school = Organisation.objects.select_related("municipality").get(pk=own_school)
        if municipality_id not in (None, school.municipality_id):
            raise Http404
        return DashboardScope(school.municipality, school, False, False)
    if municipality_id not in (None, user.municipality_id):
        raise Http404
    municipality = Municipality.objects.get(pk=user.municipality_id)
    organisation = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id, municipality=municipality).first()
        if organisation is None:
            raise Http404
    return DashboardScope(municipality, organisation, False, True)


def _get(model, pk):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj
