"""Business rules for programs and seasons."""

import re
from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rule_sources
from .models import OrganisationYearFacts, RoadmapModule, Season
from .program_templates import templates_for
from .season_parts import season_parts
from .signals import rows_changed


def shift_years(value: date | datetime | None, years: int):
    """The same calendar moment `years` later; 29 February becomes 28 February."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


@transaction.atomic
def season_clone(*, source: Season, title: str | None = None, years: int = 1) -> Season:
    """Copy a season for a relaunch: its settings and roadmap moved `years` on, then every app's parts.

    Enrollments, attendance and submissions stay with the old season: a relaunch starts empty.
    """
    if years < 1:
        raise ValueError("years must be positive")
    if title is None:
        title = _shifted_title(source.title, years)
    if Season.objects.filter(program_id=source.program_id, title=title).exists():
        raise ValidationError(_("У программы уже есть сезон «%(title)s»: выберите другое название.") % {"title": title})
    target = Season.objects.get(pk=source.pk)
    target.pk = None
    target.id = None
    target._state.adding = True
    target.title = title
    target.cloned_from = source
    # A relaunch starts with videos closed to the team at large: opening them is a decision about this season.
    target.videos_open_to_experts, target.videos_open_reason = False, ""
    for field in rule_sources.DATE_RULES:
        setattr(target, field, shift_years(getattr(source, field), years))
    # The order's dates were the source season's; the shifted ones are the portal's until a coordinator sets them.
    target.rule_sources = {k: v for k, v in (source.rule_sources or {}).items() if k not in rule_sources.DATE_RULES}
    target.save()

    module_map = {}
    for module in source.modules.order_by("order"):
        module_map[module.pk] = RoadmapModule.objects.create(
            season=target,
            order=module.order,
            number=module.number,
            title=module.title,
            description=module.description,
            starts_on=shift_years(module.starts_on, years),
            ends_on=shift_years(module.ends_on, years),
            learning_formats=list(module.learning_formats),
        )
    # Every app copies its part, in the layering order (programs.season_parts).
    for part in season_parts():
        if part.clone is not None:
            part.clone(source=source, target=target, years=years, module_map=module_map)
    return target


def _shifted_title(title: str, years: int) -> str:
    """«2024–2025» becomes «2025–2026»; any other title gets the years appended to be unique."""

    def bump(match):
        return str(int(match.group(0)) + years)

    shifted = re.sub(r"(?<!\d)(19|20)\d\d(?!\d)", bump, title)
    return shifted if shifted != title else f"{title} (+{years})"


def _template_season(season: Season) -> dict | None:
    """The ready template's season section for the season's program, or None for a program built by hand."""
    # The cascade's templates are dated by academic year: the season's own start names its year.
    templates = templates_for(season.starts_on)
    return next((t["season"] for t in templates if t["program"]["slug"] == season.program.slug), None)


def season_rule_sources_note(*, season: Season, changed: list[str] | tuple[str, ...], today=None) -> list[str]:
    """Record where the season's rules now come from after a coordinator changed `changed` fields.

    A rule set back to the value its template (or, for a program built by hand, the portal) gives takes that
    source again; a rule moved away reads «изменено координатором <дата>». Sets `season.rule_sources` for the
    caller's save and returns the rule keys whose source changed.
    """
    template = _template_season(season) or {}
    template_sources = template.get("rule_sources", {})
    today = today or timezone.localdate(timezone=season.tz)
    sources = dict(season.rule_sources or {})
    touched = []
    for key in changed:
        if key not in rule_sources.RULE_FIELDS:
            continue
        field = Season._meta.get_field(key)
        baseline = template[key] if key in template else field.get_default()
        if getattr(season, key) == baseline:
            new = template_sources.get(key, "")
        else:
            new = rule_sources.changed_source(today)
        if sources.get(key, "") != new:
            touched.append(key)
            if new:
                sources[key] = new
            else:
                sources.pop(key, None)
    season.rule_sources = sources
    return touched


# --- Schools with low results by year (сид 001, «Школа – Школе») ----------------------------------------------


@transaction.atomic
def organisation_low_results_mark(*, organisation_ids: Iterable[int], year: int, low_results: bool) -> int:
    """Record for `year` that the organisations were (or were not) schools with low results: their yearly facts
    of that year get the mark (created where missing, the other facts left as they are). An organisation's current
    mark is read from its latest year (programs.models.low_results_exists), so nothing else follows.
    Set-based: two queries and an insert whatever the number of organisations."""
    ids = set(organisation_ids)
    existing = OrganisationYearFacts.objects.filter(organisation_id__in=ids, year=year)
    have = set(existing.values_list("organisation_id", flat=True))
    existing.update(low_results=low_results)
    OrganisationYearFacts.objects.bulk_create(
        [OrganisationYearFacts(organisation_id=pk, year=year, low_results=low_results) for pk in sorted(ids - have)]
    )
    rows_changed.send(sender=OrganisationYearFacts)
    return len(ids)
