import copy
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.utils import timezone

BASE_DIR = Path(__file__).resolve().parent.parent

# The fixture s3_media: a real S3-compatible server (moto) for the uploads straight to the bucket.
pytest_plugins = ["tests.bucket_fixtures"]


def pytest_configure(config):
    _fast_password_hasher()
    # The tests run with DEBUG off, as production does, but render templates without a collectstatic first:
    # plain static names instead of the manifest's hashed ones.
    django_settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Under pytest-xdist (scripts/test_services.py runs the whole suite on every core) each worker has its own
    # test database (pytest-django's suffix) and here its own Redis database: one worker's cache.clear(), cache
    # versions or queued tasks never reach the other's tests or its Celery worker.
    workerinput = getattr(config, "workerinput", None)
    if workerinput and django_settings.REDIS_URL:
        _redis_database_of_worker(int(workerinput["workerid"].removeprefix("gw")) + 1)


TEST_PASSWORD_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def _fast_password_hasher() -> None:
    """New passwords are hashed with MD5 in the tests: the production PBKDF2 costs ~0.3 s of CPU per hash, and
    every UserFactory account, sign-in and registration pays it (Django's documented advice for test runs).
    The production hashers stay behind it, so a hash written by a subprocess (a management command, the
    Celery worker) still checks here; tests/test_suite_setup.py checks that production keeps PBKDF2."""
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    if django_settings.PASSWORD_HASHERS[0] != TEST_PASSWORD_HASHER:
        django_settings.PASSWORD_HASHERS = [TEST_PASSWORD_HASHER, *django_settings.PASSWORD_HASHERS]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


def _redis_database_of_worker(index: int) -> None:
    from django.core.cache import caches

    from config.celery import app

    url = urlsplit(django_settings.REDIS_URL)._replace(path=f"/{index}").geturl()
    django_settings.REDIS_URL = django_settings.CELERY_BROKER_URL = url
    cache_settings = copy.deepcopy(django_settings.CACHES)
    cache_settings["default"]["LOCATION"] = url
    django_settings.CACHES = cache_settings
    caches.__dict__.pop("settings", None)  # the handler reads CACHES once; no cache was opened before this hook
    app.conf.broker_url = url


# The files that take longest, slowest first (seconds on this 2-core machine, full run with --durations). Under
# pytest-xdist --dist loadfile each file is one unit of work, handed out in the order of the collection: left to
# itself xdist orders the files by their number of tests, which puts these few-test files — a district seed, a
# migration there and back, a browser journey — last, so one worker still runs them while the other idles. The
# longest first, then the rest by their number of tests as before (scripts/test_services.py: --no-loadscope-reorder).
SLOW_FILES_FIRST = (
    "tests/demo/test_demo_any_date.py",  # 287 s
    "tests/core/test_migrate_to_core.py",  # 161
    "tests/test_permissions_matrix_portal.py",  # 127
    "tests/demo/test_seed_demo.py",  # 117
    "tests/test_permissions_matrix_admin_writes.py",  # 111
    "tests/test_faults_worker.py",  # 78
    "tests/demo/test_sqlite_first_job.py",  # 77
    "tests/reports/test_kpi_one_number.py",  # 68
    "tests/test_permissions_matrix.py",  # 56
    "tests/test_migration_names.py",  # 50
    "tests/test_site_url_startup.py",  # 46
    "tests/e2e/test_layout_fits.py",  # 40
    "tests/admin/test_relation_scope.py",  # 38
    "tests/test_settings.py",  # 36
    "tests/admin/test_admin_dates.py",  # 34
    "tests/test_security_headers.py",  # 34
    "tests/test_docker_entrypoint_roles.py",  # 29
    "tests/reports/test_kpi_workbook_print.py",  # 28
    "tests/e2e/test_review_journey.py",  # 28
    "tests/e2e/test_teacher_journey.py",  # 28
)


def pytest_collection_modifyitems(config, items):
    if getattr(config, "workerinput", None) is None:
        return  # one process: the order does not change the time
    first = {path: rank for rank, path in enumerate(SLOW_FILES_FIRST)}
    files = [item.nodeid.split("::", 1)[0] for item in items]
    count = Counter(files)
    # A stable sort: within a file the tests keep their order (pytest-django's: transactional tests last).
    order = {id(item): (first.get(f, len(first)), -count[f], f) for item, f in zip(items, files, strict=True)}
    items.sort(key=lambda item: order[id(item)])


def pytest_report_header(config):
    db = django_settings.DATABASES["default"]
    where = f"{db.get('HOST') or 'local'}:{db.get('PORT') or '-'}" if db.get("HOST") else db.get("NAME")
    broker = django_settings.REDIS_URL or django_settings.CELERY_BROKER_URL
    return [f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {where}", f"celery broker: {broker}"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RESUMABLE_UPLOAD_DIR = tmp_path / "resumable-uploads"


@pytest.fixture(autouse=True)
def _portal_language():
    # A request in English leaves English active in the thread (LocaleMiddleware activates, nothing deactivates):
    # every test starts in the portal's own language, whichever test ran before it in the worker.
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached KPI pages and the like must not leak from one test into the next (Redis outlives a test).
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    # An in-memory SQLite test database is invisible to a worker process; give it a file then.
    db = django_settings.DATABASES["default"]
    if django_settings.REDIS_URL and db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def database_url(settings_dict: dict) -> str:
    """The URL of the database the tests really use (pytest-django renames it to test_<name>)."""
    name = settings_dict["NAME"]
    if settings_dict["ENGINE"].endswith("sqlite3"):
        if str(name).startswith(":memory:") or "mode=memory" in str(name):
            pytest.fail("the worker needs a database file or server, not an in-memory SQLite database")
        return f"sqlite:///{name}"
    auth = quote(settings_dict.get("USER") or "", safe="")
    if settings_dict.get("PASSWORD"):
        auth += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{quote(name, safe='')}"


@pytest.fixture
def celery_worker_process(_celery_worker_session, transactional_db):
    """The real worker for one test (which needs transactional_db: the worker sees only committed rows). After the
    test, and before the database is flushed, waits until the worker has nothing running, reserved or queued: a
    task still writing (a job's notification after its «done») would otherwise meet the flush's TRUNCATE and
    deadlock."""
    yield _celery_worker_session
    _celery_worker_session.wait_idle()


@pytest.fixture(scope="session")
def _celery_worker_session(django_db_setup, tmp_path_factory):
    """A real `celery -A config worker` over REDIS_URL, writing to the test database."""
    if not django_settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no broker for a real worker")
    from config.celery import app

    logdir = tmp_path_factory.mktemp("worker")
    log_path = logdir / "worker.log"
    nodename = f"pytest-{os.getpid()}@{socket.gethostname()}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connections["default"].settings_dict),
        "REDIS_URL": django_settings.REDIS_URL,
        "SITE_URL": django_settings.SITE_URL,  # the worker refuses to start without it when DEBUG is off
        "VAR_DIR": str(logdir / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"]
    command += ["--hostname", nodename, "--without-gossip", "--without-mingle"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)

    def log_tail() -> str:
        return log_path.read_text(errors="replace")[-4000:]

    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[nodename], timeout=1.0):
            if process.poll() is not None:
                pytest.fail(f"celery worker exited with {process.returncode}:\n{log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"celery worker did not answer a ping within 60 s:\n{log_tail()}")

        def wait_idle(timeout: float = 60.0) -> None:
            """Until two looks in a row find no task running or reserved on this worker and none in the queue."""
            inspect = app.control.inspect(destination=[nodename], timeout=1.0)
            deadline = time.monotonic() + timeout
            quiet = 0
            while quiet < 2:
                if process.poll() is not None or time.monotonic() > deadline:
                    return  # the test's own assertions report a dead or stuck worker
                with app.connection_for_write() as connection:
                    queued = connection.default_channel.client.llen(app.conf.task_default_queue)
                busy = [
                    task
                    for answer in ((inspect.active() or {}), (inspect.reserved() or {}))
                    for tasks in answer.values()
                    for task in tasks
                ]
                quiet = quiet + 1 if not busy and not queued else 0
                if quiet < 2:
                    time.sleep(0.1)

        process.log_tail = log_tail
        process.wait_idle = wait_idle
        yield process
    finally:
        process.terminate()  # warm shutdown: the worker closes its database connections
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def steady_clock(monkeypatch):
    """The clock held at the moment the test starts. For tests that compare a computed page with the same page read
    from the KPI cache: the cache key holds «today» in the reader's zone (reports.kpi_cache), so two requests either
    side of that zone's midnight (19:00 UTC for the factories' Asia/Yekaterinburg) rightly miss — and a test that
    happened to run across it would fail."""
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment
