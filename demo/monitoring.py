"""The scheduled jobs run once over the fresh data, and the half-year monitoring reports."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from activities.deadlines import check_deadlines_job
from activities.models import ExclusionCase
from activities.services_certificates import certificates_issue
from core.jobs import job_run
from core.models import JobRun, Notification
from participants.models import Enrollment
from programs.models import (
    Municipality,
    Organisation,
)
from reports.models import KpiSnapshot, MonitoringReport
from reports.monitoring import (
    half_year_last_ended,
    half_year_previous,
    monitoring_analysis_save,
    monitoring_recommendation_add,
    monitoring_report_approve,
)
from reports.services import default_period_label, kpi_period_values, kpi_snapshot_take


class MonitoringMixin:
    """The scheduled jobs run once over the fresh data, and the half-year monitoring reports."""

    def run_jobs(self) -> None:
        """Run the scheduled jobs once, as beat would have, logged in the job log as an operator's run.

        The letters these jobs queue are not sent: the demo people's addresses are made up.
        """
        command = JobRun.Trigger.COMMAND
        run = check_deadlines_job(now=self.now, trigger=command)
        self.counts["Несданные видеоуроки"] = run.summary.get("missed", 0)
        self.counts["Основания для исключения"] = ExclusionCase.objects.count()
        self.step("Проверка сроков и правил исключения", self.counts["Основания для исключения"])
        # Every certificate owed now, through the real service in its batches, so that the first hourly job after
        # `make run` finds nothing to do; a region (bench/) keeps to the demo accounts' ones, or rendering tens of
        # thousands of PDFs would multiply its load time. The letters are not sent (see below).
        # The planner must know the tables are full before the certificates' queries, or PostgreSQL picks nested
        # loops over «empty» tables that take many minutes (ANALYZE may run inside the transaction).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        owed_to = None
        if self.region:
            owed_to = list(
                Enrollment.objects.filter(person__user__email__endswith="@demo.ru").values_list("pk", flat=True)
            )
        with job_run("issue_certificates", trigger=command) as run:
            result = certificates_issue(now=self.now, enrollment_ids=owed_to, batch_size=100)
            run.count("issued", result["issued"])
            run.count("batches", result["batches"])
            if self.region:
                run.say(f"Выданы сертификаты демо-участников: {result['issued']}; остальные выдаст ежечасная задача.")
            else:
                run.say(f"Выданы сертификаты: {result['issued']} из {result['owed']}.")
        self.counts["Сертификаты"] = result["issued"]
        self.step("Сертификаты (PDF)", result["issued"])
        with job_run("kpi_snapshot", trigger=command) as run:
            self.counts["Срезы показателей"] = kpi_snapshot_take(now=self.now)
            run.count("snapshots", self.counts["Срезы показателей"])
        self.counts["Срезы за полугодие"] = self.create_half_year_monitoring()
        # Nobody is waiting for these letters (the addresses are made up): the cabinet shows the notifications.
        Notification.objects.filter(email_status=Notification.EmailStatus.PENDING).update(email_status="")
        self.step("Срез показателей KPI", self.counts["Срезы показателей"])

    def create_half_year_monitoring(self) -> int:
        """The two latest ended half-years of every municipality with a program, frozen as the beat job freezes
        them (приказ № 1063-од, п. 7.3); in the demo coordinator's district the older report is approved with its
        analysis and targeted recommendations (п. 7.5) and the latest is a draft to go on with."""
        year, half, _last_day = half_year_last_ended(timezone.localdate(self.now))
        periods = [half_year_previous(year, half), (year, half)]
        written = 0
        for municipality in Municipality.objects.filter(programs__isnull=False).distinct().order_by("pk"):
            for period_year, period_half in periods:
                _snapshot, created = KpiSnapshot.objects.get_or_create(
                    kind=KpiSnapshot.Kind.PERIOD,
                    automatic=True,
                    municipality=municipality,
                    year=period_year,
                    half=period_half,
                    defaults={
                        "taken_on": timezone.localdate(self.now, ZoneInfo(municipality.time_zone)),
                        "taken_at": self.now,
                        "period": default_period_label(year=period_year, half=period_half),
                        "values": kpi_period_values(
                            municipality=municipality, year=period_year, half=period_half, now=self.now
                        ),
                    },
                )
                written += created
        coordinator = self.demo["coordinator@demo.ru"].person.user
        snapshots = list(
            KpiSnapshot.objects.filter(
                kind=KpiSnapshot.Kind.PERIOD, automatic=True, municipality_id=self.pt.municipality_id
            )
            .filter(Q(year=periods[0][0], half=periods[0][1]) | Q(year=periods[1][0], half=periods[1][1]))
            .order_by("year", "half")
        )
        if len(snapshots) != 2 or MonitoringReport.objects.filter(snapshot__in=snapshots).exists():
            return written
        older, latest = snapshots
        schools = [
            org
            for org in self.organisations
            if org.municipality_id == self.pt.municipality_id and org.kind == Organisation.Kind.SCHOOL
        ]
        low = [org for org in schools if org.pk in self.low_result_ids] or schools
        monitoring_analysis_save(
            snapshot=older,
            analysis=(
                "Доля педагогов, освоивших программы ДПО из Федерального реестра по итогам диагностики, растёт, "
                "но отстаёт от цели года; в школах с низкими результатами диагностику прошли не все педагоги. "
                "Управленческие команды участвуют в программах повышения квалификации командами."
            ),
            by=coordinator,
            now=self.now,
        )
        for org, text in zip(
            low[:2],
            [
                "Провести диагностику профессиональных дефицитов педагогов, не прошедших её в этом году, и подобрать "
                "программы ДПО из Федерального реестра.",
                "Включить молодых педагогов школы в школу «Педагогический дебют» и закрепить наставников.",
            ],
            strict=False,
        ):
            monitoring_recommendation_add(
                snapshot=older,
                organisation=org,
                addressee_group="",
                text=text,
                due_on=timezone.localdate(self.now) + timedelta(days=60),
                responsible="Заместитель директора по УВР",
                by=coordinator,
                now=self.now,
            )
        monitoring_recommendation_add(
            snapshot=older,
            organisation=None,
            addressee_group="Руководители школьных методических объединений",
            text="Обменяться практиками непрерывного повышения квалификации на августовском совещании.",
            due_on=timezone.localdate(self.now) + timedelta(days=90),
            responsible="МКУ «ЦРО Октябрьского района»",
            by=coordinator,
            now=self.now,
        )
        monitoring_report_approve(snapshot=older, by=coordinator, now=self.now)
        monitoring_analysis_save(
            snapshot=latest,
            analysis="Черновик: сравнить с предыдущим полугодием и подготовить адресные рекомендации.",
            by=coordinator,
            now=self.now,
        )
        return written
