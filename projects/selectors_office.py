"""The project office's reads: the registry, a project's page and the reports, each in a constant number of
queries whatever the number of projects, stages and events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from programs.models import Municipality, Season

from .models.office import OPEN_STATES, Project, ProjectEvent, ProjectStage, WorkingGroupMember, WorkState


def office_projects(municipality: Municipality, *, today: date) -> QuerySet[Project]:
    """The registry of one municipality: each project with its directions, stages and its events' tallies."""
    return (
        Project.objects.filter(municipality=municipality)
        .select_related("program", "municipality")
        .prefetch_related("directions", "stages")
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


@dataclass
class ProjectTally:
    """A project's stages and events counted by state, «просрочено» derived for `today`."""

    events: int = 0
    done: int = 0
    in_progress: int = 0
    cancelled: int = 0
    overdue: int = 0
    current_stages: list[ProjectStage] = field(default_factory=list)


def project_tally(project: Project, today: date) -> ProjectTally:
    """From the prefetched stages and events: no query."""
    tally = ProjectTally()
    for event in project.events.all():
        tally.events += 1
        tally.done += event.state == WorkState.DONE
        tally.in_progress += event.state == WorkState.IN_PROGRESS
        tally.cancelled += event.state == WorkState.CANCELLED
        tally.overdue += event.is_overdue(today)
    tally.current_stages = [s for s in project.stages.all() if s.starts_on <= today <= s.ends_on]
    return tally
