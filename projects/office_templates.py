"""The project office's templates (сид 001): `load_programs` brings the centre's six projects into the registry
with their stages, events and working groups, dates moved into the current academic year(s).

The seed's dates lie in 2019–2025. Each is moved by whole years so that the seed's own academic year (2021–2022)
becomes the current one: months and lengths stay, the projects keep their order in time, and the seed's dates are
kept in the stage's description («по сиду: 08.2021 – 01.2022») and the event's schedule. A yearly event
(«ежегодно, ноябрь-декабрь», «в течение года») takes its months in the current academic year
(docs/decisions/0010, «Даты шаблонов»).

Built from today's date by `office_templates_apply`: a second run the same day changes nothing, and the state a
coordinator recorded (with its note) is never touched.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from programs import academic_dates
from programs.academic_dates import seed_note
from programs.models import Municipality, Organisation, Program
from programs.program_templates import _imc_moskovsky as place
from programs.templates_service import CREATED, UNCHANGED, UPDATED, upsert

from .models.office import Project, ProjectDirection, ProjectEvent, ProjectStage, WorkingGroupMember
from .office_seed import PROJECTS


def dates_of(when: tuple, today: date) -> tuple[date, date]:
    """The first and last day of a seed's `when` (projects.office_seed) in the current academic year(s)."""
    return academic_dates.dates_of(when, today, place.SEED_ACADEMIC_YEAR)


def _count(changes: Counter, result: str) -> None:
    changes[result] += 1


@transaction.atomic
def office_templates_apply(*, today: date, changes: Counter) -> Municipality:
    """Creates or updates the six projects of ИМЦ Московского района; records what happened in `changes`."""
    municipality, result = upsert(
        Municipality,
        lookup={"name": place.MUNICIPALITY["name"]},
        defaults={},
        create_only={"region": place.MUNICIPALITY["region"], "time_zone": place.MUNICIPALITY["time_zone"]},
    )
    _count(changes, result)
    centre = Organisation.objects.filter(municipality=municipality, short_name=place.IMC).first()
    programs = {p.slug: p for p in Program.objects.filter(slug__in=[s["slug"] for s in PROJECTS])}
    for position, spec in enumerate(PROJECTS, start=1):
        project, result = upsert(
            Project,
            lookup={"municipality": municipality, "slug": spec["slug"]},
            defaults={
                "title": spec["title"],
                "organisation": centre,
                "position": position,
                "unique_idea": spec.get("unique_idea", ""),
                "goal": spec.get("goal", ""),
                "tasks": spec.get("tasks", ""),
                "summary": spec.get("summary", ""),
                "participants_text": spec.get("participants_text", ""),
                "funding": spec.get("funding", ""),
                "normative_documents": spec.get("normative_documents", ""),
                "expected_results": spec.get("expected_results", ""),
                "program": programs.get(spec["slug"]),
            },
        )
        _count(changes, result)
        for direction in spec["directions"]:
            _row, result = upsert(ProjectDirection, lookup={"project": project, "direction": direction}, defaults={})
            _count(changes, result)
        stages = []
        for order, (kind, when, schedule, description) in enumerate(spec["stages"], start=1):
            starts_on, ends_on = dates_of(when, today)
            note = seed_note(when)
            stage, result = upsert(
                ProjectStage,
                lookup={"project": project, "order": order},
                defaults={
                    "kind": kind,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "schedule": schedule,
                    "description": "\n".join(part for part in (description, note) if part),
                },
            )
            stages.append(stage)
            _count(changes, result)
        for number, title, when, schedule, expected, *rest in spec["events"]:
            starts_on, ends_on = dates_of(when, today)
            stage = _stage_of(stages, starts_on, rest)
            responsible = next((r for r in rest if isinstance(r, str)), "")
            _row, result = upsert(
                ProjectEvent,
                lookup={"project": project, "number": number},
                defaults={
                    "title": title,
                    "stage": stage,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "schedule": schedule,
                    "expected_result": expected,
                    "responsible": responsible,
                },
            )
            _count(changes, result)
        for order, (full_name, position_text) in enumerate(spec["group"], start=1):
            _row, result = upsert(
                WorkingGroupMember,
                lookup={"project": project, "order": order},
                defaults={"full_name": full_name, "position": position_text, "is_head": True},
            )
            _count(changes, result)
    return municipality


def _stage_of(stages: list[ProjectStage], starts_on: date, rest: list) -> ProjectStage | None:
    explicit = next((r for r in rest if isinstance(r, int)), None)
    if explicit is not None:
        return stages[explicit]
    return next((s for s in stages if s.starts_on <= starts_on <= s.ends_on), None)


def office_templates_load(*, today: date, changes: Counter) -> str:
    """The `load_programs` step (programs.template_loaders): one line for the command's output."""
    before = Counter(changes)
    office_templates_apply(today=today, changes=changes)
    done = changes - before
    return _(
        "Проектный офис ИМЦ Московского района: %(n)d проектов (записей создано: %(c)d, обновлено: %(u)d, без "
        "изменений: %(s)d)"
    ) % {"n": len(PROJECTS), "c": done[CREATED], "u": done[UPDATED], "s": done[UNCHANGED]}
