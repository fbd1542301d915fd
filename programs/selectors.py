"""Reads of programs for the public pages, each a fixed number of queries whatever the data.

The roadmap's activities, sessions and expert roles live in higher apps; they are reached here through
reverse relations only (`season.modules`, `module.activities`, `season.expert_roles`), never by import.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Program, RoadmapModule, Season


def registration_state(season: Season | None, now: datetime) -> str:
    """ "open", "upcoming", "closed", or "" without a season: what the page says about registration."""
    if season is None:
        return ""
    if season.registration_is_open(now):
        return "open"
    return "upcoming" if now < season.registration_opens_at else "closed"


@dataclass
class ProgramCard:
    """A program on the home page with the season that puts it there (None when it has no season)."""

    program: Program
    season: Season | None
    registration_open: bool = False
    running: bool = False
    registration: str = ""
    finished: bool = False


@dataclass
class HomeListing:
    open_for_registration: list[ProgramCard] = field(default_factory=list)
    running: list[ProgramCard] = field(default_factory=list)
    other: list[ProgramCard] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.open_for_registration or self.running or self.other)


def published_programs() -> QuerySet[Program]:
    """Published programs with their organiser, municipality and seasons (latest first): two queries."""
    return (
        Program.objects.filter(is_published=True)
        .select_related("organiser", "municipality")
        .prefetch_related(
            Prefetch(
                "seasons",
                queryset=Season.objects.order_by("-starts_on", "-pk"),
                to_attr="seasons_latest_first",
            )
        )
        .order_by("title", "pk")
    )


def home_listing(*, now: datetime | None = None) -> HomeListing:
    """Programs sorted for the home page: registration open, running now, and the rest.

    A program appears once, in the first section that fits; the season shown is the one that put it there,
    or its latest season for the rest.
    """
    now = now or timezone.now()
    listing = HomeListing()
    for program in published_programs():
        seasons = program.seasons_latest_first
        open_season = next((s for s in seasons if s.registration_is_open(now)), None)
        running_season = next((s for s in seasons if s.is_running(timezone.localdate(now, s.tz))), None)
        if open_season is not None:
            running = open_season.is_running(timezone.localdate(now, open_season.tz))
            card = ProgramCard(program, open_season, registration_open=True, running=running, registration="open")
            listing.open_for_registration.append(card)
        elif running_season is not None:
            card = ProgramCard(
                program, running_season, running=True, registration=registration_state(running_season, now)
            )
            listing.running.append(card)
        else:
            latest = seasons[0] if seasons else None
            finished = latest is not None and latest.ends_on < timezone.localdate(now, latest.tz)
            listing.other.append(
                ProgramCard(program, latest, registration=registration_state(latest, now), finished=finished)
            )
    return listing


@dataclass
class ProgramPage:
    program: Program
    season: Season | None
    # (module, its activities in order), modules in roadmap order.
    timeline: list[tuple[RoadmapModule, list]] = field(default_factory=list)
    # Activities of the season placed in no module.
    loose_activities: list = field(default_factory=list)
    expert_roles: list = field(default_factory=list)
    registration: str = ""


def program_page(*, slug: str) -> ProgramPage:
    """A published program with its latest season's roadmap and expert team, or Http404.

    Six queries: program, season, modules, activities, sessions, expert roles — whatever their sizes.
    """
    try:
        program = Program.objects.select_related("organiser", "municipality").get(slug=slug, is_published=True)
    except Program.DoesNotExist as exc:
        raise Http404("No such published program") from exc
    season = (
        Season.objects.filter(program=program)
        .order_by("-starts_on", "-pk")
        .prefetch_related(
            Prefetch("modules", queryset=RoadmapModule.objects.order_by("order", "pk")),
            # Activity's own ordering (module order, order, pk) and Session's (start) apply here.
            "activities__sessions",
            "expert_roles",
        )
        .first()
    )
    page = ProgramPage(program=program, season=season, registration=registration_state(season, timezone.now()))
    if season is None:
        return page
    by_module: dict[int | None, list] = {}
    for activity in season.activities.all():
        by_module.setdefault(activity.module_id, []).append(activity)
    page.timeline = [(module, by_module.get(module.pk, [])) for module in season.modules.all()]
    page.loose_activities = by_module.get(None, [])
    page.expert_roles = list(season.expert_roles.all())
    return page
