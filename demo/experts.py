"""Experts: assignments, groups, entry results, lesson visits, consultations, mentoring, achievements."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from demo.base import keep_timestamps, model_field
from demo.data import (
    ACHIEVEMENTS,
    BATCH,
    COMPETENCE_PLATFORMS,
    GROUP_CONSULTATION_TOPICS,
    INTERVIEW_NOTES,
    MENTORING_GOALS,
    PSYCHOLOGIST_NOTES,
    RECOMMENDATIONS,
    VISIT_LESSONS,
)
from experts.models import (
    CompetenceTest,
    Consultation,
    EntryInterview,
    ExpertAssignment,
    ExpertGroup,
    ExpertRole,
    GroupMember,
    LessonVisit,
    MentoringPair,
    VisitMode,
)
from ratings.models import Achievement, Review, ReviewAssignment


class ExpertsMixin:
    """Experts: assignments, groups, entry results, lesson visits, consultations, mentoring, achievements."""

    # --- experts ------------------------------------------------------------------------------------
    def create_expert_assignments(self) -> None:
        objs = []
        for program, seasons in self.program_seasons.items():
            team = self.teams[program.pk]
            for season in seasons:
                for role, count in sorted(self.season_roles[season.pk].items()):
                    for spec, subject in team.get(role, [])[:count]:
                        objs.append(
                            ExpertAssignment(
                                season=season,
                                person=spec.person,
                                role=role,
                                subject=self.subjects[subject] if subject else None,
                                assigned_at=self.at(season.starts_on) - timedelta(days=10),
                            )
                        )
        with keep_timestamps(model_field(ExpertAssignment, "assigned_at")):
            objs = self.bulk(ExpertAssignment, objs, "Назначения экспертов")
        self.season_experts: dict[int, dict[str, list[ExpertAssignment]]] = defaultdict(lambda: defaultdict(list))
        for a in objs:
            self.season_experts[a.season_id][a.role].append(a)

    # --- the expert team's work ----------------------------------------------------------------------
    def create_expert_work(self) -> None:
        """Groups with curators and entry results, lesson visits each quarter, consultations (the psychologist's
        confidential), mentoring pairs, review queues and achievements — what the expert team's pages show."""
        rng = self.rng
        members_by_season = defaultdict(list)
        for e, active_from, active_until, _status, _why, spec in self.windows:
            if active_from is not None:
                members_by_season[e.season_id].append((e, active_from, active_until, spec))
        groups, members, tests, interviews, visits, consultations, pairs, achievements = ([] for _ in range(8))
        consultation_people = []
        for seasons in self.program_seasons.values():
            for season in seasons:
                people = members_by_season.get(season.pk, [])
                if not people:
                    continue
                experts = self.season_experts[season.pk]
                curators = experts.get(ExpertRole.CURATOR, [])
                methodists = experts.get(ExpertRole.METHODIST, [])
                # Groups of about twenty by the learning format chosen, each with a curator in turn.
                by_format = defaultdict(list)
                for item in people:
                    by_format[item[0].preferred_format].append(item)
                season_groups = []
                for fmt, items in sorted(by_format.items()):
                    for start in range(0, len(items), 20):
                        number = len(season_groups) + 1
                        group = ExpertGroup(
                            season=season,
                            name=f"Группа {number}" + (f" ({fmt})" if fmt else ""),
                            curator=curators[(number - 1) % len(curators)] if curators else None,
                            learning_format=fmt,
                        )
                        season_groups.append((group, items[start : start + 20]))
                groups.extend(g for g, _ in season_groups)
                for group, items in season_groups:
                    for e, active_from, active_until, spec in items:
                        members.append(GroupMember(group=group, enrollment=e))
                        taken = timezone.localtime(active_from, season.tz).date() + timedelta(days=rng.randint(1, 14))
                        if taken <= self.today and rng.random() < 0.85:
                            tests.append(
                                CompetenceTest(
                                    enrollment=e,
                                    platform=rng.choice(COMPETENCE_PLATFORMS),
                                    taken_on=taken,
                                    level=rng.choice(("базовый", "продвинутый", "экспертный")),
                                    score=Decimal(rng.randint(35, 98)),
                                )
                            )
                        if taken <= self.today and rng.random() < 0.7:
                            interviews.append(
                                EntryInterview(
                                    enrollment=e,
                                    interviewer=group.curator,
                                    held_on=taken,
                                    notes=rng.choice(INTERVIEW_NOTES),
                                )
                            )
                        visits.extend(self.plan_visits(season, e, active_from, active_until, spec, group, methodists))
                # The psychologist's individual consultations (confidential) and the curators' group ones.
                for psychologist in experts.get(ExpertRole.PSYCHOLOGIST, []):
                    for e, active_from, active_until, _spec in rng.sample(people, min(len(people), 6)):
                        end = min(active_until or self.now, self.now)
                        if end <= active_from:
                            continue
                        consultations.append(
                            Consultation(
                                season=season,
                                expert=psychologist,
                                kind=Consultation.Kind.INDIVIDUAL,
                                held_at=self.between(active_from, end),
                                topic="Индивидуальная консультация",
                                content=rng.choice(PSYCHOLOGIST_NOTES),
                                is_confidential=True,
                            )
                        )
                        consultation_people.append([e])
                for group, items in season_groups:
                    if group.curator is None or not items:
                        continue
                    start = min(item[1] for item in items)
                    if start >= self.now:
                        continue
                    consultations.append(
                        Consultation(
                            season=season,
                            expert=group.curator,
                            kind=Consultation.Kind.GROUP,
                            held_at=self.between(start, self.now),
                            topic=rng.choice(GROUP_CONSULTATION_TOPICS),
                            content="Разобрали вопросы группы, договорились о сроках следующего этапа.",
                        )
                    )
                    consultation_people.append([item[0] for item in items])
                # Mentors (Pedkluster 27) take two or three mentees each.
                pool = list(people)
                rng.shuffle(pool)
                for mentor in experts.get(ExpertRole.MENTOR, []):
                    for e, active_from, _u, _spec in [pool.pop() for _ in range(min(len(pool), rng.randint(2, 3)))]:
                        pairs.append(
                            MentoringPair(
                                season=season,
                                mentor=mentor,
                                mentee=e,
                                goals=rng.choice(MENTORING_GOALS),
                                started_on=timezone.localtime(active_from, season.tz).date(),
                            )
                        )
                # Achievements outside the program, most confirmed by the expert group.
                deciders = curators + methodists
                for e, active_from, active_until, _spec in people:
                    if rng.random() > 0.3:
                        continue
                    end = min(active_until or self.now, self.now)
                    if end <= active_from:
                        continue
                    happened = self.between(active_from, end)
                    title, kind = rng.choice(ACHIEVEMENTS)
                    level = rng.choices(Achievement.Level.values, weights=(55, 30, 12, 3))[0]
                    status = rng.choices(Achievement.Status.values, weights=(20, 70, 10))[0]
                    decided = status != Achievement.Status.PENDING and deciders
                    achievements.append(
                        Achievement(
                            enrollment=e,
                            title=title,
                            kind=kind,
                            level=level,
                            result=rng.choice(("победитель", "призёр", "участник", "")),
                            happened_on=timezone.localtime(happened, season.tz).date(),
                            proof_url=f"https://disk.yandex.ru/i/{rng.getrandbits(64):016x}",
                            status=status if decided else Achievement.Status.PENDING,
                            decided_by=rng.choice(deciders) if decided else None,
                            decided_at=min(happened + timedelta(days=rng.randint(1, 10)), self.now)
                            if decided
                            else None,
                            comment=(
                                "Подтверждающий документ не соответствует заявленному уровню."
                                if decided and status == Achievement.Status.REJECTED
                                else ""
                            ),
                        )
                    )
        self.bulk(ExpertGroup, groups, "Группы")
        self.bulk(GroupMember, members, "Участники групп")
        self.bulk(CompetenceTest, tests, "Тесты цифрового профиля")
        self.bulk(EntryInterview, interviews, "Входные собеседования")
        self.bulk(LessonVisit, visits, "Посещения уроков")
        consultations = self.bulk(Consultation, consultations, "Консультации")
        through = Consultation.participants.through
        self.bulk(
            through,
            [
                through(consultation_id=c.pk, enrollment_id=e.pk)
                for c, people in zip(consultations, consultation_people, strict=True)
                for e in people
            ],
        )
        self.bulk(MentoringPair, pairs, "Наставнические пары")
        self.bulk(Achievement, achievements, "Достижения")
        # Each reviewed or waiting lesson sits in its reviewer's queue; reviews carry their due date.
        assignments, reviews_due = {}, []
        for review in Review.objects.filter(submission__enrollment__season__in=list(members_by_season)).select_related(
            "submission__enrollment__season"
        ):
            assignments[(review.submission_id, review.expert_id)] = ReviewAssignment(
                submission_id=review.submission_id,
                expert_id=review.expert_id,
                assigned_at=review.submission.submitted_at,
            )
            review.due_at = review.submission.submitted_at + timedelta(
                days=review.submission.enrollment.season.review_due_days
            )
            reviews_due.append(review)
        self.bulk(ReviewAssignment, list(assignments.values()), "Назначения на проверку")
        Review.objects.bulk_update(reviews_due, ["due_at"], batch_size=BATCH)

    def plan_visits(self, season, e, active_from, active_until, spec, group, methodists) -> list[LessonVisit]:
        """A visit in most quarters the participant was active, by the group's curator or a subject methodist."""
        rng = self.rng
        visits = []
        end = min(active_until or self.now, self.now)
        year, quarter = self.quarter_of(active_from, season)
        while True:
            q_start, q_end = self.quarter_bounds(year, quarter, season)
            if q_start >= end:
                break
            start, stop = max(q_start, active_from), min(q_end, end)
            subject_methodists = [
                m for m in methodists if spec.subjects and m.subject and m.subject.name in spec.subjects
            ]
            visitor = (
                group.curator
                if rng.random() < 0.6
                else (rng.choice(subject_methodists) if subject_methodists else None)
            )
            if stop > start and visitor is not None and rng.random() < 0.75:
                visits.append(
                    LessonVisit(
                        enrollment=e,
                        expert=visitor,
                        visited_on=timezone.localtime(self.between(start, stop), season.tz).date(),
                        mode=rng.choice(VisitMode.values),
                        lesson=rng.choice(VISIT_LESSONS),
                        grade=f"{rng.randint(5, 11)}{rng.choice('АБВ')}",
                        subject=self.subjects.get(spec.subjects[0]) if spec.subjects else None,
                        notes="Урок выстроен логично; на этапе рефлексии не хватило времени.",
                        recommendations=rng.choice(RECOMMENDATIONS),
                    )
                )
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        return visits
