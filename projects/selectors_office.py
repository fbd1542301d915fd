"""The project office's reads: the registry, a project's page and the reports, each in a constant number of
queries whatever the number of projects, stages and events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from programs.models import Municipality, Season

from .models.office import OPEN_STATES, Project, ProjectEvent, ProjectStage, WorkingGroupMember, WorkState
from .selectors_trajectory import PROGRAM_SLUG as TRAJECTORY_SLUG
from .selectors_trajectory import HalfYear, seasons_intensive_halves


def office_projects(municipality: Municipality, *, today: date) -> QuerySet[Project]:
    """The registry of one municipality: each project with its directions, stages and its events' tallies, and the
    trajectory's seasons for office_intensive_gaps."""
    return (
        Project.objects.filter(municipality=municipality)
        .select_related("program", "municipality")
        .prefetch_related(
            "directions",
            "stages",
            # Only the trajectory's seasons: the registry flags its half-years without an intensive (мероприятие 6).
            Prefetch("program__seasons", queryset=Season.objects.filter(program__slug=TRAJECTORY_SLUG)),
        )
        .annotate(
            events_total=Count("events", distinct=True),
            events_done=Count("events", filter=Q(events__state=WorkState.DONE), distinct=True),
            events_overdue=Count(
                "events", filter=Q(events__state__in=OPEN_STATES, events__ends_on__lt=today), distinct=True
            ),
        )
        .order_by("position", "title")
    )


def _full(queryset: QuerySet[Project]) -> QuerySet[Project]:
    return queryset.select_related("municipality", "organisation", "program").prefetch_related(
        "directions",
        Prefetch("stages", queryset=ProjectStage.objects.order_by("order")),
        Prefetch("events", queryset=ProjectEvent.objects.select_related("stage").order_by("sort_key", "number")),
        Prefetch(
            "working_group", queryset=WorkingGroupMember.objects.select_related("person").order_by("-is_head", "order")
        ),
        Prefetch("program__seasons", queryset=Season.objects.order_by("-starts_on")),
    )


def office_project_get(pk: int) -> Project | None:
    """A project with everything its page shows, or None."""
    return _full(Project.objects.filter(pk=pk)).first()


def office_cascade(municipality: Municipality) -> list[Project]:
    """Every project of a municipality with everything the cascade's report shows."""
    return list(_full(Project.objects.filter(municipality=municipality)).order_by("position", "title"))


@dataclass(frozen=True)
class IntensiveGap:
    """A half-year of a season of «Траектория развития» that is over without an educational intensive (сид 001,
    «Траектория развития», мероприятие 6: «не менее 1 раза в учебном полугодии»)."""

    season: Season
    half: HalfYear

    def __str__(self) -> str:
        return _("Интенсив в полугодии не проводился: %(half)s, сезон «%(season)s»") % {
            "half": self.half,
            "season": self.season.title,
        }


@dataclass
class ProjectTally:
    """A project's stages and events counted by state, «просрочено» derived for `today`; for «Траектория развития»
    also the half-years left without an intensive."""

    events: int = 0
    done: int = 0
    in_progress: int = 0
    cancelled: int = 0
    overdue: int = 0
    current_stages: list[ProjectStage] = field(default_factory=list)
    intensive_gaps: list[IntensiveGap] = field(default_factory=list)


def project_tally(project: Project, today: date) -> ProjectTally:
    """From the prefetched stages and events: no query (project_rows adds the intensives' half-years)."""
    tally = ProjectTally()
    for event in project.events.all():
        tally.events += 1
        tally.done += event.state == WorkState.DONE
        tally.in_progress += event.state == WorkState.IN_PROGRESS
        tally.cancelled += event.state == WorkState.CANCELLED
        tally.overdue += event.is_overdue(today)
    tally.current_stages = [s for s in project.stages.all() if s.starts_on <= today <= s.ends_on]
    return tally


def office_intensive_gaps(projects, *, today: date) -> dict[int, list[IntensiveGap]]:
    """Project id → its half-years without an intensive, read by the trajectory's own selector
    (selectors_trajectory.seasons_intensive_halves, the same that flags them on the trajectory's page) over the
    seasons of the project's program prefetched by _full: one query for all of the trajectory's seasons, none when
    no project given runs «Траектория развития»."""
    trajectory = [p for p in projects if p.program_id is not None and p.program.slug == TRAJECTORY_SLUG]
    gaps: dict[int, list[IntensiveGap]] = {}
    by_zone: dict[str, list[Project]] = {}
    for project in trajectory:
        by_zone.setdefault(project.municipality.time_zone, []).append(project)
    for time_zone, group in by_zone.items():
        seasons = [season for project in group for season in project.program.seasons.all()]
        halves = seasons_intensive_halves(seasons, time_zone=time_zone, today=today)
        for project in group:
            gaps[project.pk] = [
                IntensiveGap(season=season, half=row.half)
                for season in sorted(project.program.seasons.all(), key=lambda s: (s.starts_on, s.pk))
                for row in halves[season.pk]
                if row.missing
            ]
    return gaps


def project_rows(projects, today: date) -> list[tuple[Project, ProjectTally]]:
    """Each project (prefetched by office_project_get or office_cascade) with its tally: what the project's card, the
    report page, its XLSX and its PDF show; one query at most, for the trajectory's intensives."""
    gaps = office_intensive_gaps(projects, today=today)
    rows = []
    for project in projects:
        tally = project_tally(project, today)
        tally.intensive_gaps = gaps.get(project.pk, [])
        rows.append((project, tally))
    return rows
