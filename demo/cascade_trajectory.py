"""«Траектория развития» (сид 001): informal mentor communities inside the project's schools with the seed's new
pedagogical positions, the bank of mentoring practices at every step of its review, educational intensives of the
past half-years (one half left without, so the project's page shows its flag), and the schools' monitoring of
mentoring forms per half-year with growing numbers and one school that has not reported."""

from __future__ import annotations

from datetime import timedelta

from activities.models import Activity, ActivityAudience, ActivityKind, Session
from participants.models import Enrollment
from programs.models import Organisation, Program, Season
from projects.models import Community, CommunityMember, CommunityRole, MentoringFormsReport, Practice
from projects.models.trajectory import MENTORING_FORMS
from projects.selectors_trajectory import half_of, season_half_years

PROGRAM_SLUG = "traektoriya-razvitiya"  # programs/program_templates/_imc_moskovsky.py
SCHOOLS = 3
POSITIONS = [
    CommunityRole.PED_MENTOR,
    CommunityRole.PED_METHODIST,
    CommunityRole.PED_TUTOR,
    CommunityRole.PED_RESEARCHER,
    CommunityRole.PED_INNOVATOR,
]
PRACTICES = [
    # (title, review state)
    ("Клуб молодого педагога: наставничество «педагог – педагог»", Practice.Review.RECOMMENDED),
    ("«Ученик – ученик»: консультанты по математике в 5–6 классах", Practice.Review.REVIEWED),
    ("Школа наставника: сопровождение педагогов-тьюторов", Practice.Review.SUBMITTED),
    ("Портфолио педагога-исследователя", Practice.Review.RETURNED),
]


class TrajectoryMixin:
    """«Траектория развития»: does nothing where the project's program has not been loaded (load_programs)."""

    def create_trajectory(self) -> None:
        program = Program.objects.filter(slug=PROGRAM_SLUG).select_related("municipality").first()
        if program is None:
            return
        seasons = Season.objects.filter(program=program)
        season = seasons.filter(starts_on__lte=self.today, ends_on__gte=self.today).order_by("-starts_on").first()
        season = season or seasons.order_by("-starts_on").first()
        if season is None or Community.objects.filter(season=season, kind=Community.Kind.SCHOOL_MENTORS).exists():
            return
        schools = list(
            Organisation.objects.filter(municipality=program.municipality, kind=Organisation.Kind.SCHOOL).order_by(
                "sort_key", "pk"
            )
        )
        made = []
        for school in schools:
            members = list(
                Enrollment.objects.filter(season=season, status=Enrollment.Status.ACTIVE, person__organisation=school)
                .select_related("person")
                .order_by("pk")[: len(POSITIONS) + 2]
            )
            if len(members) < len(POSITIONS):  # «СООБЩЕСТВО … из пяти и более человек» (сид 001)
                continue
            made.append(self._mentor_community(season, school, members))
            if len(made) == SCHOOLS:
                break
        for i, (community, members) in enumerate(made):
            self._mentoring_practice(community, members, *PRACTICES[i % len(PRACTICES)])
        if made:
            self._mentoring_practice(made[0][0], made[0][1], *PRACTICES[-1])
        self._intensives(season)
        self._mentoring_forms(season, schools)
        self.counts["Траектория развития: сообщества наставников"] = len(made)

    def _mentor_community(self, season: Season, school: Organisation, members: list[Enrollment]):
        joined = max(season.starts_on, self.today - timedelta(days=150))
        community = Community.objects.create(
            season=season,
            name=f"Сообщество педагогов-наставников: {school.short_name}",
            kind=Community.Kind.SCHOOL_MENTORS,
            organisation=school,
            goals="Выстраивание траекторий развития педагогов школы через наставничество.",
            tasks="Освоить новые педагогические позиции; внести успешный опыт школы в банк наставнических практик.",
            leader=members[0],
            status=Community.Status.ACTIVE,
        )
        self.bulk(
            CommunityMember,
            [
                CommunityMember(
                    community=community,
                    enrollment=e,
                    role=POSITIONS[j] if j < len(POSITIONS) else CommunityRole.MEMBER,
                    joined_on=joined,
                )
                for j, e in enumerate(members)
            ],
            "Участники сообществ",
        )
        return community, members

    def _mentoring_practice(self, community: Community, members: list[Enrollment], title: str, review: str) -> None:
        created = self.at(self.today - timedelta(days=self.rng.randint(20, 90)), 10)
        reviewed = review in (Practice.Review.REVIEWED, Practice.Review.RECOMMENDED, Practice.Review.RETURNED)
        Practice.objects.create(
            community=community,
            author=members[self.rng.randrange(len(members))],
            kind=Practice.Kind.MENTORING,
            title=title,
            description="Цели, формы и результаты наставнической практики школы за полугодие.",
            link="https://imc-mosk.example/praktiki",
            created_at=created,
            review=review,
            conclusion="Практика результативна и воспроизводима в других ОО района."
            if review in (Practice.Review.REVIEWED, Practice.Review.RECOMMENDED)
            else "",
            returned_reason="Добавьте результаты наставнических пар за полугодие." if review == "returned" else "",
            reviewed_at=created + timedelta(days=7) if reviewed else None,
            recommended_at=created + timedelta(days=10) if review == Practice.Review.RECOMMENDED else None,
        )

    def _intensives(self, season: Season) -> None:
        """Мероприятие 6: an intensive in every past half-year of the season but the first (so the flag shows)."""
        activity = Activity.objects.create(
            season=season,
            title="Образовательный интенсив для педагогов-наставников",
            kind=ActivityKind.INTENSIVE,
            audience=ActivityAudience.OPEN,
            is_mandatory=False,
        )
        current = half_of(self.today)
        for n, half in enumerate(season_half_years(season)):
            if n == 0 or half > current:
                continue
            day = max(half.starts_on, season.starts_on) + timedelta(days=30)
            if day >= self.today:
                continue
            starts_at = self.at(day, 15, tz=season.tz)
            Session.objects.create(activity=activity, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3))

    def _mentoring_forms(self, season: Season, schools: list[Organisation]) -> None:
        """Мероприятия 1 и 8: every started half-year, each school but the last reports; the numbers grow."""
        current = half_of(self.today)
        halves = [h for h in season_half_years(season) if h <= current]
        rows = []
        for step, half in enumerate(halves):
            for school in schools[:-1] if len(schools) > 1 else schools:
                counts = {
                    field: max(0, self.rng.randint(0, 4) + step * (2 if i < 2 else 1) - (2 if i == 2 else 0))
                    for i, (field, _label) in enumerate(MENTORING_FORMS)
                }
                rows.append(
                    MentoringFormsReport(
                        season=season,
                        organisation=school,
                        year=half.year,
                        half=half.half,
                        entered_at=self.at(min(half.ends_on, self.today), 12),
                        **counts,
                    )
                )
        self.bulk(MentoringFormsReport, rows, "Траектория развития: мониторинг форм наставничества")
