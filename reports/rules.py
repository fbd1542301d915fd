"""Who reads the KPI dashboards and downloads, and over what scope (django-rules predicates).

Management and coordinators read their municipality (any school in it); a school's director reads their own
school only; a superuser reads everything. A scope outside one's own is answered 404, like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.db.models import QuerySet
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


def dashboard_scope(
    user,
    *,
    municipality_id: int | None = None,
    organisation_id: int | None = None,
    municipalities: QuerySet[Municipality] | None = None,
) -> DashboardScope:
    """The scope a reader asked for, narrowed to what they may see; a forbidden or unknown one raises Http404.
    `municipalities` is where the asked-for or the reader's own municipality is read from (a caller may annotate
    it with what it needs along with the row)."""
    if not user.has_perm("reports.view_kpi_dashboard"):
        raise Http404
    municipalities = Municipality.objects.all() if municipalities is None else municipalities
    if user.is_superuser:
        municipality = _get(municipalities, municipality_id)
        organisation = _get(Organisation.objects.all(), organisation_id)
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
    municipality = municipalities.get(pk=user.municipality_id)
    organisation = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id, municipality=municipality).first()
        if organisation is None:
            raise Http404
    return DashboardScope(municipality, organisation, False, True)


def _get(qs: QuerySet, pk):
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


# --- Half-year monitoring (seed 002, разд. 7): the object is the snapshot's municipality ---------------------
# Coordinators of the municipality (МКУ «ЦРО» carries out the monitoring, п. 7.2) write the analysis and the
# recommendations; its management and school directors read them; anyone else is answered 404.


@rules.predicate
def coordinates_municipality(user, municipality) -> bool:
    return municipality is not None and user_is_coordinator(user) and user.municipality_id == municipality.pk


@rules.predicate
def manages_municipality(user, municipality) -> bool:
    return municipality is not None and is_management(user) and user.municipality_id == municipality.pk


@rules.predicate
def directs_a_school_of(user, municipality) -> bool:
    school = director_organisation_id(user) if municipality is not None else None
    return school is not None and Organisation.objects.filter(pk=school, municipality_id=municipality.pk).exists()


can_edit_monitoring = rules.is_superuser | coordinates_municipality
can_read_monitoring = can_edit_monitoring | manages_municipality | directs_a_school_of

# Not model permissions' names: the «Руководство» group's view_* permissions must not open every municipality.
rules.add_perm("reports.read_half_year_monitoring", can_read_monitoring)
rules.add_perm("reports.edit_half_year_monitoring", can_edit_monitoring)


def monitoring_home_municipality(user) -> Municipality | None:
    """The municipality whose monitoring a reader opens by default: their own, or their school's."""
    if not user.is_authenticated:
        return None
    school = director_organisation_id(user)
    if school is not None and not (is_management(user) or user_is_coordinator(user)):
        return Municipality.objects.filter(organisations__pk=school).first()
    if user.municipality_id:
        return Municipality.objects.filter(pk=user.municipality_id).first()
    return None
