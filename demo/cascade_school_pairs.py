"""«Школа – Школе» (сид 001): pairs of a leader school and a school of low results in the project's season, each
with the seed's yearly plan (мероприятия 2–5), its past items held as invited sessions with attendance, and three
years of ВПР, ОГЭ and ЕГЭ results of the municipality's schools, the weaker schools improving; the ШНОР schools'
pairs of the school year before, and their teachers' courses under ИОМ in both years, more this year than last
(сид 001, «Школа – Школе», ожидаемые результаты: «увеличение количества учителей, прошедших повышение квалификации в
соответствии с ИОМ»)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from activities.models import Attendance
from participants.models import Person, ProfessionalDevelopment
from programs.models import Organisation, Program, Season
from programs.services import organisation_low_results_mark
from projects.models import AssessmentResult, SchoolPair
from projects.services_school_pairs import pair_enrollments, plan_item_add, plan_item_hold, school_pair_create

PROGRAM_SLUG = "shkola-shkole"  # programs/program_templates/_imc_moskovsky.py
PAIRS = 3
# The seed's plan (сид 001, «Школа – Школе», мероприятия 2–5): (month of the school year, form, title).
PLAN = [
    (10, "courses", "Актуальные проблемы повышения качества образовательных результатов учащихся (36 часов)"),
    (11, "round_table", "Круглый стол по технологии осуществления мониторинга успеваемости"),
    (12, "seminar", "Семинар по планированию и осуществлению подготовки учащихся к итоговой аттестации"),
    (1, "master_class", "Мастер-класс «Подготовка к написанию изложения и сочинения ОГЭ, ЕГЭ»"),
    (2, "round_table", "Круглый стол по вопросам реализации ВСОКО"),
    (3, "open_lessons", "Открытые уроки учителей школ-партнеров"),
    (4, "round_table", "Круглый стол по подготовке учащихся к ВПР"),
]
# Сид 001, «Школа – Школе», мероприятие 2: the program of the address ПК the ШНОР schools' teachers take under ИОМ.
IOM_COURSE = "Актуальные проблемы повышения качества образовательных результатов учащихся"
IOM_PROVIDER = "ИМЦ Московского района"
IOM_TEACHERS = (2, 3)  # per ШНОР school: last year, this year — «увеличение» shows as met
RESULTS = [("vpr", 5, "Математика"), ("vpr", 5, "Русский язык"), ("oge", 9, "Математика"), ("ege", 11, "Русский язык")]


class SchoolPairsMixin:
    """«Школа – Школе»: does nothing where the project's program has not been loaded (manage.py load_programs)."""

    def create_school_pairs(self) -> None:
        program = Program.objects.filter(slug=PROGRAM_SLUG).select_related("municipality").first()
        if program is None:
            return
        seasons = Season.objects.filter(program=program)
        season = seasons.filter(starts_on__lte=self.today, ends_on__gte=self.today).order_by("-starts_on").first()
        season = season or seasons.order_by("-starts_on").first()
        if season is None:
            return
        schools = list(
            Organisation.objects.with_low_results()
            .filter(municipality=program.municipality, kind=Organisation.Kind.SCHOOL)
            .order_by("sort_key", "pk")
        )
        if len(schools) < 2:
            return
        self._assessment_results(schools)
        weak = [s for s in schools if s.low_results]
        if not weak:
            # The demo's weakest schools by the results just made are the ones «демонстрирующие низкие результаты».
            weak = schools[-min(PAIRS, len(schools) // 2) :]
            organisation_low_results_mark(organisation_ids=[s.pk for s in weak], year=self.today.year, low_results=True)
            for school in weak:
                school.low_results = True
        leaders = [s for s in schools if not s.low_results]
        created = 0
        for partner, leader in zip(weak[:PAIRS], leaders, strict=False):
            pair = school_pair_create(
                season=season,
                leader=leader,
                partner=partner,
                starts_on=season.starts_on,
                leader_role=("leader", "mentor", "master")[created % 3],
            )
            self._plan(pair, season)
            created += 1
        self.counts["Пары «Школа – Школе»"] = created
        self._iom_courses(season, seasons)

    def _iom_courses(self, season: Season, seasons) -> None:
        """The ШНОР schools paired this season were paired the school year before too (a pair closed the day before
        this season started); their teachers took courses under ИОМ in both calendar years."""
        pairs = list(SchoolPair.objects.filter(season=season).select_related("leader", "partner"))
        previous = seasons.filter(starts_on__lt=season.starts_on).order_by("-starts_on").first()
        # Without a season of the year before, the pair of that school year stays in this season's project (the
        # seed's «подготовительный этап» runs a year before the main one).
        earliest = (
            previous.starts_on
            if previous is not None
            else season.starts_on.replace(year=season.starts_on.year - 1, day=1)
        )
        for pair in pairs:
            if not SchoolPair.objects.filter(partner=pair.partner, starts_on__lt=season.starts_on).exists():
                school_pair_create(
                    season=previous or season,
                    leader=pair.leader,
                    partner=pair.partner,
                    starts_on=earliest,
                    ends_on=season.starts_on - timedelta(days=1),
                    leader_role=pair.leader_role,
                )
                self.counts["Пары «Школа – Школе»"] += 1
        year = self.today.year
        spans = {
            year - 1: (max(date(year - 1, 1, 1), earliest), date(year - 1, 12, 31)),
            year: (date(year, 1, 1), self.today),  # this year's courses have ended by today
        }
        teachers = Person.objects.filter(organisation__in=[p.partner for p in pairs]).order_by("organisation", "pk")
        by_school: dict[int, list[Person]] = {}
        for person in teachers:
            by_school.setdefault(person.organisation_id, []).append(person)
        records = []
        for people in by_school.values():
            for (course_year, (first, last)), n in zip(sorted(spans.items()), IOM_TEACHERS, strict=True):
                if last < first:
                    continue
                chosen = people[:n] if course_year == year - 1 else people[-n:]
                for index, person in enumerate(chosen):
                    # One teacher this year takes two courses of the route: counted once.
                    for module in range(1, 3 if course_year == year and index == 0 else 2):
                        ends_on = first + timedelta(days=self.rng.randint(0, (last - first).days))
                        records.append(
                            ProfessionalDevelopment(
                                person=person,
                                course_title=f"{IOM_COURSE}, модуль {module}",
                                provider=IOM_PROVIDER,
                                hours=36,
                                starts_on=max(first, ends_on - timedelta(days=30)),
                                ends_on=ends_on,
                                per_individual_route=True,
                            )
                        )
        self.bulk(ProfessionalDevelopment, records, "Повышение квалификации по ИОМ")

    def _plan(self, pair, season: Season) -> None:
        for month, kind, title in PLAN:
            year = season.starts_on.year if month >= 9 else season.starts_on.year + 1
            day = date(year, month, self.rng.randint(5, 25))
            if not season.starts_on <= day <= season.ends_on:
                continue
            item = plan_item_add(pair=pair, kind=kind, title=title, planned_on=day)
            if day >= self.today:
                continue
            starts_at = self.at(day, 15, tz=season.tz)
            session = plan_item_hold(item=item, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
            marks = []
            for enrollment in pair_enrollments(pair):
                r = self.rng.random()
                status = (
                    Attendance.Status.PRESENT
                    if r < 0.8
                    else Attendance.Status.LATE
                    if r < 0.9
                    else Attendance.Status.ABSENT
                )
                marks.append(
                    Attendance(session=session, enrollment=enrollment, status=status, marked_at=session.ends_at)
                )
            self.bulk(Attendance, marks, "Отметки посещаемости")

    def _assessment_results(self, schools: list[Organisation]) -> None:
        """Three years of results: the later schools of the list weaker, each year a little better."""
        subjects = {s.name: s for s in self.subjects.values()} if isinstance(self.subjects, dict) else {}
        rows = []
        years = range(self.today.year - 2, self.today.year + 1)
        for index, school in enumerate(schools):
            weakness = index / max(1, len(schools) - 1)  # 0 — the strongest, 1 — the weakest
            for assessment, grade, name in RESULTS:
                subject = subjects.get(name)
                if subject is None:
                    continue
                for step, year in enumerate(years):
                    low = max(0.0, 4 + 22 * weakness - 3 * step * weakness + self.rng.uniform(-2, 2))
                    if assessment == "ege":
                        average = 72 - 20 * weakness + 2 * step + self.rng.uniform(-3, 3)
                    else:
                        average = 4.2 - 0.9 * weakness + 0.1 * step + self.rng.uniform(-0.1, 0.1)
                    rows.append(
                        AssessmentResult(
                            organisation=school,
                            year=year,
                            assessment=assessment,
                            subject=subject,
                            grade=grade,
                            participants=self.rng.randint(40, 120),
                            average=Decimal(f"{average:.2f}"),
                            low_share=Decimal(f"{min(low, 100):.2f}"),
                        )
                    )
        self.bulk(AssessmentResult, rows, "Результаты оценочных процедур", ignore_conflicts=True)
