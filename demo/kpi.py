"""The facts the KPIs count: staff rosters, professional development, diagnostics, management teams,
schools' yearly facts, KPI baselines, municipal events."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from demo.base import Spec
from demo.data import (
    COMPETENCE_PLATFORMS,
    DEFICIT_AREAS,
    DEPUTY_ROLES,
    EVENT_TITLES,
    FACT_YEARS_FROM,
    HEAD_POSITION,
    POSITIONS,
    STAFF,
    TEAM_PROGRAMME_TITLES,
    TRAINING_COURSES,
    TRAINING_HOURS_EXTRA,
    TRAINING_PROVIDERS,
)
from participants.models import (
    TEAM_PROGRAMME_MIN_MEMBERS,
    CompetenceDiagnostic,
    ManagementTeamMember,
    ManagementTeamProgramme,
    Person,
    ProfessionalDevelopment,
    StaffHeadcount,
    StaffRosterEntry,
)
from participants.services_roster import roster_is_teacher
from programs.models import (
    EducationLevel,
    MunicipalEvent,
    Organisation,
    OrganisationYearFacts,
)
from reports.models import KpiBaseline, KpiTarget


class KpiFactsMixin:
    """The facts the KPIs count: staff rosters, professional development, diagnostics, management teams,
    schools' yearly facts, KPI baselines, municipal events."""

    # --- the facts the KPIs count -----------------------------------------------------------------
    def create_kpi_facts(self) -> None:
        """ДПО records, diagnostics, management teams, schools' yearly facts and municipal events, 2023 to now.

        The rates grow year by year so that, against the program targets (seed 002, 003), some KPIs meet
        their target and some miss it: teachers trained by Federal-Registry programs chosen by diagnostics
        reach about 6, 12, 19, 25% cumulatively (targets 5, 10, 20, 30%); remote courses are about a third
        of all ДПО (target 20%); schools running the mentoring model reach about 12, 22, 29, 37% (targets
        10, 20, 30, 40%); management teams that took part in a programme as a team reach about 12, 22, 30, 38%
        (seed 002, п. 6.2, показатель 2: targets 10, 20, 30, 40%).
        """
        years = list(range(FACT_YEARS_FROM, self.today.year + 1))
        self.create_professional_development(years)
        self.create_management_teams()
        self.create_management_programmes(years)
        self.create_school_facts(years)
        self.create_municipal_events(years)
        self.create_staff_rosters(years)

    def create_staff_rosters(self, years: list[int]) -> None:
        """The staff roster of every school and kindergarten «на 31 декабря» of each year shown (the order KPIs'
        denominators), and only the numbers (StaffHeadcount, as in form ОО-1) for additional-education
        organisations. Year to year: a worker joins in the year their experience began, about one in twenty
        leaves in a year, the experience grows, and some staff (mostly young teachers) never registered on the
        portal, so the roster is not the portal's people. Its own random stream: the rest of the demo is unchanged."""
        rng = Random(f"{self.seed}-staff-roster")
        first, last = years[0], years[-1]
        workers: list[dict] = []
        for spec in self.specs:
            p = spec.person
            experience = p.experience_years if p.experience_years is not None else rng.randint(5, 20)
            left = rng.choice(years[:-1]) if len(years) > 1 and rng.random() < 0.05 else None
            workers.append({"person": p, "org": p.organisation, "experience": experience, "left": left})
        # Not on the portal: a tenth more staff, mostly young teachers who joined in these years.
        catalogue = {
            kind: [pos for pos in POSITIONS[kind] if not pos[0].startswith("Заместитель")] for kind in POSITIONS
        }
        for org in self.organisations:
            if org.kind not in catalogue or not catalogue[org.kind]:
                continue
            low, high = STAFF[self.scale][org.kind]
            for _ in range(max(1, (low + high) // 20)):
                female = rng.random() < 0.8
                last_name, first_name, middle_name = self.names.pick(rng, female)
                age = rng.randint(22, 60)
                person = Person(
                    last_name=last_name,
                    first_name=first_name,
                    middle_name=middle_name,
                    birth_date=date(self.today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
                    organisation=org,
                    position=rng.choice(catalogue[org.kind])[0],
                    education_level=rng.choices(
                        [EducationLevel.HIGHER, EducationLevel.SECONDARY_VOCATIONAL], weights=[75, 25]
                    )[0],
                )
                experience = rng.randint(0, 3) if rng.random() < 0.6 else rng.randint(0, age - 21)
                workers.append(
                    {"person": person, "org": org, "experience": experience, "left": None, "unmatched": True}
                )
        fields = ("pedagogical_total", "teachers", "higher_education", "teachers_under_5_years", "management_total")
        entries, numbers = [], defaultdict(lambda: dict.fromkeys(fields, 0))
        for w in workers:
            p, org = w["person"], w["org"]
            if org is None or org.kind not in (
                Organisation.Kind.SCHOOL,
                Organisation.Kind.KINDERGARTEN,
                Organisation.Kind.ADDITIONAL,
            ):
                continue
            began = self.today.year - w["experience"]
            kind = StaffRosterEntry.StaffKind.MANAGEMENT if p.is_manager else StaffRosterEntry.StaffKind.PEDAGOGICAL
            hired_on = date(max(began, first - 30), 9, 1)
            for year in years:
                experience = w["experience"] - (last - year)
                if experience < 0 or (w["left"] is not None and year > w["left"]):
                    continue  # not yet hired, or left in an earlier year
                if org.kind == Organisation.Kind.ADDITIONAL:
                    if w["left"] == year:
                        continue  # gone by 31 December: not in the year's numbers
                    counts = numbers[(org.pk, year)]
                    if kind == StaffRosterEntry.StaffKind.PEDAGOGICAL:
                        counts["pedagogical_total"] += 1
                        counts["higher_education"] += p.education_level == EducationLevel.HIGHER
                        if roster_is_teacher(staff_kind=kind, position=p.position):
                            counts["teachers"] += 1
                            counts["teachers_under_5_years"] += experience < 5
                    else:
                        counts["management_total"] += 1
                    continue
                entries.append(
                    StaffRosterEntry(
                        organisation=org,
                        year=year,
                        last_name=p.last_name,
                        first_name=p.first_name,
                        middle_name=p.middle_name,
                        birth_date=p.birth_date,
                        position=p.position,
                        staff_kind=kind,
                        is_teacher=roster_is_teacher(staff_kind=kind, position=p.position),
                        education_level=p.education_level,
                        experience_years=experience,
                        category=p.category,
                        hired_on=hired_on,
                        left_on=max(date(year, 6, 30), hired_on + timedelta(days=60)) if w["left"] == year else None,
                        person=None if w.get("unmatched") else p,
                    )
                )
        self.bulk(StaffRosterEntry, entries, "Кадровый состав")
        self.bulk(
            StaffHeadcount,
            [StaffHeadcount(organisation_id=org_id, year=year, **counts) for (org_id, year), counts in numbers.items()],
            "Численность персонала",
        )

    def _day_in(self, year: int) -> date:
        last = min(date(year, 12, 31), self.today)
        first = date(year, 1, 10)
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def create_professional_development(self, years: list[int]) -> None:
        rng = self.rng
        # (chance of a course that year, Federal Registry for a provider outside it, chosen by diagnostics,
        # remote) by year; the Academy's courses are all in the Registry, so about 42–50% of courses are.
        rates = {2023: (0.30, 0.19, 0.48, 0.30), 2024: (0.30, 0.23, 0.50, 0.33), 2025: (0.31, 0.30, 0.50, 0.36)}
        records, diagnostics = [], []
        diagnosed: dict[int, set] = defaultdict(set)  # person -> dates taken (one result a day per platform)
        number = 0
        for spec in self.specs:
            person = spec.person
            for year in years:
                chance, registry, by_diagnostics, remote = rates.get(year, (0.30, 0.30, 0.50, 0.38))
                if rng.random() >= chance:
                    continue
                title, provider_index, hours, continuous = rng.choice(TRAINING_COURSES)
                provider, code = TRAINING_PROVIDERS[provider_index]
                hours += rng.choice(TRAINING_HOURS_EXTRA)
                ends_on = self._day_in(year)
                starts_on = ends_on - timedelta(days=max(1, hours // 8) + rng.randint(0, 20 if continuous else 6))
                in_registry = provider_index == 0 or rng.random() < registry
                based = rng.random() < by_diagnostics
                if based:
                    taken_on = starts_on - timedelta(days=rng.randint(20, 150))
                    if taken_on not in diagnosed[person.pk]:
                        diagnosed[person.pk].add(taken_on)
                        diagnostics.append(self._diagnostic(person, taken_on))
                number += 1
                records.append(
                    ProfessionalDevelopment(
                        person=person,
                        course_title=title,
                        provider=provider,
                        hours=hours,
                        starts_on=starts_on,
                        ends_on=ends_on,
                        in_federal_registry=in_registry,
                        is_remote=rng.random() < remote,
                        based_on_diagnostics=based,
                        is_continuous_format=continuous or rng.random() < 0.05,
                        document_number=f"{code}-{ends_on.year}-{number:06d}" if rng.random() < 0.9 else "",
                        created_at=self.at(ends_on + timedelta(days=rng.randint(3, 40))),
                    )
                )
            # Some took the diagnostics without a course after it (yet).
            if rng.random() < 0.15:
                taken_on = self._day_in(rng.choice(years))
                if taken_on not in diagnosed[person.pk]:
                    diagnosed[person.pk].add(taken_on)
                    diagnostics.append(self._diagnostic(person, taken_on))
        for record in records:
            record.created_at = min(record.created_at, self.now)
        self.bulk(ProfessionalDevelopment, records, "Повышение квалификации")
        self.bulk(CompetenceDiagnostic, diagnostics, "Диагностики компетенций")

    def _diagnostic(self, person: Person, taken_on: date) -> CompetenceDiagnostic:
        rng = self.rng
        return CompetenceDiagnostic(
            person=person,
            taken_on=taken_on,
            platform=rng.choice(COMPETENCE_PLATFORMS),
            deficit_areas=rng.sample(DEFICIT_AREAS, rng.randint(1, 3)),
            score=Decimal(rng.randint(350, 920)) / 10,
            created_at=self.at(taken_on),
        )

    def create_management_teams(self) -> None:
        """The director and one to three deputies of every school; now and then a deputy who has left."""
        rng = self.rng
        by_org: dict[int, list[Spec]] = defaultdict(list)
        for spec in self.specs:
            by_org[spec.person.organisation_id].append(spec)
        members = []
        for org in self.organisations:
            if org.kind != Organisation.Kind.SCHOOL or not by_org[org.pk]:
                continue
            staff = by_org[org.pk]
            head = staff[0]  # generate_teachers puts the head first
            since = date(self.today.year - rng.randint(1, 12), 9, 1)
            members.append(
                ManagementTeamMember(organisation=org, person=head.person, role=HEAD_POSITION[org.kind], since=since)
            )
            deputies = [s for s in staff[1:] if s.person.position.startswith("Заместитель")]
            others = [s for s in staff[1:] if not s.person.position.startswith("Заместитель")]
            want = rng.randint(1, 3)
            chosen = deputies[:want] + rng.sample(others, min(len(others), max(0, want - len(deputies))))
            roles = rng.sample(DEPUTY_ROLES, len(DEPUTY_ROLES))
            for spec, role in zip(chosen, roles, strict=False):
                since = date(self.today.year - rng.randint(0, 8), 9, 1)
                members.append(ManagementTeamMember(organisation=org, person=spec.person, role=role, since=since))
            left = [s for s in others if s not in chosen]
            if left and rng.random() < 0.15:
                until = date(self.today.year - 1, 8, 31)
                members.append(
                    ManagementTeamMember(
                        organisation=org,
                        person=rng.choice(left).person,
                        role=DEPUTY_ROLES[0],
                        since=date(until.year - rng.randint(2, 6), 9, 1),
                        until=until,
                    )
                )
        self.bulk(ManagementTeamMember, members, "Члены управленческих команд")

    def create_management_programmes(self, years: list[int]) -> None:
        """Seed 002, п. 6.2, показатель 2: a school's management team takes part in a programme as a team — two
        of its members who were in the team then (or the whole team of one), once, in its adoption year."""
        rng = self.rng
        adoption = [(2023, 0.12), (2024, 0.11), (2025, 0.09), (2026, 0.09)]  # the rest have not taken part (yet)
        teams: dict[int, list[ManagementTeamMember]] = defaultdict(list)
        for member in ManagementTeamMember.objects.filter(organisation__in=self.organisations).order_by("pk"):
            teams[member.organisation_id].append(member)
        programmes, chosen = [], []
        for org_id, team in teams.items():
            draw, total = rng.random(), 0.0
            year = None
            for y, share in adoption:
                total += share
                if draw < total:
                    year = y
                    break
            if year is None or year not in years:
                continue
            ends_on = self._day_in(year)
            present = [
                m for m in team if (m.since is None or m.since <= ends_on) and (m.until is None or m.until >= ends_on)
            ]
            if not present or (len(present) < len(team) and len(present) < TEAM_PROGRAMME_MIN_MEMBERS):
                continue
            programmes.append(
                ManagementTeamProgramme(
                    organisation_id=org_id,
                    title=rng.choice(TEAM_PROGRAMME_TITLES),
                    provider=rng.choice(["ИРО ХМАО-Югры", "Академия Минпросвещения России", "ЦНППМ"]),
                    starts_on=ends_on - timedelta(days=rng.randint(14, 60)),
                    ends_on=ends_on,
                )
            )
            chosen.append(present[:TEAM_PROGRAMME_MIN_MEMBERS])
        programmes = self.bulk(ManagementTeamProgramme, programmes, "Программы управленческих команд")
        Through = ManagementTeamProgramme.members.through
        links = [
            Through(managementteamprogramme_id=p.pk, managementteammember_id=m.pk)
            for p, members in zip(programmes, chosen, strict=True)
            for m in members
        ]
        self.bulk(Through, links)

    def create_school_facts(self, years: list[int]) -> None:
        rng = self.rng
        adoption = [(2023, 0.12), (2024, 0.10), (2025, 0.07), (2026, 0.08)]  # the rest never adopt (yet)
        facts = []
        recorded = set(
            OrganisationYearFacts.objects.filter(
                organisation__municipality_id__in={org.municipality_id for org in self.organisations}, year__in=years
            ).values_list("organisation_id", "year")
        )
        for org in self.organisations:
            if org.kind != Organisation.Kind.SCHOOL:
                continue
            draw, adopted_in = rng.random(), None
            for year, share in adoption:
                if draw < share:
                    adopted_in = year
                    break
                draw -= share
            associations = rng.randint(2, 7)
            classes = 0
            # Сид 001, «Школа – Школе»: «уменьшение количества школ, демонстрирующих низкие результаты обучения» —
            # a school marked today was a school of low results in every earlier year too, and a few others
            # left the list before the last year; the last year's mark is the school's current one.
            left_list = not org.low_results and rng.random() < 0.05
            for year in years:
                if (org.pk, year) in recorded:
                    continue  # a year a program template already recorded (its ШНОР mark) stays as it is
                associations = max(1, associations + rng.choice([-1, 0, 0, 0, 1]))
                if rng.random() < 0.08:
                    classes = min(classes + 1, 3)
                facts.append(
                    OrganisationYearFacts(
                        organisation=org,
                        year=year,
                        methodical_associations=associations,
                        pedagogical_classes=classes,
                        runs_mentoring_model=adopted_in is not None and adopted_in <= year,
                        low_results=org.low_results or (left_list and year < years[-1]),
                    )
                )
        self.bulk(OrganisationYearFacts, facts, "Сведения школ за год")
        self.create_kpi_baselines(facts)

    def create_kpi_baselines(self, facts: list[OrganisationYearFacts]) -> None:
        """The base-year values the coordinator would enter for «не ниже уровня 2020 года» targets (приказ
        № 223/1, результат 12): the demo's earliest reported total of methodical associations, one less."""
        totals: dict[tuple[int, int], int] = defaultdict(int)
        municipality_of = {org.pk: org.municipality_id for org in self.organisations}
        for fact in facts:
            totals[municipality_of[fact.organisation_id], fact.year] += fact.methodical_associations
        anchored = KpiTarget.objects.filter(code="methodical-associations", baseline_year__isnull=False)
        baselines = []
        for municipality_id, base_year in (
            anchored.order_by().values_list("municipality_id", "baseline_year").distinct()
        ):
            years = sorted(year for m, year in totals if m == municipality_id)
            if not years:
                continue
            baselines.append(
                KpiBaseline(
                    municipality_id=municipality_id,
                    code="methodical-associations",
                    year=base_year,
                    value=max(0, totals[municipality_id, years[0]] - 1),
                    source=f"Демонстрационные данные: отчёт РИМЦ за {base_year} год",
                )
            )
        # A value a coordinator already entered stays as it is.
        self.bulk(KpiBaseline, baselines, "Базовые значения KPI", ignore_conflicts=True)

    def create_municipal_events(self, years: list[int]) -> None:
        rng = self.rng
        by_muni: dict[int, list[Organisation]] = defaultdict(list)
        for org in self.organisations:
            if org.kind == Organisation.Kind.SCHOOL:
                by_muni[org.municipality_id].append(org)
        categories = list(EVENT_TITLES)
        events = []
        for muni, _count in self.municipalities:
            schools = by_muni.get(muni.pk, [])
            for year in years:
                for _ in range(rng.randint(2, 4)):
                    category = rng.choices(categories, weights=[35, 20, 35, 10])[0]
                    level = rng.choices(
                        [MunicipalEvent.Level.MUNICIPAL, MunicipalEvent.Level.SCHOOL, MunicipalEvent.Level.REGIONAL],
                        weights=[75, 15, 10],
                    )[0]
                    events.append(
                        MunicipalEvent(
                            municipality=muni,
                            organisation=rng.choice(schools) if schools and rng.random() < 0.5 else None,
                            title=rng.choice(EVENT_TITLES[category]),
                            held_on=self._day_in(year),
                            category=category,
                            level=level,
                            participants_count=rng.randint(25, 400),
                        )
                    )
        self.bulk(MunicipalEvent, events, "Мероприятия муниципалитетов")
