"""Reads of «Школа Лидеров образования» (сид 001): the reserve list with its flags, a member's page, the member's
own trajectory and the yearly report. Each runs a constant number of queries whatever the number of members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from activities.models import Attendance
from participants.models import Person
from programs.models import Municipality

from .models.reserve import (
    ReserveAnalysis,
    ReserveDiagnostic,
    ReserveMember,
    ReserveReview,
    ReserveSource,
    ReserveStatus,
    TrajectoryItem,
    YoungDirectorParticipation,
)
from .services_reserve import LEADERS_SCHOOL_SLUG, last_closed_review_year, review_window, review_year_of

CURRENT = (ReserveStatus.CANDIDATE, ReserveStatus.IN_RESERVE)


def analysis_due_year(today: date) -> int:
    """The latest year whose «ноябрь-декабрь» of 2.7 is over: the last one, whatever today's month."""
    return today.year - 1


def missing_analysis_q(year: int) -> Q:
    """A current member listed by the end of the year without the year's analysis (сид 001, 2.7)."""
    return Q(
        status__in=CURRENT,
        listed_on__lte=date(year, 12, 31),
    ) & ~Exists(ReserveAnalysis.objects.filter(member=OuterRef("pk"), year=year))


def reserve_members(
    municipality: Municipality,
    *,
    today: date,
    status: str = "",
    source: str = "",
    organisation_id: int | None = None,
    query: str = "",
    missing_analysis: bool = False,
) -> QuerySet[ReserveMember]:
    """The reserve list: each member with their person and organisation, the count of trajectory items, the
    overdue ones and whether last year's analysis (2.7) is missing."""
    due_year = analysis_due_year(today)
    rows = (
        ReserveMember.objects.filter(municipality=municipality)
        .select_related("person", "organisation")
        .annotate(
            items=Count("trajectory_items", distinct=True),
            overdue=Count(
                "trajectory_items",
                filter=Q(
                    trajectory_items__due_on__lt=today,
                    trajectory_items__state__in=(TrajectoryItem.State.PLANNED, TrajectoryItem.State.IN_PROGRESS),
                ),
                distinct=True,
            ),
            has_analysis=Exists(ReserveAnalysis.objects.filter(member=OuterRef("pk"), year=due_year)),
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )
    if status in ReserveStatus.values:
        rows = rows.filter(status=status)
    if source in ReserveSource.values:
        rows = rows.filter(source=source)
    if organisation_id:
        rows = rows.filter(organisation_id=organisation_id)
    if query:
        rows = rows.filter(Q(person__last_name__icontains=query) | Q(person__first_name__icontains=query))
    if missing_analysis:
        rows = rows.filter(missing_analysis_q(due_year))
    return rows


@dataclass(frozen=True)
class ReviewState:
    """Where the yearly update of the reserve (2.8) stands today in the municipality's zone."""

    open_year: int | None  # the window open today, if any
    open_done: bool
    closed_year: int  # the latest window that has closed
    closed_done: bool
    latest: ReserveReview | None

    @property
    def overdue(self) -> bool:
        return not self.closed_done

    @property
    def closed_window(self) -> tuple[date, date]:
        return review_window(self.closed_year)


def review_state(municipality: Municipality, *, today: date) -> ReviewState:
    open_year = review_year_of(today)
    closed_year = last_closed_review_year(today)
    wanted = [y for y in (open_year, closed_year) if y is not None]
    years = set(ReserveReview.objects.filter(municipality=municipality, year__in=wanted).values_list("year", flat=True))
    latest = ReserveReview.objects.filter(municipality=municipality).order_by("-year").first()
    # A window that closed before anyone was listed asks for no update (a reserve started after it).
    closed_due = ReserveMember.objects.filter(
        municipality=municipality, listed_on__lte=review_window(closed_year)[1]
    ).exists()
    return ReviewState(
        open_year=open_year,
        open_done=open_year in years,
        closed_year=closed_year,
        closed_done=closed_year in years or not closed_due,
        latest=latest,
    )


def members_missing_analysis(municipality: Municipality, *, today: date) -> int:
    return (
        ReserveMember.objects.filter(municipality=municipality)
        .filter(missing_analysis_q(analysis_due_year(today)))
        .count()
    )


def member_for_page(municipality_id: int, pk: int) -> ReserveMember | None:
    return (
        ReserveMember.objects.filter(municipality_id=municipality_id, pk=pk)
        .select_related("person__organisation", "organisation", "municipality")
        .first()
    )


def member_status_changes(member: ReserveMember):
    return member.status_changes.select_related("changed_by__person").order_by("changed_on", "pk")


def member_trajectory(member: ReserveMember) -> list[TrajectoryItem]:
    return list(member.trajectory_items.order_by("due_on", "pk"))


def member_analyses(member: ReserveMember) -> list[ReserveAnalysis]:
    return list(member.analyses.select_related("consultant__person").order_by("-year", "-pk"))


def member_young_director(member: ReserveMember) -> list[YoungDirectorParticipation]:
    return list(member.young_director_participations.order_by("-year", "pk"))


def member_diagnostics(member: ReserveMember, user) -> list[ReserveDiagnostic]:
    """The member's diagnostics: the date and the psychologist for everyone allowed on the page; the strengths and
    deficits only for the psychologist who wrote them — the database hands the text back to its author alone
    (as experts.personal_data does for a confidential consultation)."""
    mine = Q(psychologist__person__user_id=user.pk)
    return list(
        member.diagnostics.select_related("psychologist__person")
        .defer("strengths", "deficits")
        .annotate(
            own_strengths=Case(When(mine, then=F("strengths")), default=Value(""), output_field=CharField()),
            own_deficits=Case(When(mine, then=F("deficits")), default=Value(""), output_field=CharField()),
            is_mine=Case(When(mine, then=Value(True)), default=Value(False)),
        )
        .order_by("-year", "-pk")
    )


def member_attendance(member: ReserveMember) -> list[Attendance]:
    """The member's marks at the activities of the municipality's «Школа Лидеров образования» seasons: seminars,
    master classes, practice exchange, internships (сид 001, 1.3, 1.4, 2.1–2.3)."""
    return list(
        Attendance.objects.filter(
            enrollment__person_id=member.person_id,
            enrollment__season__program__slug=LEADERS_SCHOOL_SLUG,
            enrollment__season__program__municipality_id=member.municipality_id,
        )
        .select_related("session__activity", "enrollment__season")
        .order_by("-session__starts_at", "-pk")
    )


def person_memberships(person: Person) -> list[ReserveMember]:
    """The person's own reserve records with their trajectories (the cabinet and «Моя траектория»)."""
    return list(
        ReserveMember.objects.filter(person=person)
        .select_related("municipality", "organisation")
        .prefetch_related(Prefetch("trajectory_items", queryset=TrajectoryItem.objects.order_by("due_on", "pk")))
        .order_by("pk")
    )


@dataclass(frozen=True)
class YearReport:
    municipality: Municipality
    year: int
    by_status: dict[str, int]
    by_source: dict[str, int]
    members: list[ReserveMember]
    review: ReserveReview | None
    analyses: int
    diagnostics: int
    young_directors: int

    @property
    def in_reserve(self) -> int:
        return self.by_status.get(ReserveStatus.IN_RESERVE, 0)

    @property
    def contest_in_reserve(self) -> int:
        return sum(
            1 for m in self.members if m.status == ReserveStatus.IN_RESERVE and m.source == ReserveSource.CONTEST
        )


def year_report(municipality: Municipality, *, year: int) -> YearReport:
    """«Кадровый резерв включает 35 человек, 7 из них приняли участие в конкурсе «Управленцы будущего»» (сид 001):
    the reserve as it stands, by status and by source, with the year's analyses, diagnostics, «Школа молодого
    директора» and the update of the reserve that opened in December of the year."""
    members = list(
        ReserveMember.objects.filter(municipality=municipality)
        .select_related("person", "organisation")
        .annotate(
            analysed=Exists(ReserveAnalysis.objects.filter(member=OuterRef("pk"), year=year)),
            diagnosed=Exists(ReserveDiagnostic.objects.filter(member=OuterRef("pk"), year=year)),
            young_director=Coalesce(
                YoungDirectorParticipation.objects.filter(member=OuterRef("pk"), year=year).values("state")[:1],
                Value(""),
            ),
            items=Count("trajectory_items", distinct=True),
            items_done=Count(
                "trajectory_items", filter=Q(trajectory_items__state=TrajectoryItem.State.DONE), distinct=True
            ),
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )
    by_status = {s: 0 for s in ReserveStatus.values}
    by_source = {s: 0 for s in ReserveSource.values}
    for m in members:
        by_status[m.status] += 1
        by_source[m.source] += 1
    return YearReport(
        municipality=municipality,
        year=year,
        by_status=by_status,
        by_source=by_source,
        members=members,
        review=ReserveReview.objects.filter(municipality=municipality, year=year).first(),
        analyses=sum(1 for m in members if m.analysed),
        diagnostics=sum(1 for m in members if m.diagnosed),
        young_directors=sum(1 for m in members if m.young_director),
    )
