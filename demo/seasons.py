"""Programs' seasons and who takes part in them: the enrollments and their status histories."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from activities.models import Session, VideoAssignment
from demo.base import DemoError, Spec
from demo.data import (
    APPROVE_REASONS,
    COMPLETE_REASON,
    INELIGIBLE_REASON,
    KHMAO,
    REINSTATE_REASON,
    REJECT_REASONS,
    WITHDRAW_REASONS,
    S,
    demo_place,
)
from participants.models import (
    Enrollment,
    EnrollmentStatusChange,
)
from programs.models import (
    EducationLevel,
    Organisation,
    Program,
    Season,
)
from programs.services import season_clone, shift_years

# Enrollments that hold one of a season's places.
SEATED = (S.APPLIED, S.ACTIVE, S.COMPLETED)


class SeasonsMixin:
    """Programs' seasons and who takes part in them: the enrollments and their status histories."""

    # --- seasons ------------------------------------------------------------------------------------
    def prepare_seasons(self) -> dict[Program, list[Season]]:
        programs = list(Program.objects.select_related("municipality", "organiser").order_by("pk"))
        if not programs:
            raise DemoError("Нет ни одной программы: сначала выполните manage.py load_programs.")
        keep = 3 if self.region else 2
        result = {}
        self.open_seasons: dict[int, Season] = {}
        for program in programs:
            seasons = list(program.seasons.order_by("starts_on", "pk"))
            if not seasons:
                continue
            # Relaunch the latest season up to the current academic year (and for a region to three seasons),
            # cloning straight to each wanted year so that no empty in-between seasons appear.
            latest = seasons[-1]
            last_year = 0
            while shift_years(latest.ends_on, last_year) < self.today and last_year < 50:
                last_year += 1
            years = [y for y in range(last_year - keep + 1, last_year + 1) if y > 0]
            while self.region and len(seasons) + len(years) < keep:
                years.append((years[-1] if years else 0) + 1)
            for y in years:
                clone = season_clone(source=latest, years=y)
                seasons.append(clone)
                self.counts["Сезоны (копии)"] = self.counts.get("Сезоны (копии)", 0) + 1
            kept = seasons[-keep:]
            kept.append(self.open_for_registration(program, kept, latest, last_year))
            result[program] = list(dict.fromkeys(kept))
        if not result:
            raise DemoError("У программ нет сезонов: сначала выполните manage.py load_programs.")
        return result

    def open_for_registration(self, program: Program, seasons: list[Season], latest: Season, years: int) -> Season:
        """A season that takes registrations today, whatever the date the demo is built on, so that a newcomer can
        register at once: the next season not yet started (a relaunch a year on when there is none), its window
        moved to «opened two days ago, closes in four weeks»; the other seasons keep their dates."""
        upcoming = [s for s in seasons if s.starts_on > self.today]
        if upcoming:
            season = upcoming[0]
        else:
            while shift_years(latest.starts_on, years) <= self.today:
                years += 1
            season = season_clone(source=latest, years=years)
            self.counts["Сезоны (копии)"] = self.counts.get("Сезоны (копии)", 0) + 1
        if not season.registration_is_open(self.now):
            season.registration_opens_at = self.at(self.today - timedelta(days=2), tz=season.tz)
            season.registration_closes_at = max(
                self.at(self.today + timedelta(days=28), 18, tz=season.tz), season.registration_closes_at
            )
            season.save(update_fields=["registration_opens_at", "registration_closes_at"])
        self.open_seasons[program.pk] = season
        return season

    # --- enrollment plan ----------------------------------------------------------------------------
    def season_size(self, season: Season, pool: int) -> int:
        if not self.region:
            return min(self.rng.randint(40, 150), int(pool * 0.7))
        return min(self.rng.randint(*self.region_range), int(pool * 0.6))

    def plan_enrollments(self) -> None:
        rng = self.rng
        by_muni = defaultdict(list)
        for spec in self.specs:
            if spec.kind != Organisation.Kind.METHODICAL_CENTRE:
                by_muni[spec.municipality_id].append(spec)
        khmao = [m.pk for m, _ in self.municipalities if m.region == KHMAO]
        if self.region:
            # Size seasons so that the region reaches ~200,000 attendance marks and ~40,000 video lessons.
            seasons = [s for ss in self.program_seasons.values() for s in ss]
            past_sessions = Session.objects.filter(activity__season__in=seasons, ends_at__lt=self.now).count()
            due = VideoAssignment.objects.filter(activity__season__in=seasons, due_at__lt=self.now).count()
            target = max(200_000 / (0.75 * max(past_sessions, 1)), 40_000 / (0.7 * max(due, 1)))
            target = int(min(max(target, 400), 5200))
            self.region_range = (int(target * 0.8), int(target * 1.2))
        self.plan: dict[int, list[tuple[Spec, str]]] = {}
        demo_teacher = self.demo["teacher@demo.ru"]
        self.pt_season = self._demo_season()
        experts = {id(spec) for team in self.teams.values() for members in team.values() for spec, _ in members}
        for program, seasons in self.program_seasons.items():
            munis = [program.municipality_id]
            if self.region and program.municipality.region == KHMAO:
                munis = khmao
            pool = [s for m in munis for s in by_muni[m] if id(s) not in experts]
            if program.kind == Program.Kind.SUBSCRIPTION:
                # The Methodical Subscription is for schools with low results first.
                pool.sort(key=lambda s: (not s.low_results, s.kind != Organisation.Kind.SCHOOL))
            if not pool:
                pool = [s for s in self.specs if id(s) not in experts]
            for season in seasons:
                if season.registration_opens_at >= self.now:
                    self.plan[season.pk] = []
                    continue
                n = self.season_size(season, len(pool))
                if season == self.open_seasons.get(program.pk) and season.starts_on > self.today:
                    # Applications waiting for the coordinator, not a second full season (and the region's time).
                    n = min(n, self.rng.randint(12, 30))
                candidates = pool
                director = self.local_directors.get(program.municipality_id)
                if director is not None and season == self.open_seasons.get(program.pk):
                    # The demo director's school has only just asked to join (demo/feedback.py): none of its
                    # teachers is in yet, or the subscription would have admitted them without the school. Left out
                    # before choosing, so that the open season still gets its n applications.
                    candidates = [s for s in pool if s.person.organisation_id != director.person.organisation_id]
                n = min(max(n, 1), len(candidates))
                if program.kind == Program.Kind.SUBSCRIPTION:
                    chosen = candidates[:n]
                else:
                    chosen = rng.sample(candidates, n)
                phase = self.phase(season)
                plan = []
                for spec in chosen:
                    plan.append((spec, self.pick_status(phase, spec)))
                if season.pk == self.pt_season.pk:
                    plan.insert(0, (demo_teacher, S.ACTIVE))
                self.plan[season.pk] = plan
        self.ensure_every_status()
        for seasons in self.program_seasons.values():
            for season in seasons:
                self.plan[season.pk] = self.within_capacity(season, self.plan[season.pk])
        for plan in self.plan.values():
            for spec, _status in plan:
                spec.needs_user = True
        self.name_local_teachers()

    def within_capacity(self, season: Season, plan: list[tuple[Spec, str]]) -> list[tuple[Spec, str]]:
        """A season with a number of places (the tutor course's «экспериментальной группе (30 педагогов)», сид 001)
        seats no more than that: an applicant, a participant or a graduate holds a place (places_left counts the
        first two; a finished season's graduates held theirs), so once the places are taken the rest of the chosen
        teachers are not enrolled at all; those who withdrew, were excluded or rejected stay."""
        if season.capacity is None:
            return plan
        kept, seated = [], 0
        for spec, status in plan:
            if status in SEATED:
                if seated >= season.capacity:
                    continue
                seated += 1
            kept.append((spec, status))
        return kept

    def name_local_teachers(self) -> None:
        """In every other program municipality a teacher of a running season (or of the open one) becomes the demo
        teacher of the place: teacher.armavir@demo.ru takes part where coordinator.armavir@demo.ru works."""
        named = set()
        for program, seasons in self.program_seasons.items():
            if program.municipality_id == self.pt.municipality_id or program.municipality_id in named:
                continue
            running = [s for s in seasons if s.starts_on <= self.today <= s.ends_on]
            for season in running + [self.open_seasons.get(program.pk)]:
                spec = next(
                    (
                        spec
                        for spec, status in self.plan.get(getattr(season, "pk", None), [])
                        if status == S.ACTIVE
                        and spec.kind == Organisation.Kind.SCHOOL
                        and not spec.person.is_manager
                        and not spec.person.email.endswith("@demo.ru")
                    ),
                    None,
                )
                if spec is not None:
                    spec.user_email = spec.person.email = f"teacher.{demo_place(program.municipality.name)}@demo.ru"
                    named.add(program.municipality_id)
                    break

    def _demo_season(self) -> Season:
        """The Progressive Teacher season the demo accounts live in: the latest one already under way."""
        seasons = self.program_seasons[self.pt]
        started = [s for s in seasons if s.starts_on <= self.today]
        return started[-1] if started else seasons[-1]

    def phase(self, season: Season) -> str:
        if season.ends_on < self.today:
            return "past"
        if season.starts_on > self.today:
            return "future"
        return "current"

    def pick_status(self, phase: str, spec: Spec) -> str:
        rng = self.rng
        if spec.person.education_level == EducationLevel.SECONDARY_GENERAL:
            return S.REJECTED
        weights = {
            "past": {S.COMPLETED: 66, S.EXCLUDED: 10, S.WITHDRAWN: 10, S.REJECTED: 8, S.ACTIVE: 0, S.APPLIED: 0},
            "current": {S.ACTIVE: 72, S.APPLIED: 9, S.REJECTED: 6, S.WITHDRAWN: 7, S.EXCLUDED: 6, S.COMPLETED: 0},
            "future": {S.APPLIED: 60, S.ACTIVE: 30, S.REJECTED: 6, S.WITHDRAWN: 4, S.EXCLUDED: 0, S.COMPLETED: 0},
        }[phase]
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    def ensure_every_status(self) -> None:
        """Tiny or single-phase data sets still show every status (in the latest season of the first program)."""
        present = {status for plan in self.plan.values() for _, status in plan}
        # Not the season open for registration: it has not started, nobody in it can have completed it.
        held = [s for s in self.program_seasons[self.pt] if s != self.open_seasons.get(self.pt.pk)]
        latest = (held or self.program_seasons[self.pt])[-1].pk
        plan = self.plan[latest]
        i = len(plan) - 1
        for status in S.values:
            if status not in present and i > 0:
                plan[i] = (plan[i][0], status)
                i -= 1

    # --- enrollments --------------------------------------------------------------------------------
    def create_enrollments(self) -> None:
        rng = self.rng
        enrollments, histories = [], []
        self.windows: list[tuple] = []  # (enrollment, active from, active until, status, why excluded, spec)
        for program, seasons in self.program_seasons.items():
            coordinator = self.coordinators[program.pk].person.user
            for season in seasons:
                sessions = self.season_sessions(season)
                assignments = self.season_assignments(season)
                formats = sorted({f for m in season.modules.all() for f in (m.learning_formats or [])})
                opens = season.registration_opens_at
                closes = min(season.registration_closes_at, self.now - timedelta(hours=1))
                end = min(self.at(season.ends_on, 18, tz=season.tz), self.now - timedelta(minutes=30))
                for spec, status in self.plan[season.pk]:
                    user = spec.person.user
                    applied = self.between(opens, closes)
                    e = Enrollment(
                        person=spec.person,
                        season=season,
                        status=status,
                        applied_at=applied,
                        preferred_format=rng.choice(formats) if formats else "",
                    )
                    hist = [("", S.APPLIED, applied, user, "")]
                    active_from = active_until = None
                    reason_session = None
                    if status in (S.ACTIVE, S.WITHDRAWN, S.EXCLUDED, S.COMPLETED) and not (
                        status == S.WITHDRAWN and rng.random() < 0.3
                    ):
                        approved = min(applied + timedelta(hours=rng.randint(4, 96)), self.now - timedelta(minutes=10))
                        hist.append((S.APPLIED, S.ACTIVE, approved, coordinator, rng.choice(APPROVE_REASONS)))
                        active_from = approved
                        e.chat_joined_at = min(approved + timedelta(hours=rng.randint(1, 72)), self.now)
                    if status == S.REJECTED:
                        when = min(applied + timedelta(days=rng.randint(1, 5)), self.now - timedelta(minutes=5))
                        reason = (
                            INELIGIBLE_REASON
                            if spec.person.education_level == EducationLevel.SECONDARY_GENERAL
                            else rng.choice(REJECT_REASONS)
                        )
                        hist.append((S.APPLIED, S.REJECTED, when, coordinator, reason))
                    elif status == S.WITHDRAWN:
                        frm = S.ACTIVE if active_from else S.APPLIED
                        base = active_from or applied
                        when = self.between(base + timedelta(days=1), max(end, base + timedelta(days=1)))
                        when = min(when, self.now - timedelta(minutes=5))
                        hist.append((frm, S.WITHDRAWN, when, user, rng.choice(WITHDRAW_REASONS)))
                        active_until = when
                    elif status == S.EXCLUDED:
                        when, reason, reason_session = self.exclusion(season, active_from, sessions, assignments)
                        hist.append((S.ACTIVE, S.EXCLUDED, when, coordinator, reason))
                        active_until = when
                    elif status == S.COMPLETED:
                        when = max(end, active_from + timedelta(hours=1))
                        hist.append((S.ACTIVE, S.COMPLETED, when, coordinator, COMPLETE_REASON))
                    elif status == S.ACTIVE and rng.random() < 0.03 and sessions:
                        # Excluded for a missed session, then reinstated on a medical certificate.
                        when, reason, reason_session = self.exclusion(season, active_from, sessions, [])
                        if reason_session is not None:
                            back = min(when + timedelta(days=rng.randint(2, 7)), self.now - timedelta(minutes=1))
                            hist.append((S.ACTIVE, S.EXCLUDED, when, coordinator, reason))
                            hist.append((S.EXCLUDED, S.ACTIVE, back, coordinator, REINSTATE_REASON))
                    hist.sort(key=lambda h: h[2])
                    e.status_changed_at = hist[-1][2]
                    enrollments.append(e)
                    histories.append(hist)
                    self.windows.append((e, active_from, active_until, status, reason_session, spec))
        enrollments = self.bulk(Enrollment, enrollments, "Участие")
        changes = [
            EnrollmentStatusChange(
                enrollment=e, from_status=f, to_status=t, changed_at=when, changed_by=who, reason=reason
            )
            for e, hist in zip(enrollments, histories, strict=True)
            for f, t, when, who, reason in hist
        ]
        self.bulk(EnrollmentStatusChange, changes, "Изменения статусов")
        by_status = defaultdict(int)
        for e in enrollments:
            by_status[e.status] += 1
        for status in S:
            self.counts[f"  — {status.label}"] = by_status[status.value]
