#!/usr/bin/env python3
"""Benchmarks of the background work: `jobs`, `certificates`, `export`.

The functions registered in bench/run.py's BENCHMARKS run in the harness process, which never imports
Django: they build a throwaway database with the harness's code and time the work in child processes
(`python bench/jobs.py <child> ...`, which call django.setup() against DATABASE_URL and print one JSON line).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# The job runs with its clock this far ahead of the seeded «now»: the week's sessions close, video cut-offs
# pass and rules are breached, so the run writes what a real nightly run writes (marks, records, cases).
JOBS_AHEAD = timedelta(days=7)
CERTIFICATE_BATCH = 200
CERTIFICATE_SINGLE = 60  # one WeasyPrint call each: fewer are enough for a steady rate
EXPORT_ROWS = 100_000
# The export's target: rows written per CPU-second of the child, end to end (KPIs, queries, rows, XML, zip). CPU
# time, not wall time: on the shared machine the wall clock measures the neighbours and PostgreSQL's own work.
EXPORT_ROWS_PER_CPU_S = 12_000
EXCLUSION_CHUNK = 2000  # activities.exclusion.EXCLUSION_CHUNK (this process never imports Django)
# Later clocks at which the job (which loads only the enrollments at risk) is compared with the same deadline
# steps followed by the rules weighed for every active enrollment: by then sessions have closed with default
# marks and cut-offs passed, so cases open and warnings go out, and a missed signal would show.
EXCLUSION_CLOCKS_DAYS = (21, 45)


def _harness():
    """bench/run.py's module (the running __main__ when started as `python bench/run.py`)."""
    main = sys.modules.get("__main__")
    if main is not None and hasattr(main, "database_server"):
        return main
    import run  # noqa: PLC0415 - bench/ is on sys.path when run.py is the script

    return run


def _env(url: str, var_dir: Path) -> dict[str, str]:
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
    }


def _seeded(db, name: str, scale: str) -> tuple[str, dict[str, str]]:
    """A new database `name`, migrated and seeded at `scale`; returns its URL and the environment."""
    run = _harness()
    url = run.create_database(db, name)
    env = _env(url, db.tmpdir / "var")
    run.say(f"{db.label}: migrate + seed_demo --scale {scale} into {name}")
    run.timed([PYTHON, "manage.py", "migrate", "--noinput"], env, db.tmpdir / f"{name}-migrate.log")
    run.timed([PYTHON, "manage.py", "seed_demo", "--scale", scale], env, db.tmpdir / f"{name}-seed.log")
    run.timed([PYTHON, "-c", run.ANALYZE], env, db.tmpdir / f"{name}-analyze.log")
    return url, env


def _copy(db, source: str, name: str) -> str:
    """A copy of database `source`; returns its URL."""
    return _harness().create_database(db, name, template=source)


def _child(args: list[str], env: dict[str, str], *, cpu: int | None = None) -> dict:
    """Run `bench/jobs.py <args>` in a child process (pinned to one CPU when asked); its last JSON line."""
    command = [PYTHON, str(Path(__file__)), *args]
    if cpu is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(cpu), *command]
    result = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- jobs --------------------------------------------------------------------------------------------


def jobs() -> dict:
    """The deadline + exclusion job against a naive per-enrollment loop, on copies of the same region data."""
    run = _harness()
    with run.database_server() as db:
        region_url, env = _seeded(db, "bench_jobs_region", "region")
        district_url, district_env = _seeded(db, "bench_jobs_district", "district")
        figures: dict = {"database": db.label, "clock_ahead_days": JOBS_AHEAD.days}
        for scale, source, base_env in (
            ("district", "bench_jobs_district", district_env),
            ("region", "bench_jobs_region", env),
        ):
            job_env = {**base_env, "DATABASE_URL": _copy(db, source, f"{source}_job")}
            run.say(f"{scale}: the job (check_deadlines_job) on a copy")
            job = _child(["child-job"], job_env)
            figures[scale] = {"enrollments": job.pop("enrollments"), "job": job}
        naive_env = {**env, "DATABASE_URL": _copy(db, "bench_jobs_region", "bench_jobs_region_naive")}
        run.say("region: the naive per-enrollment loop on another copy (this takes a while)")
        naive = _child(["child-naive"], naive_env)
        naive.pop("enrollments")
        region = figures["region"]
        region["naive"] = naive
        region["same_outcome"] = region["job"]["outcome"] == naive["outcome"]
        region["speedup"] = round(naive["seconds"] / region["job"]["seconds"], 1)
        region["query_ratio"] = round(naive["queries"] / region["job"]["queries"], 1)
        figures["queries_independent_of_enrollments"] = (
            figures["district"]["job"]["queries"] == region["job"]["queries"]
        )
        # The exclusion step loads only the enrollments with a signal a rule could act on (`at_risk` of the
        # `enrollments` checked), in transactions of EXCLUSION_CHUNK, a fixed number of queries each: the
        # count grows by that number per chunk of enrollments at risk, never with the enrollments checked.
        for scale in ("district", "region"):
            job = figures[scale]["job"]
            counts = job["counts"]
            job["checked"] = counts.get("enrollments", 0)
            job["at_risk"] = counts.get("at_risk", 0)
            job["exclusion_chunks"] = -(-job["at_risk"] // EXCLUSION_CHUNK)
        region["later_clocks"] = {}
        for days in EXCLUSION_CLOCKS_DAYS:
            run.say(f"region, clock +{days} days: the job vs the rules weighed for every active enrollment")
            job = _child(
                ["child-job", str(days)], {**env, "DATABASE_URL": _copy(db, "bench_jobs_region", "bench_jobs_later")}
            )
            every = _child(
                ["child-unfiltered", str(days)],
                {**env, "DATABASE_URL": _copy(db, "bench_jobs_region", "bench_jobs_every")},
            )
            region["later_clocks"][f"+{days}d"] = {
                "checked": job["counts"].get("enrollments", 0),
                "at_risk": job["counts"].get("at_risk", 0),
                "cases_opened": job["counts"].get("cases_opened", 0),
                "cases_grown": job["counts"].get("cases_grown", 0),
                "excluded": job["counts"].get("excluded", 0),
                "notifications": job["counts"].get("notifications", 0),
                "queries": job["queries"],
                "seconds": job["seconds"],
                "every_enrollment_queries": every["queries"],
                "every_enrollment_seconds": every["seconds"],
                "same_outcome": job["outcome"] == every["outcome"]
                and all(job["counts"].get(k, 0) == every["counts"].get(k, 0) for k in EXCLUSION_COUNTS),
            }
        figures["target_speedup_20x_met"] = region["speedup"] >= 20
        figures["same_outcome_everywhere"] = region["same_outcome"] and all(
            clock["same_outcome"] for clock in region["later_clocks"].values()
        )
        if not figures["same_outcome_everywhere"]:
            run.say("WARNING: the job and a reference that weighs every enrollment disagree on the outcome")
        return figures


def _django(now_offset: timedelta = timedelta(0)):
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


class QueryCounter:
    """Counts every SQL statement (connection.execute_wrapper): CaptureQueriesContext keeps at most 9,000."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _seed_now(ahead: timedelta = JOBS_AHEAD):
    """The «now» the seed ran with (its last deadline-job run), plus `ahead` (JOBS_AHEAD unless told)."""
    from core.models import JobRun

    last = JobRun.objects.filter(job="check_deadlines").order_by("-started_at").first()
    from django.utils import timezone

    base = last.started_at if last is not None else timezone.now()
    return base + ahead


def _outcome() -> dict:
    """What the job leaves behind, as counts to compare two runs by."""
    from django.db.models import Count

    from activities.models import Attendance, ExclusionCase, ExclusionCaseEvent, MissedVideo, Session, Submission
    from core.models import Notification
    from participants.models import Enrollment

    def by(qs, field):
        return {str(row[field]): row["n"] for row in qs.values(field).annotate(n=Count("pk")).order_by(field)}

    return {
        "late_submissions": Submission.objects.filter(is_late=True).count(),
        "missed_videos": MissedVideo.objects.count(),
        "attendance": by(Attendance.objects.all(), "status"),
        "default_marks": Attendance.objects.filter(is_default=True).count(),
        "sessions_closed": Session.objects.filter(defaults_applied_at__isnull=False).count(),
        "cases": by(ExclusionCase.objects.all(), "status"),
        "case_events": by(ExclusionCaseEvent.objects.all(), "action"),
        "notifications": Notification.objects.count(),
        "enrollments": by(Enrollment.objects.all(), "status"),
    }


def child_job(ahead_days: str | None = None) -> dict:
    _django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from activities.deadlines import check_deadlines_job
    from participants.models import Enrollment

    now = _seed_now(timedelta(days=int(ahead_days)) if ahead_days else JOBS_AHEAD)
    enrollments = Enrollment.objects.count()
    counter = QueryCounter()
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(counter):
        started = time.perf_counter()
        recorder = check_deadlines_job(now=now, trigger="command")
        seconds = time.perf_counter() - started
    return {
        "enrollments": enrollments,
        "seconds": round(seconds, 2),
        "queries": counter.count,
        "queries_captured": len(queries),  # CaptureQueriesContext's count, for comparison
        "counts": dict(recorder.summary),
        "outcome": _outcome(),
    }


EXCLUSION_COUNTS = ("enrollments", "cases_opened", "cases_grown", "excluded", "awaiting_decision", "notifications")


def child_unfiltered(ahead_days: str) -> dict:
    """The job's deadline steps, then the exclusion rules weighed for EVERY active enrollment of the running
    seasons in chunks (what exclusion_rules_apply did before it selected the enrollments at risk in SQL)."""
    _django()
    from collections import Counter

    from django.db import connection, transaction
    from django.utils import timezone

    from activities.deadlines import deadlines_check
    from activities.exclusion import EXCLUSION_CHUNK as CHUNK
    from activities.exclusion import _apply_chunk
    from participants.models import Enrollment

    now = _seed_now(timedelta(days=int(ahead_days)))
    today = timezone.localdate(now)
    counts: Counter = Counter()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        counts.update(deadlines_check(now=now))
        base = (
            Enrollment.objects.filter(
                status=Enrollment.Status.ACTIVE,
                season__starts_on__lte=today + timedelta(days=1),
                season__ends_on__gte=today - timedelta(days=1),
            )
            .select_related("season__program", "person")
            .order_by("pk")
        )
        last = 0
        while chunk := list(base.filter(pk__gt=last)[:CHUNK]):
            with transaction.atomic():
                _apply_chunk(chunk, now, counts)
            counts["enrollments"] += len(chunk)
            last = chunk[-1].pk
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "queries": counter.count, "counts": dict(counts), "outcome": _outcome()}


def child_naive() -> dict:
    """The same outcome, enrollment by enrollment, with ordinary ORM calls (what the job replaces)."""
    _django()
    from collections import Counter

    from django.db import connection, transaction
    from django.utils import timezone

    from activities.deadlines import DEFAULTS_AFTER
    from activities.exclusion import _apply_chunk
    from activities.models import Attendance, MissedVideo, Session, Submission, SubmissionExtension, VideoAssignment
    from activities.signals import attendance_changed
    from participants.models import Enrollment

    now = _seed_now()
    today = timezone.localdate(now)
    counts: Counter = Counter()
    closed: dict[int, Session] = {}
    marked: set[int] = set()
    enrollments = 0
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        for enrollment in Enrollment.objects.select_related("season__program", "person").order_by("pk").iterator():
            enrollments += 1
            season = enrollment.season
            active = enrollment.status == Enrollment.Status.ACTIVE
            with transaction.atomic():
                # Late submissions: each submission compared with its assignment's due date, saved one by one.
                for submission in Submission.objects.filter(
                    enrollment=enrollment, is_late=False, submitted_at__lte=now
                ).select_related("assignment"):
                    if submission.submitted_at > submission.assignment.due_at:
                        submission.is_late = True
                        submission.save(update_fields=["is_late"])
                # Missed video lessons: stale records dropped, then every passed cut-off checked.
                for record in MissedVideo.objects.filter(enrollment=enrollment):
                    mine = {"enrollment": enrollment, "assignment_id": record.assignment_id}
                    if (
                        Submission.objects.filter(**mine, is_current=True).exists()
                        or SubmissionExtension.objects.filter(**mine, until__gt=now).exists()
                    ):
                        record.delete()
                if active:
                    for assignment in VideoAssignment.objects.filter(activity__season=season, cutoff_at__lte=now):
                        mine = {"enrollment": enrollment, "assignment": assignment}
                        if Submission.objects.filter(**mine, is_current=True).exists():
                            continue
                        extension = SubmissionExtension.objects.filter(**mine).first()
                        last = assignment.cutoff_at
                        if extension is not None and extension.until > last:
                            last = extension.until
                        if last <= now and not MissedVideo.objects.filter(**mine).exists():
                            MissedVideo.objects.create(**mine, cutoff_at=last, recorded_at=now)
                # Default attendance marks at the ended sessions this participant was expected at.
                if active:
                    for session in Session.objects.filter(
                        activity__season=season, ends_at__lte=now - DEFAULTS_AFTER, defaults_applied_at__isnull=True
                    ):
                        closed[session.pk] = session
                        status = season.default_attendance_status
                        if (
                            status
                            and enrollment.status_changed_at <= session.ends_at
                            and not Attendance.objects.filter(session=session, enrollment=enrollment).exists()
                        ):
                            Attendance.objects.create(
                                session=session,
                                enrollment=enrollment,
                                status=status,
                                marked_at=now,
                                marked_by=None,
                                is_default=True,
                                source="default",
                            )
                            marked.add(session.pk)
                # The exclusion rules (unexcused absences, missed videos, the chat) for this one participant:
                # the job's own step with a chunk of one, so cases, events and notifications are the same.
                running = season.starts_on <= today + timedelta(days=1) and season.ends_on >= today - timedelta(days=1)
                if active and running:
                    _apply_chunk([enrollment], now, counts)
                    counts["enrollments"] += 1
        with transaction.atomic():
            Session.objects.filter(pk__in=list(closed)).update(defaults_applied_at=now)
            for pk in sorted(marked):
                attendance_changed.send(sender=Session, session=Session.objects.select_related("activity").get(pk=pk))
        seconds = time.perf_counter() - started
    return {
        "enrollments": enrollments,
        "seconds": round(seconds, 2),
        "queries": counter.count,
        "counts": dict(counts),
        "outcome": _outcome(),
    }


# --- certificates ------------------------------------------------------------------------------------


def certificates() -> dict:
    """Certificate PDFs per second: one batch of CERTIFICATE_BATCH vs one WeasyPrint call per certificate.

    No database is needed: the certificates are unsaved model instances with everything the template reads.
    Each mode runs in its own child process pinned to one CPU (taskset), so «one core» is literal; the CPU
    time of the process is reported next to the wall time (the rate per CPU-second is what a busy shared
    machine leaves comparable).
    """
    import tempfile

    run = _harness()
    with tempfile.TemporaryDirectory(prefix="metodportal-bench-") as tmp:
        env = _env(f"sqlite:///{tmp}/unused.sqlite3", Path(tmp) / "var")
        figures: dict = {"program_template": "pedcluster-27", "pinned_to_one_cpu": bool(shutil.which("taskset"))}
        run.say(f"certificates: a batch of {CERTIFICATE_BATCH} in one pass")
        batch = _child(["child-certificates", "batch", str(CERTIFICATE_BATCH)], env, cpu=1)
        run.say(f"certificates: {CERTIFICATE_SINGLE} rendered one by one")
        single = _child(["child-certificates", "single", str(CERTIFICATE_SINGLE)], env, cpu=1)
        figures["batch"] = batch
        figures["one_by_one"] = single
        figures["speedup_wall"] = round(batch["per_second"] / single["per_second"], 2)
        figures["speedup_cpu"] = round(batch["per_cpu_second"] / single["per_cpu_second"], 2)
        figures["target_50_per_second_met"] = batch["per_second"] >= 50
        figures["target_50_per_cpu_second_met"] = batch["per_cpu_second"] >= 50
        return figures


def child_certificates(mode: str, count: str) -> dict:
    _django()
    from decimal import Decimal

    from django.utils import timezone

    from activities import certificates as rendering
    from activities.models import Certificate
    from participants.models import Enrollment, Person
    from programs.models import Organisation, Program, Season

    n = int(count)
    organiser = Organisation(pk=1, name="МБУ «Центр методического сопровождения педагогов»")
    program = Program(pk=1, slug="pedcluster-27", title="Педагогический кластер «27»", organiser=organiser)
    season = Season(
        pk=1, program=program, title="2025/2026", time_zone="Asia/Vladivostok", certificate_signatory="И. И. Иванова"
    )
    items = []
    for index in range(n + 2):
        person = Person(pk=index + 1, last_name="Константинопольская", first_name="Александра", middle_name="Олеговна")
        enrollment = Enrollment(pk=index + 1, person=person, season=season)
        items.append(
            Certificate(
                pk=index + 1,
                number=f"PC27-2026-{index + 1:06d}",
                code=rendering.verification_code(),
                title="Методический семинар «Формирующее оценивание на уроке»",
                enrollment=enrollment,
                activity_id=1 if index % 2 else None,
                hours=Decimal("6.0"),
                issued_at=timezone.now(),
            )
        )
    rendering.certificates_render(items[:2])  # warm-up: fonts, template, WeasyPrint's caches
    items = items[2:]
    started, cpu = time.perf_counter(), time.process_time()
    if mode == "batch":
        pdfs = rendering.certificates_render(items)
    else:
        pdfs = {}
        for certificate in items:
            pdfs.update(rendering.certificates_render([certificate]))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert len(pdfs) == n and all(pdf.startswith(b"%PDF") for pdf in pdfs.values())
    return {
        "certificates": n,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "per_second": round(n / seconds, 1),
        "per_cpu_second": round(n / cpu, 1),
        "ms_per_certificate_cpu": round(cpu * 1000 / n, 1),
        "average_pdf_kb": round(sum(map(len, pdfs.values())) / n / 1024, 1),
    }


# --- export ------------------------------------------------------------------------------------------


def export() -> dict:
    """The KPI workbook (write-only openpyxl) against openpyxl's normal mode, the same rows, on region data."""
    run = _harness()
    with run.database_server() as db:
        url, env = _seeded(db, "bench_export_region", "region")
        run.say("export: the KPI workbook (reports.workbooks + reports.xlsx.workbook_write)")
        streamed = _child(["child-export", "write_only"], env)
        run.say("export: the same sheets in openpyxl's normal mode")
        normal = _child(["child-export", "normal"], env)
        return {
            "database": db.label,
            "scope": streamed.pop("scope"),
            "attendance_rows": streamed.pop("attendance_rows"),
            "write_only": streamed,
            "normal_mode": {k: v for k, v in normal.items() if k not in ("scope", "attendance_rows")},
            "time_ratio_normal_to_write_only": round(normal["seconds"] / streamed["seconds"], 2),
            "memory_ratio_normal_to_write_only": round(normal["peak_rss_mb"] / streamed["peak_rss_mb"], 2),
            "target_60s_met": streamed["seconds"] <= 60,
            "target_150mb_met": streamed["peak_rss_mb"] <= 150,
            "target_rows_per_cpu_second": EXPORT_ROWS_PER_CPU_S,
            "target_rows_per_cpu_second_met": streamed["rows_per_cpu_second"] >= EXPORT_ROWS_PER_CPU_S,
        }


def _export_params() -> tuple[dict, dict]:
    """The management reader's filters (year, municipality) with about EXPORT_ROWS attendance rows."""
    from django.utils import timezone

    from activities.models import Attendance
    from participants.models import User
    from programs.models import Municipality
    from reports.exports import ExportRefused
    from reports.selectors import dashboard_years
    from reports.workbooks import _filters, _people_scope, _season_ids, kpi_workbook_params

    # A municipality's management reads one municipality; the region's reader (the demo's superuser, as
    # a regional education ministry would be) reads every municipality or any one of them.
    readers = User.objects.filter(email__in=["management@demo.ru", "admin@demo.ru"]).order_by("email")
    candidates = []
    municipalities = [None, *Municipality.objects.order_by("pk").values_list("pk", flat=True)]
    for user in readers:
        for year in dashboard_years(today=timezone.localdate()):
            for municipality in municipalities:
                data = {"year": str(year)} | ({"municipality": str(municipality)} if municipality else {})
                params = {"user": user.pk, **data}
                try:
                    filters = _filters(params)
                except ExportRefused:  # a municipality outside the reader's scope
                    continue
                scope = filters.scope
                rows = Attendance.objects.filter(
                    _people_scope(scope, "enrollment__person"), session__activity__season_id__in=_season_ids(scope)
                ).count()
                data = {"reader": user.email, **data}
                candidates.append((rows, kpi_workbook_params(user=user, filters=filters), data))
    # The smallest scope with at least 70 % of EXPORT_ROWS rows, else the biggest there is.
    big = [c for c in candidates if c[0] >= EXPORT_ROWS * 0.7]
    rows, params, data = min(big, key=lambda c: c[0]) if big else max(candidates, key=lambda c: c[0])
    return params, {"filters": data, "rows": rows}


def _normal_write(sheets, path) -> int:
    """The same sheets with openpyxl's normal (in-memory) Workbook: values, date formats, header."""
    from datetime import date, datetime

    from django.utils import timezone
    from openpyxl import Workbook

    from participants.personal_data import spreadsheet_safe
    from reports.xlsx import DATE_FORMAT, DATETIME_FORMAT, Formatted, Status, sheet_title

    def plain(value):
        if isinstance(value, Formatted):
            return value.value
        if isinstance(value, Status):
            return value.label
        if isinstance(value, bool):
            return "да" if value else "нет"
        if isinstance(value, datetime):
            return (timezone.localtime(value) if timezone.is_aware(value) else value).replace(tzinfo=None)
        if isinstance(value, str):
            return spreadsheet_safe(value)
        return value

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    written = 0
    for spec in sheets:
        sheet = workbook.create_sheet(sheet_title(spec.title, used))
        for line in spec.preamble:
            sheet.append([spreadsheet_safe(line)])
        sheet.append([str(column.title) for column in spec.columns])
        current = sheet.max_row  # once: max_row scans every cell
        for row in spec.rows:
            values = [plain(value) for value in row]
            sheet.append(values)
            current += 1
            for index, value in enumerate(values, start=1):
                if isinstance(value, date):
                    fmt = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
                    sheet.cell(row=current, column=index).number_format = fmt
            written += 1
    workbook.save(path)
    return written


def child_export(mode: str) -> dict:
    _django()
    import resource
    import tempfile

    from reports.workbooks import kpi_workbook_build
    from reports.xlsx import workbook_write

    params, scope = _export_params()
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        started, cpu = time.perf_counter(), time.process_time()
        sheets, _total = kpi_workbook_build(params)
        if mode == "write_only":
            rows = workbook_write(sheets=sheets, file=tmp)
        else:
            rows = _normal_write(sheets, tmp.name)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = os.path.getsize(tmp.name)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "scope": scope["filters"],
        "attendance_rows": scope["rows"],
        "rows_written": rows,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "rows_per_second": round(rows / seconds),
        "rows_per_cpu_second": round(rows / cpu),
        "load_1m_before": round(load, 2),
        "peak_rss_mb": round(peak),
        "rss_before_export_mb": round(start_rss),
        "file_mb": round(size / 1024 / 1024, 1),
    }


CHILDREN = {
    "child-job": child_job,
    "child-naive": child_naive,
    "child-unfiltered": child_unfiltered,
    "child-certificates": child_certificates,
    "child-export": child_export,
}

if __name__ == "__main__":
    result = CHILDREN[sys.argv[1]](*sys.argv[2:])
    print(json.dumps(result, ensure_ascii=False, default=str))
