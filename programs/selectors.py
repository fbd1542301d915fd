"""Reads of programs for the public pages, each a fixed number of queries whatever the data.

The roadmap's activities, sessions and expert roles live in higher apps; they are reached here through
reverse relations only (`season.modules`, `module.activities`, `season.expert_roles`), never by import.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.zones import moment_text

from . import rule_sources
from .models import EducationLevel, Organisation, Program, RoadmapModule, Season


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
    # «Правила программы»: [(group title, [SeasonRule])], each rule with its source.
    rules: list = field(default_factory=list)


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
    page.rules = season_rule_groups(season)
    return page


# --- The season's rules with their sources ----------------------------------------------------------------


@dataclass(frozen=True)
class SeasonRule:
    """One outcome-deciding rule as people read it: what it is, its value, and the order's clause behind it."""

    key: str
    group: str
    label: str
    value: str
    source: str
    # No source recorded: the portal's default, which a coordinator may change.
    is_default: bool


_NON_FIELD_LABELS = {
    "certificates": lambda: _("сертификат за посещённое мероприятие"),
    "rating": lambda: _("рейтинг участников"),
}


def _non_field_value(season: Season, key: str) -> str:
    if key == "certificates":
        return _(
            "за каждое посещённое мероприятие, дающее сертификат, после его окончания; "
            "за встречи получения обратной связи не выдаётся"
        )
    return _("баллы за посещаемость, видеоуроки и подтверждённые достижения; веса ниже")


def _days(n: int) -> str:
    # Django's own msgid: its Russian catalogue has the three plural forms (1 день, 2 дня, 5 дней).
    return ngettext("%(num)d day", "%(num)d days", n) % {"num": n}


def _shown(season: Season, key: str) -> str:
    """The rule's value in words, dates in the season's zone."""
    if key in rule_sources.NON_FIELD_RULES:
        return _non_field_value(season, key)
    model_field = Season._meta.get_field(key)
    value = getattr(season, key)
    if model_field.choices:
        return str(getattr(season, f"get_{key}_display")()) or "—"
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, datetime):
        return moment_text(value, season.tz)
    if isinstance(value, date):
        return formats.date_format(value, "j E Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    if key == "eligible_education_levels":
        labels = dict(EducationLevel.choices)
        return ", ".join(str(labels.get(v, v)) for v in value) if value else _("без ограничения")
    if key == "capacity":
        return str(value) if value else _("без ограничения")
    if key == "chat_join_days":
        if value is None:
            return _("правило не применяется")
        return _("%(days)s после зачисления") % {"days": _days(value)}
    if key == "review_due_days":
        return _days(value)
    return str(value)


def season_rule(season: Season, key: str, group: str = "") -> SeasonRule:
    if key in rule_sources.NON_FIELD_RULES:
        label = _NON_FIELD_LABELS[key]()
    else:
        label = str(Season._meta.get_field(key).verbose_name)
    source, is_default = season.rule_source(key)
    return SeasonRule(key, group, label[:1].upper() + label[1:], _shown(season, key), source, is_default)


def season_rules(season: Season) -> list[SeasonRule]:
    """Every outcome-deciding rule of the season with its value and source; no query."""
    return [season_rule(season, key, str(group)) for group, keys in rule_sources.RULE_GROUPS for key in keys]


def season_rule_groups(season: Season) -> list[tuple[str, list[SeasonRule]]]:
    """season_rules grouped for a page: [(group title, rules)]."""
    groups: dict[str, list[SeasonRule]] = {}
    for rule in season_rules(season):
        groups.setdefault(rule.group, []).append(rule)
    return list(groups.items())


def organisations_of_low_results(*, organisation_ids: Iterable[int], year: int | None = None) -> set[int]:
    """Of the organisations, those that are schools with low results (ШНОР) by their yearly facts of `year`, or of
    their latest year (programs.models.low_results_exists): one query whatever their number."""
    return set(
        Organisation.objects.with_low_results(year)
        .filter(pk__in=list(organisation_ids), low_results=True)
        .values_list("pk", flat=True)
    )


def organisation_has_low_results(*, organisation: Organisation, year: int | None = None) -> bool:
    """Whether one organisation is a school with low results (ШНОР) by its facts of `year`, or of its latest year."""
    return organisation.pk in organisations_of_low_results(organisation_ids=[organisation.pk], year=year)
