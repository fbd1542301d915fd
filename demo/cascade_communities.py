"""Demo data of the professional communities «ПРОкомьюнити в мире VUCA» (сид 001): communities of the program's
latest season under way, their members and roles, meetings with attendance, the bank with ratings, half-year
reports, a cascade training and the «Prof-акселератор» module with the leaders invited.

The program and its season come from the cascade's template (programs/program_templates/_imc_moskovsky.py); when
they are not loaded, nothing is created."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import islice

from activities.models import Activity, ActivityAudience, ActivityKind, Attendance, Session
from experts.models import ExpertAssignment
from participants.models import Enrollment
from programs.models import Program, RoadmapModule, Season
from projects.models import (
    AcceleratorDirection,
    AcceleratorSupport,
    CascadeTraining,
    Community,
    CommunityMember,
    CommunityReport,
    CommunityRole,
    Practice,
    PracticeRating,
)

PROGRAM_SLUG = "prokommyuniti"
DEMO_TEACHER = "teacher.moskovsky@demo.ru"
# Communities of the district (their names follow the seed's «педагогические сообщества (МО)» of the district) and
# how many members each gets: the last one has four — «не набран состав» (сид 001: «пяти и более человек»).
COMMUNITIES = [
    ("Сообщество учителей математики «Формула роста»", 8, "Повысить качество математического образования в районе"),
    ("Сообщество наставников молодых педагогов", 7, "Сопровождать педагогов первых трёх лет работы"),
    (
        "Сообщество учителей начальных классов «Первые шаги»",
        6,
        "Развивать функциональную грамотность младших школьников",
    ),
    ("Сообщество педагогов-исследователей", 4, "Собрать команду исследователей урока"),
]
ROLES = [
    CommunityRole.CHANGE_LEADER,
    CommunityRole.MENTOR,
    CommunityRole.TUTOR,
    CommunityRole.COACH,
    CommunityRole.EXPERT,
    CommunityRole.ORGANISER,
    CommunityRole.ACTIVATOR,
    CommunityRole.CONSULTANT,
]
PRACTICES = [
    ("Урок-исследование: шаблон сценария", "Сценарий урока с этапами гипотезы и проверки; подходит для 5–9 классов."),
    ("Карта формирующего оценивания", "Таблица приёмов обратной связи на уроке с примерами формулировок."),
    ("Чек-лист наставника на первый месяц", "Что обсудить с молодым педагогом в первые четыре недели работы."),
    ("Кейс «Трудный разговор с родителями»", "Разбор ситуации и вопросы для обсуждения на встрече сообщества."),
    ("Задачи на функциональную грамотность", "Подборка заданий с ключами и критериями оценивания."),
]
ACCELERATOR_MODULE = "«Prof-акселератор» для лидеров сообществ"


class CommunitiesDemoMixin:
    """Part of demo.generator.DemoGenerator: create_communities()."""

    def create_communities(self) -> None:
        program = Program.objects.filter(slug=PROGRAM_SLUG).first()
        if program is None:
            return
        season = (
            Season.objects.filter(program=program, starts_on__lte=self.today, ends_on__gte=self.today)
            .order_by("-starts_on")
            .first()
        )
        if season is None or Community.objects.filter(season=season).exists():
            return
        enrollments = list(
            Enrollment.objects.filter(season=season, status=Enrollment.Status.ACTIVE)
            .select_related("person__user")
            .order_by("pk")
        )
        demo_teacher = next((e for e in enrollments if e.person.user and e.person.user.email == DEMO_TEACHER), None)
        if demo_teacher is not None:  # the demo teacher leads the first community (the browser journey's start)
            enrollments.remove(demo_teacher)
            enrollments.insert(0, demo_teacher)
        curators = list(ExpertAssignment.objects.filter(season=season, is_active=True).order_by("pk"))
        joined = max(season.starts_on, self.today - timedelta(days=120))
        pool = iter(enrollments)
        made = []
        for i, (name, size, goal) in enumerate(COMMUNITIES):
            members = list(islice(pool, size))
            if not members:
                break
            community = Community.objects.create(
                season=season,
                name=name,
                goals=goal,
                tasks="Провести не менее четырёх встреч за полугодие; пополнить банк практик; обучить коллег своих школ.",
                curator=curators[i % len(curators)] if curators else None,
                leader=members[0],
            )
            self.bulk(
                CommunityMember,
                [
                    CommunityMember(
                        community=community,
                        enrollment=e,
                        role=ROLES[j] if j < len(ROLES) else CommunityRole.MEMBER,
                        joined_on=joined,
                    )
                    for j, e in enumerate(members)
                ],
                "Участники сообществ",
            )
            if len(members) >= 5:
                community.status = Community.Status.ACTIVE
                community.save(update_fields=["status"])
            made.append((community, members))
        for community, members in made:
            self._community_meetings(season, community, members)
            self._community_bank(community, members, made)
            self._community_reports(community, members)
        if made:
            self._cascade_training(season, *made[0])
            self._accelerator(season, made, curators)
        self.counts["Сообщества"] = len(made)

    def _community_meetings(self, season: Season, community: Community, members: list[Enrollment]) -> None:
        activity = Activity.objects.create(
            season=season,
            title=f"Встречи сообщества «{community.name}»",
            kind=ActivityKind.COMMUNITY_MEETING,
            audience=ActivityAudience.INVITED,
            is_mandatory=False,
            gives_certificate=False,
        )
        community.meetings_activity = activity
        community.save(update_fields=["meetings_activity"])
        for k, days in enumerate((90, 60, 30, -14)):
            starts = self.at(self.today - timedelta(days=days), 16, season.tz)
            session = Session.objects.create(
                activity=activity,
                title=f"Встреча {k + 1}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="ИМЦ Московского района",
            )
            session.invited.add(*[m.pk for m in members])
            if days > 0:
                self.bulk(
                    Attendance,
                    [
                        Attendance(
                            session=session,
                            enrollment=m,
                            status=Attendance.Status.PRESENT if self.rng.random() < 0.8 else Attendance.Status.ABSENT,
                            marked_at=starts + timedelta(hours=2),
                        )
                        for m in members
                    ],
                    "Отметки посещаемости",
                )

    def _community_bank(self, community: Community, members: list[Enrollment], made) -> None:
        raters = [e for _c, ms in made for e in ms]
        for k, (title, description) in enumerate(PRACTICES[: 2 + len(members) % 3]):
            author = members[k % len(members)]
            practice = Practice.objects.create(
                community=community,
                author=author,
                kind=Practice.Kind.PRACTICE if k % 2 == 0 else Practice.Kind.MATERIAL,
                title=title,
                description=description,
                link=f"https://imc-moskovsky.example/bank/{community.pk}-{k + 1}",
                created_at=self.now - timedelta(days=80 - 10 * k),
            )
            others = [e for e in raters if e.pk != author.pk]
            self.bulk(
                PracticeRating,
                [
                    PracticeRating(practice=practice, rater=e, score=self.rng.choice((3, 4, 4, 5, 5)))
                    for e in self.rng.sample(others, min(len(others), 4))
                ],
                "Оценки материалов",
            )

    def _community_reports(self, community: Community, members: list[Enrollment]) -> None:
        year = self.today.year
        first_due, second_due = date(year, 6, 25), date(year, 12, 25)
        report = CommunityReport.objects.create(community=community, year=year, half=1, due_on=first_due)
        if first_due < self.today and len(members) >= 5:
            report.text = "Проведены четыре встречи, в банк добавлены практики, обучены коллеги двух школ."
            report.submitted_at = self.at(first_due - timedelta(days=3), 12)
            report.submitted_by = members[0]
            report.save()
        CommunityReport.objects.create(community=community, year=year, half=2, due_on=second_due)

    def _cascade_training(self, season: Season, community: Community, members: list[Enrollment]) -> None:
        trainees = list(
            Enrollment.objects.filter(season=season, status=Enrollment.Status.ACTIVE)
            .exclude(pk__in=[m.pk for m in members])
            .order_by("pk")[:6]
        )
        if not trainees:
            return
        trainer = members[0]
        starts = self.at(self.today - timedelta(days=20), 15, season.tz)
        activity = Activity.objects.create(
            season=season,
            title="Каскадное обучение: формирующее оценивание на уроке",
            kind=ActivityKind.TRAINING,
            audience=ActivityAudience.INVITED,
            is_mandatory=False,
            description=f"Каскадное обучение ПРОкомьюнити; проводит: {trainer.person}",
        )
        session = Session.objects.create(activity=activity, starts_at=starts, ends_at=starts + timedelta(hours=2))
        session.invited.add(*[t.pk for t in trainees])
        self.bulk(
            Attendance,
            [Attendance(session=session, enrollment=t, status=Attendance.Status.PRESENT) for t in trainees],
            "Отметки посещаемости",
        )
        CascadeTraining.objects.create(community=community, trainer=trainer, session=session)

    def _accelerator(self, season: Season, made, curators: list[ExpertAssignment]) -> None:
        leaders = [members[0] for _community, members in made if len(members) >= 5]
        # The cascade's template has the module (programs/program_templates/imc_cascade.py); a hand-built season not.
        module = RoadmapModule.objects.filter(
            season=season, title=ACCELERATOR_MODULE
        ).first() or RoadmapModule.objects.create(
            season=season,
            order=(
                RoadmapModule.objects.filter(season=season).order_by("-order").values_list("order", flat=True).first()
                or 0
            )
            + 1,
            number="ПА",
            title=ACCELERATOR_MODULE,
            starts_on=self.today - timedelta(days=30),
            ends_on=self.today + timedelta(days=60),
        )
        for k, direction in enumerate(AcceleratorDirection):
            activity = Activity.objects.create(
                season=season,
                module=module,
                order=k + 1,
                title=str(direction.label),
                kind=ActivityKind.MODULAR_TRAINING,
                audience=ActivityAudience.INVITED,
                is_mandatory=False,
            )
            starts = self.at(self.today + timedelta(days=7 + 14 * k), 15, season.tz)
            session = Session.objects.create(activity=activity, starts_at=starts, ends_at=starts + timedelta(hours=3))
            session.invited.add(*[e.pk for e in leaders])
        for k, leader in enumerate(leaders):
            AcceleratorSupport.objects.create(
                enrollment=leader,
                direction=list(AcceleratorDirection)[k % 3],
                companion=curators[k % len(curators)] if curators else None,
                goal="Подготовиться к роли тренера районного каскадного обучения",
            )
