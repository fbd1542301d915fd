"""The demo's personnel reserve of «Школа Лидеров образования» (сид 001): «Кадровый резерв включает 35 человек,
7 из них приняли участие в конкурсе «Управленцы будущего»».

Runs only where the leaders' school's program exists (loaded from its template by `load_programs`): its
municipality gets a reserve of its people — the demo teacher of the place among them, so that the journey
«coordinator adds an item, the member reports on it» can be walked — with trajectories, last year's analyses
and diagnostics, «Школа молодого директора» and the last closed update (2.8).
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from experts.models import ExpertAssignment, ExpertRole
from participants.models import Person
from programs.models import Program
from projects.dates import municipality_today
from projects.models.reserve import (
    ReserveAnalysis,
    ReserveDiagnostic,
    ReserveMember,
    ReserveReview,
    ReserveReviewEntry,
    ReserveSource,
    ReserveStatus,
    ReserveStatusChange,
    TrajectoryItem,
    TrajectoryKind,
    YoungDirectorParticipation,
)
from projects.services_reserve import LEADERS_SCHOOL_SLUG, last_closed_review_year

RESERVE_SIZE = 35  # in the reserve, as the seed reports
CONTEST_MEMBERS = 7  # «7 из них приняли участие в конкурсе «Управленцы будущего»»
CANDIDATES, APPOINTED, EXCLUDED = 5, 2, 1
DEMO_TEACHER = "teacher.moskovsky@demo.ru"
TITLES = {
    TrajectoryKind.COMPETENCE_MATRIX: "Самооценка по матрице профессиональных компетенций руководителя",
    TrajectoryKind.MENTORING: "Менторинг: сопровождение директором школы № 376",
    TrajectoryKind.ACCELERATION: "Управленческий акселератор: цикл мастер-классов лучших руководителей ОУ района",
    TrajectoryKind.MASTER_CLASS: "Мастер-класс «Управление изменениями в школе»",
    TrajectoryKind.CONTEST: "Подготовка к профессиональному конкурсу «Управленцы будущего»",
    TrajectoryKind.PROJECT: "Управленческий проект «Школа полного дня»",
    TrajectoryKind.COACHING: "Коучинг-сессии по целеполаганию",
    TrajectoryKind.INTERNSHIP: "Стажировка на базе передовой ОУ района",
}


class ReserveMixin:
    """The personnel reserve of the leaders' school (projects.models.reserve)."""

    def create_reserve(self) -> None:
        program = Program.objects.filter(slug=LEADERS_SCHOOL_SLUG).select_related("municipality").first()
        if program is None:
            return
        municipality = program.municipality
        rng = Random(self.seed + 1)  # its own generator: the parts run after it get the same data as before
        today = municipality_today(municipality, now=self.now)
        people = list(
            Person.objects.filter(organisation__municipality=municipality, is_anonymised=False)
            .exclude(reserve_memberships__municipality=municipality)
            .select_related("user")
            .order_by("pk")
        )
        if not people:
            return
        demo = [p for p in people if p.user_id and p.user.email == DEMO_TEACHER]
        others = [p for p in people if p not in demo]
        rng.shuffle(others)
        total = RESERVE_SIZE + CANDIDATES + APPOINTED + EXCLUDED
        chosen = (demo + others)[:total]
        closed = last_closed_review_year(today)
        listed_on = date(closed - 1, 12, 15)
        statuses = (
            [ReserveStatus.IN_RESERVE] * RESERVE_SIZE
            + [ReserveStatus.CANDIDATE] * CANDIDATES
            + [ReserveStatus.APPOINTED] * APPOINTED
            + [ReserveStatus.EXCLUDED] * EXCLUDED
        )
        members = []
        for i, (person, status) in enumerate(zip(chosen, statuses, strict=False)):
            source = (
                ReserveSource.CONTEST
                if i < CONTEST_MEMBERS
                else rng.choice([ReserveSource.RECOMMENDATION, ReserveSource.ADMINISTRATION, ReserveSource.SELF])
            )
            members.append(
                ReserveMember(
                    municipality=municipality,
                    person=person,
                    organisation_id=person.organisation_id,
                    position=person.position,
                    source=source,
                    status=status,
                    listed_on=listed_on,
                    included_on=None if status == ReserveStatus.CANDIDATE else listed_on,
                    decision=""
                    if status == ReserveStatus.CANDIDATE
                    else f"Распоряжение администрации района № {40 + i}",
                    status_changed_on=listed_on
                    if status in (ReserveStatus.IN_RESERVE, ReserveStatus.CANDIDATE)
                    else today - timedelta(days=60),
                    status_reason="Личное заявление об исключении из резерва"
                    if status == ReserveStatus.EXCLUDED
                    else "",
                )
            )
        members = self.bulk(ReserveMember, members, "Кадровый резерв")
        changes = []
        for m in members:
            first = ReserveStatus.CANDIDATE if m.status == ReserveStatus.CANDIDATE else ReserveStatus.IN_RESERVE
            changes.append(ReserveStatusChange(member=m, to_status=first, changed_on=listed_on, decision=m.decision))
            if m.status in (ReserveStatus.APPOINTED, ReserveStatus.EXCLUDED):
                changes.append(
                    ReserveStatusChange(
                        member=m,
                        from_status=ReserveStatus.IN_RESERVE,
                        to_status=m.status,
                        changed_on=m.status_changed_on,
                        decision="Приказ о назначении на должность" if m.status == ReserveStatus.APPOINTED else "",
                        reason=m.status_reason,
                    )
                )
        self.bulk(ReserveStatusChange, changes)
        current = [m for m in members if m.is_current]
        kinds = list(TrajectoryKind)
        items = []
        for m in current:
            for kind in rng.sample(kinds, 3):
                due = today + timedelta(days=rng.randint(-60, 180))
                done = due < today and rng.random() < 0.7
                items.append(
                    TrajectoryItem(
                        member=m,
                        kind=kind,
                        title=TITLES[kind],
                        due_on=due,
                        state=TrajectoryItem.State.DONE if done else TrajectoryItem.State.PLANNED,
                        report="Выполнено, материалы представлены на семинаре кадрового резерва" if done else "",
                        reported_at=self.now - timedelta(days=3) if done else None,
                    )
                )
        self.bulk(TrajectoryItem, items, "Пункты траекторий")
        last_year = today.year - 1
        analysed = [m for m in current if rng.random() < 0.85]
        self.bulk(
            ReserveAnalysis,
            [
                ReserveAnalysis(
                    member=m,
                    year=last_year,
                    analysis="Индивидуальный план подготовки выполнен; рекомендованы стажировка и менторинг.",
                    consulted_on=date(last_year, 12, rng.randint(1, 20)),
                )
                for m in analysed
            ],
        )
        psychologist = (
            ExpertAssignment.objects.filter(season__program=program, role=ExpertRole.PSYCHOLOGIST, is_active=True)
            .order_by("-season__starts_on", "pk")
            .first()
        )
        if psychologist is not None:
            self.bulk(
                ReserveDiagnostic,
                [
                    ReserveDiagnostic(
                        member=m,
                        year=last_year,
                        held_on=date(last_year, 10, rng.randint(1, 28)),
                        psychologist=psychologist,
                        strengths="Стратегическое мышление, ответственность",
                        deficits="Делегирование полномочий, управление временем",
                    )
                    for m in current
                ],
            )
        self.bulk(
            YoungDirectorParticipation,
            [
                YoungDirectorParticipation(member=m, year=last_year, state=YoungDirectorParticipation.State.COMPLETED)
                for m in members
                if m.status == ReserveStatus.APPOINTED
            ],
        )
        review = ReserveReview.objects.create(
            municipality=municipality,
            year=closed,
            held_on=date(closed + 1, 2, 15),
            decision=f"Распоряжение администрации района от 15.02.{closed + 1} об обновлении состава кадрового резерва",
        )
        self.bulk(
            ReserveReviewEntry,
            [
                ReserveReviewEntry(review=review, member=m, outcome=ReserveReviewEntry.Outcome.KEPT)
                for m in members
                if m.status == ReserveStatus.IN_RESERVE
            ],
        )
