"""Loading ready program templates (programs/program_templates) idempotently.

`programs` writes its own rows here; each higher app loads its section of the template in the part it registers
in programs.season_parts, using `upsert` so that a second run writes nothing.
"""

from collections import Counter
from typing import Any

from django.db import models, transaction

from .models import Municipality, Organisation, OrganisationYearFacts, Program, RoadmapModule, Season, Subject
from .season_parts import season_parts

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


def upsert(
    model: type[models.Model],
    *,
    lookup: dict[str, Any],
    defaults: dict[str, Any],
    create_only: dict[str, Any] | None = None,
) -> tuple[models.Model, str]:
    """Find a row by its natural key, create it or bring it to `defaults`; writes nothing if already equal.

    `create_only` values are set on creation and left alone afterwards (e.g. a rubric's «current» flag).
    Returns the row and what happened: CREATED, UPDATED or UNCHANGED.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults, **(create_only or {}))
        obj.full_clean()
        obj.save()
        return obj, CREATED
    changed = [name for name, value in defaults.items() if not _same(obj, name, value)]
    if not changed:
        return obj, UNCHANGED
    for name in changed:
        setattr(obj, name, defaults[name])
    obj.full_clean()
    obj.save(update_fields=changed)
    return obj, UPDATED


def _same(obj: models.Model, name: str, value: Any) -> bool:
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    # Aware datetimes compare as instants, Decimals by value: 1.5 == 1.50 and 15:00 YEKT == 10:00 UTC.
    return getattr(obj, name) == value


@transaction.atomic
def program_template_apply(*, template: dict, changes: Counter | None = None) -> Season:
    """Create or update a program from a template: its season, roadmap and every app's section.

    `changes`, when given, receives counts of created, updated and unchanged rows across all apps.
    """
    changes = changes if changes is not None else Counter()

    def track(result: tuple[models.Model, str]):
        obj, what = result
        changes[what] += 1
        return obj

    muni = template["municipality"]
    municipality = track(
        upsert(
            Municipality,
            lookup={"name": muni["name"]},
            defaults={"region": muni["region"], "time_zone": muni["time_zone"]},
        )
    )
    organisations = {}
    for org in template.get("organisations", []):
        organisations[org["short_name"]] = track(
            upsert(
                Organisation,
                lookup={"municipality": municipality, "short_name": org["short_name"]},
                defaults={"name": org["name"], "kind": org.get("kind", Organisation.Kind.SCHOOL)},
            )
        )
        # The yearly facts the template states (a ШНОР mark of the template's year); the other facts of that year
        # and the other years stay as the coordinator entered them.
        for facts in org.get("year_facts", []):
            values = dict(facts)
            year = values.pop("year")
            track(
                upsert(
                    OrganisationYearFacts,
                    lookup={"organisation": organisations[org["short_name"]], "year": year},
                    defaults=values,
                )
            )
    for name in template.get("subjects", []):
        track(upsert(Subject, lookup={"name": name}, defaults={}))

    prog = dict(template["program"])
    slug = prog.pop("slug")
    organiser_name = prog.pop("organiser")
    organiser = organisations.get(organiser_name) or Organisation.objects.get(
        municipality=municipality, short_name=organiser_name
    )
    program = track(
        upsert(
            Program,
            lookup={"slug": slug},
            defaults={**prog, "municipality": municipality, "organiser": organiser},
        )
    )

    season_data = dict(template["season"])
    title = season_data.pop("title")
    season_data.setdefault("time_zone", municipality.time_zone)
    season = track(upsert(Season, lookup={"program": program, "title": title}, defaults=season_data))

    module_map = {}
    for module in template.get("modules", []):
        data = dict(module)
        order = data.pop("order")
        module_map[order] = track(upsert(RoadmapModule, lookup={"season": season, "order": order}, defaults=data))

    # Every app loads its section, in the layering order (programs.season_parts).
    for part in season_parts():
        if part.load_template is not None:
            changes.update(part.load_template(season=season, template=template, module_map=module_map))
    return season
