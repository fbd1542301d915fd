"""The header's «Проекты» menu: the cascade's pages (сид 001) a signed-in person may open, and only where their
municipality runs that part.

One query answers the whole menu (the user's row with an EXISTS per part). It runs at sign-in and then at most
once every MENU_TTL_SECONDS; in between the menu is read from the session, which every page loads anyway, so a
page costs no query for it. A person who gains or loses a part sees the change within that time or at next sign-in.
"""

from __future__ import annotations

import time

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from participants.models import Person, User
from participants.roles import COORDINATORS, MANAGEMENT
from programs.models import Season

from .models import CommunityMember, CompetenceTheme, Project, ReserveMember, SchoolPair
from .models.communities import Community
from .models.competence_lab import LAB_PROGRAM_SLUG
from .services_reserve import LEADERS_SCHOOL_SLUG

SESSION_KEY = "projects.cascade_menu"
MENU_TTL_SECONDS = 600
PAIRS_PROGRAM_SLUG = "shkola-shkole"  # programs/program_templates/_imc_moskovsky.py

# The links in the menu's order; labels are translated when shown, so a language switch needs no new query.
LABELS = {
    "office": _("Проектный офис"),
    "communities": _("Профессиональные сообщества"),
    "reserve": _("Кадровый резерв"),
    "trajectory": _("Моя траектория"),
    "school_pairs": _("«Школа – Школе»"),
    "lab": _("Карта наставников"),
}


def _season_of_part(municipality_ref, slug: str) -> Exists:
    return Exists(Season.objects.filter(program__municipality_id=municipality_ref, program__slug=slug))


# The facts of the menu; a user's query computes only those that can change their links (cascade_facts).
FACTS = (
    "person_municipality",
    "own_communities",
    "trajectory",
    "person_pairs",
    "person_lab",
    "in_coordinators",
    "in_management",
    "office",
    "communities",
    "reserve",
    "pairs",
    "lab",
)


def cascade_facts(user) -> dict:
    """Everything the menu depends on, in one query, for every key of FACTS (False or None where not computed).

    Only what can change this user's links is computed: the municipality's parts and the role groups for an
    account bound to a municipality (coordinators and management), the pairs of one's own town for a director,
    one's own communities, trajectory and town for everyone. A teacher's sign-in, the everyday one, compiles and
    runs six subqueries instead of eighteen."""
    me = OuterRef("pk")
    person_muni = OuterRef("person_municipality")
    annotations = {
        "person_municipality": Subquery(Person.objects.filter(user_id=me).values("organisation__municipality_id")[:1]),
        "own_communities": Exists(CommunityMember.objects.filter(enrollment__person__user_id=me))
        | Exists(Community.objects.filter(curator__person__user_id=me)),
        "trajectory": Exists(ReserveMember.objects.filter(person__user_id=me)),
        "person_lab": Exists(CompetenceTheme.objects.filter(municipality_id=person_muni))
        | _season_of_part(person_muni, LAB_PROGRAM_SLUG),
    }
    if user.role == User.Role.DIRECTOR:
        annotations["person_pairs"] = Exists(
            SchoolPair.objects.filter(season__program__municipality_id=person_muni)
        ) | _season_of_part(person_muni, PAIRS_PROGRAM_SLUG)
    if user.municipality_id:
        muni = OuterRef("municipality_id")
        in_group = Group.objects.filter(user=me)
        annotations.update(
            in_coordinators=Exists(in_group.filter(name=COORDINATORS)),
            in_management=Exists(in_group.filter(name=MANAGEMENT)),
            office=Exists(Project.objects.filter(municipality_id=muni)),
            communities=Exists(Community.objects.filter(season__program__municipality_id=muni)),
            reserve=Exists(ReserveMember.objects.filter(municipality_id=muni))
            | _season_of_part(muni, LEADERS_SCHOOL_SLUG),
            pairs=Exists(SchoolPair.objects.filter(season__program__municipality_id=muni))
            | _season_of_part(muni, PAIRS_PROGRAM_SLUG),
            lab=Exists(CompetenceTheme.objects.filter(municipality_id=muni)) | _season_of_part(muni, LAB_PROGRAM_SLUG),
        )
    row = User.objects.filter(pk=user.pk).annotate(**annotations).values(*annotations).first()
    if row is None:
        return {}
    return {**dict.fromkeys(FACTS, False), "person_municipality": None, **row}


def cascade_links(user) -> list[tuple[str, str]]:
    """(key, url) of the pages the user may open, by the same rules as the pages' own checks (rules_*.py)."""
    if not user.is_authenticated or not user.is_active:
        return []
    facts = cascade_facts(user)
    if not facts:
        return []
    bound = bool(user.municipality_id)
    coordinator = bound and user.is_staff and (user.role == User.Role.COORDINATOR or facts["in_coordinators"])
    management = bound and (user.role == User.Role.MANAGEMENT or facts["in_management"])
    director = user.role == User.Role.DIRECTOR
    links: list[tuple[str, str]] = []
    # Project office: the municipality's coordinators and management read it (rules_office).
    if user.is_superuser or ((coordinator or management) and facts["office"]):
        links.append(("office", reverse("office_registry")))
    # Communities: the municipality's for its coordinator and management, one's own for a member or a curator.
    if user.is_superuser or ((coordinator or management) and facts["communities"]) or facts["own_communities"]:
        links.append(("communities", reverse("communities_index")))
    # The personnel reserve is the coordinators' (rules_reserve: management and directors do not see it).
    if coordinator and facts["reserve"]:
        links.append(("reserve", reverse("reserve_list")))
    if facts["trajectory"]:
        links.append(("trajectory", reverse("my_trajectory")))
    # «Школа – Школе»: coordinators and management of the municipality, a director of one of its schools.
    own_school_here = not bound or facts["person_municipality"] == user.municipality_id
    if ((user.is_superuser or coordinator or management) and bound and facts["pairs"]) or (
        director and own_school_here and facts["person_pairs"]
    ):
        links.append(("school_pairs", reverse("school_pairs")))
    # The lab's map: the municipality's coordinators and management, anyone working in one of its organisations.
    if (user.is_superuser or coordinator or management) and bound and facts["lab"]:
        links.append(("lab", reverse("lab_map", args=[user.municipality_id])))
    elif facts["person_municipality"] and facts["person_lab"]:
        links.append(("lab", reverse("lab_map", args=[facts["person_municipality"]])))
    return links


def remember_menu(request, user) -> list[tuple[str, str]]:
    links = cascade_links(user)
    request.session[SESSION_KEY] = {"user": user.pk, "at": int(time.time()), "links": links}
    return links


def menu_for(request) -> list[dict]:
    """The header's links: from the session while fresh, else computed (one query) and remembered."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return []
    stored = request.session.get(SESSION_KEY)
    fresh = stored and stored.get("user") == user.pk and time.time() - stored.get("at", 0) < MENU_TTL_SECONDS
    links = stored["links"] if fresh else remember_menu(request, user)
    path = request.path
    return [
        {"key": key, "label": LABELS[key], "url": url, "active": path == url or path.startswith(url) and url != "/"}
        for key, url in links
        if key in LABELS
    ]


def on_login(sender, request, user, **kwargs) -> None:
    """Filled at sign-in, so no page after it spends a query on the menu."""
    if request is not None and hasattr(request, "session"):
        remember_menu(request, user)


def context(request) -> dict:
    """Context processor: CASCADE_MENU, evaluated only by a template that shows it."""
    return {"CASCADE_MENU": SimpleLazyObject(lambda: menu_for(request))}
