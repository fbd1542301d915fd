"""«Журнал изменений» of one enrollment: everything the audit trail recorded about a participant in a season.

The histories live in the apps that own the rows (attendance, certificates and exclusion cases in activities,
reviews in ratings); each registers a `JournalSource` from its AppConfig.ready(), so participants imports none
of them. A page costs a fixed number of queries whatever it holds: the merged, ordered page of record ids
(and its count), then per source its records on the page and the records just before them (for old → new).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import IntegerField, OuterRef, Q, Subquery, Value
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.zones import moment_text

from .models import Enrollment

JOURNAL_PER_PAGE = 25
# Never worth a line of the journal: identities, files, checksums, bookkeeping stamps.
ALWAYS_SKIPPED = {"id", "pdf", "pdf_sha256", "code"}
ACTIONS = {
    "+": gettext_lazy("создано"),
    "~": gettext_lazy("изменено"),
    "-": gettext_lazy("удалено"),
}


@dataclass(frozen=True)
class JournalSource:
    """One tracked model's part of the journal.

    `enrollment_path` leads from its historical record to the enrollment's id; `related` is what `label`
    reads (select_related); `skip` lists fields left out of the changes; `formatters` shows a field's value.
    """

    model: type[models.Model]
    enrollment_path: str
    label: Callable[[models.Model], str]
    related: tuple[str, ...] = ()
    skip: frozenset[str] = frozenset()
    formatters: dict[str, Callable[[object], str]] = field(default_factory=dict)


_sources: list[JournalSource] = []


def register_journal_source(source: JournalSource) -> None:
    if all(s.model is not source.model for s in _sources):
        _sources.append(source)


def journal_sources() -> list[JournalSource]:
    return list(_sources)


@dataclass
class JournalChange:
    field: str
    old: str
    new: str


@dataclass
class JournalEntry:
    at: datetime
    what: str
    action: str
    who: str
    reason: str
    changes: list[JournalChange]


def _display(record, model_field: models.Field, value, source: JournalSource) -> str:
    if model_field.name in source.formatters:
        return source.formatters[model_field.name](value)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, datetime):
        return moment_text(value, timezone.get_current_timezone())
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value.normalize())
    return str(value)


def _diffable(source: JournalSource) -> list[models.Field]:
    skip = ALWAYS_SKIPPED | set(source.skip)
    return [
        f
        for f in source.model._meta.concrete_fields
        if f.name not in skip and not f.is_relation  # who made a change is its author, shown apart
    ]


def _changes(record, previous, source: JournalSource) -> list[JournalChange]:
    changes = []
    for model_field in _diffable(source):
        new = getattr(record, model_field.attname)
        if previous is None:
            if record.history_type != "+" or new in (None, "", [], {}):
                continue
            old_text = "—"
        else:
            old = getattr(previous, model_field.attname)
            if old == new:
                continue
            old_text = _display(previous, model_field, old, source)
        changes.append(
            JournalChange(
                field=str(model_field.verbose_name),
                old=old_text,
                new=_display(record, model_field, new, source),
            )
        )
    return changes


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("система")
    return user.get_full_name()  # the person came with the record (select_related)


def _page_ids(enrollment: Enrollment, sources: list[JournalSource]):
    """Every recorded change of the enrollment as (source index, history id, when), newest first."""
    parts = [
        s.model.history.filter(**{s.enrollment_path: enrollment.pk})
        .annotate(journal_source=Value(i, output_field=IntegerField()))
        .values_list("journal_source", "history_id", "history_date")
        .order_by()
        for i, s in enumerate(sources)
    ]
    if not parts:
        return Enrollment.history.none().values_list("history_id", "history_id", "history_date")
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")


def enrollment_journal(*, enrollment: Enrollment, page: int | str | None = 1) -> tuple[Page, list[JournalEntry]]:
    """A page of the enrollment's journal, newest first: 2 + 2 × (number of sources) queries."""
    sources = journal_sources()
    paginator = Paginator(_page_ids(enrollment, sources), JOURNAL_PER_PAGE)
    page_obj = paginator.get_page(page)
    rows = list(page_obj.object_list)
    if not rows:
        return page_obj, []
    newest, oldest = rows[0][2], rows[-1][2]
    wanted = {(i, pk) for i, pk, _when in rows}
    entries: list[tuple[datetime, int, JournalEntry]] = []
    # Moments in the labels and the changes are on the season's clock and say so (core.zones).
    with timezone.override(enrollment.season.tz):
        for i, source in enumerate(sources):
            _add_entries(entries, i, source, enrollment, oldest, newest, wanted)
    entries.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return page_obj, [entry for _at, _pk, entry in entries]


def _add_entries(entries: list, i: int, source: JournalSource, enrollment: Enrollment, oldest, newest, wanted) -> None:
    """The page's records of one source as journal entries (two queries)."""
    history = source.model.history
    earlier = history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    on_page = history.filter(
        **{source.enrollment_path: enrollment.pk}, history_date__gte=oldest, history_date__lte=newest
    ).annotate(previous_id=Subquery(earlier.order_by("-history_date", "-history_id").values("history_id")[:1]))
    # The page's records and, in a second query, the records before them (the «old» of each change).
    records = [
        r
        for r in on_page.select_related("history_user__person", *source.related).order_by()
        if (i, r.history_id) in wanted
    ]
    previous = {p.history_id: p for p in history.filter(history_id__in=on_page.values("previous_id")).order_by()}
    for record in records:
        entry = JournalEntry(
            at=record.history_date,
            what=source.label(record),
            action=str(ACTIONS.get(record.history_type, record.history_type)),
            who=_who(record),
            reason=record.history_change_reason or "",
            changes=_changes(record, previous.get(record.previous_id), source),
        )
        entries.append((record.history_date, record.history_id, entry))


def _enrollment_label(record) -> str:
    return _("Участие в программе")


def register() -> None:
    register_journal_source(
        JournalSource(
            model=Enrollment,
            enrollment_path="id",
            label=_enrollment_label,
            skip=frozenset({"applied_at", "status_changed_at"}),
        )
    )
