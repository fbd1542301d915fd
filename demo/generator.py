"""The demo generator: its parts put together, and seed_demo(), the entry point of `manage.py seed_demo`."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as dtime
from random import Random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from demo.attendance import AttendanceMixin
from demo.base import DemoError, Spec, demo_data_exists, ensure_role_groups
from demo.cascade_communities import CommunitiesDemoMixin
from demo.cascade_competence_lab import CompetenceLabMixin
from demo.cascade_office import CascadeOfficeMixin
from demo.cascade_reserve import ReserveMixin
from demo.cascade_school_pairs import SchoolPairsMixin
from demo.cascade_trajectory import TrajectoryMixin
from demo.data import BATCH, STAFF
from demo.experts import ExpertsMixin
from demo.feedback import FeedbackMixin
from demo.kpi import KpiFactsMixin
from demo.monitoring import MonitoringMixin
from demo.names import NamePool
from demo.people import PeopleMixin
from demo.reviews import ReviewsMixin
from demo.seasons import SeasonsMixin
from experts.models import (
    ExpertAssignment,
    ExpertRole,
)
from reports.kpi_cache import kpi_data_changed


class DemoGenerator(
    PeopleMixin,
    SeasonsMixin,
    AttendanceMixin,
    ReviewsMixin,
    FeedbackMixin,
    ExpertsMixin,
    KpiFactsMixin,
    MonitoringMixin,
    CommunitiesDemoMixin,
    CompetenceLabMixin,
    ReserveMixin,
    CascadeOfficeMixin,
    SchoolPairsMixin,
    TrajectoryMixin,
):
    """The whole demo data set, built in memory from one seeded random generator and written in bulk; each
    mixin builds one part (see the demo package's docstring), run() calls them in order in one transaction."""

    def __init__(self, *, scale: str, seed: int = 42, log: Callable[[str], None] = print, now: datetime | None = None):
        if scale not in STAFF:
            raise DemoError(f"Неизвестный масштаб: {scale}")
        self.scale = scale
        self.region = scale == "region"
        self.seed = seed
        self.rng = Random(seed)
        self.log = log
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.counts: dict[str, int] = {}
        self._t = time.monotonic()

    # --- helpers ------------------------------------------------------------------------------------
    def step(self, label: str, n: int | None = None):
        took = time.monotonic() - self._t
        self._t = time.monotonic()
        suffix = f": {n:,}".replace(",", " ") if n is not None else ""
        self.log(f"  {label}{suffix} ({took:.1f} с)")

    def bulk(self, model, objs, label: str | None = None, **kw):
        objs = model.objects.bulk_create(objs, batch_size=BATCH, **kw)
        if label:
            self.counts[label] = self.counts.get(label, 0) + len(objs)
        return objs

    def between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + timedelta(seconds=self.rng.randint(0, int((end - start).total_seconds())))

    # --- main ---------------------------------------------------------------------------------------
    @transaction.atomic
    def run(self) -> dict[str, int]:
        self.groups = ensure_role_groups()
        self.password = make_password(settings.DEMO_PASSWORD)  # hashed once, shared by every demo account
        self.names = NamePool(self.seed)
        self.program_seasons = self.prepare_seasons()
        self.step("Сезоны программ", sum(len(v) for v in self.program_seasons.values()))
        self.subjects = self.ensure_subjects()
        self.municipalities = self.ensure_municipalities()
        self.organisations = self.create_organisations()
        self.step("Организации", len(self.organisations))
        self.specs = self.generate_teachers()
        self.step("Педагоги (в памяти)", len(self.specs))
        self.teams = self.generate_teams()
        self.demo = self.generate_demo_people()
        self.plan_enrollments()
        self.save_people()
        self.step("Люди и учётные записи", self.counts.get("Люди"))
        self.create_expert_assignments()
        self.step("Назначения экспертов", self.counts.get("Назначения экспертов"))
        self.create_enrollments()
        self.step("Участие и история статусов", self.counts.get("Участие"))
        self.create_attendance()
        self.step("Посещаемость", self.counts.get("Отметки посещаемости", 0))
        self.create_submissions()
        self.step("Видеоуроки и рецензии", self.counts.get("Видеоуроки", 0))
        self.create_feedback()
        self.step("Ежеквартальная обратная связь", self.counts.get("Ответы на обратную связь", 0))
        self.create_subscription()
        self.step(
            "Методический абонемент: заявки школ, запросы, маршруты", self.counts.get("Индивидуальные запросы", 0)
        )
        self.create_expert_work()
        self.step("Группы, посещения уроков, консультации, наставники, достижения", self.counts.get("Группы", 0))
        self.compute_ratings()
        self.step("Рейтинг участников", self.counts.get("Строки рейтинга", 0))
        self.create_kpi_facts()
        self.step(
            "Повышение квалификации, диагностики, управленческие команды, сведения школ, мероприятия",
            self.counts.get("Повышение квалификации", 0),
        )
        self.create_communities()
        self.step("ПРОкомьюнити: сообщества, встречи, банк практик, отчёты", self.counts.get("Сообщества", 0))
        self.create_competence_lab()
        self.step(
            "Лаборатория профессиональных компетенций: наставники по темам",
            self.counts.get("Лаборатория: наставники", 0),
        )
        self.create_reserve()
        self.step("«Школа Лидеров образования»: кадровый резерв и траектории", self.counts.get("Кадровый резерв", 0))
        self.create_office()
        self.step("Проектный офис ИМЦ Московского района", self.counts.get("Мероприятия проектов выполнены", 0))
        self.create_school_pairs()
        self.step("«Школа – Школе»: пары, планы, результаты ВПР, ОГЭ, ЕГЭ", self.counts.get("Пары «Школа – Школе»", 0))
        self.create_trajectory()
        self.step(
            "«Траектория развития»: сообщества наставников, практики, интенсивы, мониторинг форм наставничества",
            self.counts.get("Траектория развития: сообщества наставников", 0),
        )
        self.run_jobs()
        return self.counts

    def at(self, day, hour: int = 9, tz=None) -> datetime:
        return datetime.combine(day, dtime(hour, 0), tzinfo=tz or timezone.get_current_timezone())

    def video_url(self) -> str:
        return f"https://rutube.ru/video/{self.rng.getrandbits(128):032x}/"

    def reviewers(self, season_id: int) -> list[ExpertAssignment]:
        experts = self.season_experts[season_id]
        return experts.get(ExpertRole.METHODIST, []) + experts.get(ExpertRole.CURATOR, [])

    def pick_reviewer(self, season_id: int, subject_id: int | None, spec: Spec) -> ExpertAssignment:
        experts = self.season_experts[season_id]
        methodists = experts.get(ExpertRole.METHODIST, [])
        matching = [m for m in methodists if subject_id and m.subject_id == subject_id]
        if matching:
            return matching[0]
        return self.rng.choice(self.reviewers(season_id))


def seed_demo(
    *, scale: str, seed: int = 42, log: Callable[[str], None] = print, now: datetime | None = None
) -> dict[str, int] | None:
    """Build the demo data set once, as of `now` (the present by default); None when it is already there."""
    if demo_data_exists():
        return None
    counts = DemoGenerator(scale=scale, seed=seed, log=log, now=now).run()
    kpi_data_changed()  # written with bulk_create, which no signal reports
    statistics_refresh()
    return counts


def statistics_refresh() -> None:
    """After a bulk load PostgreSQL's planner still believes the tables empty until autovacuum comes round, and
    picks nested loops that take minutes on the first KPI queries: gather the statistics now, as after any load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
