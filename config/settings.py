"""One settings module, driven by the environment (django-environ). It imports no code of the portal's own
apps: they are named by dotted paths only (tests/test_settings_imports.py).

With no environment at all the portal runs embedded: SQLite in a file, media on disk, e-mail to the
console and Celery over kombu's filesystem transport, so `make run` needs no outside service. DEBUG is off
unless the environment turns it on (`make run` does, for itself). Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS and SITE_URL.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)


def _fail(name: str, problem: str):
    raise ImproperlyConfigured(f"Настройка {name}: {problem}")


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on", "y"}:
        return True
    if value in {"0", "false", "no", "off", "n"}:
        return False
    _fail(name, f"ожидалось true/false, получено {raw!r}")


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        _fail(name, f"ожидалось целое число, получено {raw!r}")
    if value < minimum:
        _fail(name, f"значение должно быть не меньше {minimum}, получено {value}")
    return value


DEBUG = _bool("DEBUG", default=False)
# In development a missing page shows the portal's 404 too; on, Django's technical 404 with the URL patterns.
DEBUG_TECHNICAL_404 = _bool("DEBUG_TECHNICAL_404", default=False)
# Demo mode shows the demo logins on the login page; never on in production.
DEMO_MODE = _bool("DEMO_MODE", default=DEBUG)

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "testserver"}
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=sorted(_LOCAL_HOSTS))
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Served to this machine only (the embedded default, the tests, the benchmarks): no other host can reach it.
_LOCAL_ONLY = set(ALLOWED_HOSTS) <= _LOCAL_HOSTS

# The portal's public address: links in letters and notifications sent by jobs, the QR code on certificates.
# Its scheme also says whether the portal is served over HTTPS (the security settings below follow it).
# `make run` (scripts/run_dev.py) gives it http://localhost:<PORT>. With DEBUG off and no SITE_URL the serving
# processes (web, Celery worker and beat) refuse to start (config/startup.py); commands that build no link
# (migrate, check, collectstatic in the Docker build) still run, and so do the tests, on the local fallback.
SITE_URL_GIVEN = bool(env.str("SITE_URL", default=""))
if SITE_URL_GIVEN:
    SITE_URL = env.url("SITE_URL").geturl().rstrip("/")
elif DEBUG or _LOCAL_ONLY:
    SITE_URL = "http://localhost:8000"
else:
    _fail("SITE_URL", "обязательна при DEBUG=off, когда портал открыт другим хостам (ALLOWED_HOSTS)")
HTTPS = not DEBUG and SITE_URL.startswith("https://")


def _embedded_secret_key() -> str:
    """A key made once for this machine and kept in VAR_DIR: a local run needs no SECRET_KEY, none is shared."""
    import secrets

    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write(secrets.token_urlsafe(60) + "\n")
    except FileExistsError:
        pass  # another process (a test worker, Celery) made it first: read theirs
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not _LOCAL_ONLY:
        _fail("SECRET_KEY", "обязательна при DEBUG=off")
    SECRET_KEY = _embedded_secret_key()
elif not DEBUG and len(SECRET_KEY) < 50:
    _fail("SECRET_KEY", "слишком короткий ключ (нужно не меньше 50 символов)")

# The portal's own apps, lowest first (tests/test_layering.py): core <- programs <- participants <- experts,
# activities <- ratings, projects <- reports. The one list every other place reads (roles, tests).
PORTAL_APPS = ("core", "programs", "participants", "experts", "activities", "ratings", "projects", "reports")

INSTALLED_APPS = [
    "core.admin_site.PortalAdminConfig",  # django.contrib.admin with the portal's site (core/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "bootstrap",
    "axes",  # sign-in throttling: failed attempts and lock-outs, shown to coordinators in the admin
    "csp",
    *PORTAL_APPS,
    # The demo data generator (`manage.py seed_demo`) sits above them all and nothing imports it.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "programs.middleware.RussianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "participants.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # With DEBUG on: the portal's 404/400 pages instead of Django's technical ones (DEBUG_TECHNICAL_404 to see those).
    "core.errors.PortalErrorPagesMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "programs.context_processors.portal",
                "programs.context_processors.accessibility",
                "projects.navigation.context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
try:
    DATABASES = {"default": env.db_url("DATABASE_URL", default=_default_db)}
except Exception as exc:  # django-environ raises several types for a malformed URL
    _fail("DATABASE_URL", f"не удалось разобрать адрес базы данных ({exc})")
_engine = DATABASES["default"]["ENGINE"]
if _engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
    _fail("DATABASE_URL", f"поддерживаются только PostgreSQL и SQLite, получено {_engine}")
if _engine == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = _int("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles any query whose estimated cost passes jit_above_cost. The KPI queries pass it on a
    # region's data and then spend 100–180 ms compiling for a run of 30 ms (bench «pages», docs/decisions/0012);
    # short queries of a web portal never win that back. Off for the portal's connections; DB_JIT=on restores
    # the server's own setting.
    if not _bool("DB_JIT", default=False):
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"]["options"] = (
            DATABASES["default"]["OPTIONS"].get("options", "") + " -c jit=off"
        ).strip()
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the embedded worker write while the web server reads.
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "participants.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before any password check
    "rules.permissions.ObjectPermissionBackend",
    "participants.backends.PortalModelBackend",  # ModelBackend + the person record in the same query
]
AUTH_PASSWORD_VALIDATORS = [
    # Compares with the e-mail and with the person's names (the user model has none of its own).
    {"NAME": "core.password_validation.PersonAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# A rejected form's 403 in Russian, with what to do next.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
LOGOUT_REDIRECT_URL = "home"

# --- Sign-in throttling (django-axes) -------------------------------------------------------------
# A region's schools sign in from a few shared NAT addresses: a lock-out is for one e-mail from one address, so
# a guesser never locks a whole school out, and one account is not locked for everyone everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = _int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_MINUTES = _int("AXES_COOLOFF_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
# Letters a visitor can make the portal send (password recovery, the confirmation link again), per hour: to one
# address, and from one client address (core.throttling.mail_request_allowed). Beyond them the page
# answers as usual and sends nothing, so the forms can neither flood a mailbox nor tell which addresses exist.
MAIL_REQUESTS_PER_ADDRESS = _int("MAIL_REQUESTS_PER_ADDRESS", 3, minimum=1)
MAIL_REQUESTS_PER_CLIENT = _int("MAIL_REQUESTS_PER_CLIENT", 30, minimum=1)
# Look-ups of a certificate by its printed number from one client address an hour (/verify/): the numbers run in
# sequence, so without a limit the page would list every holder's name.
CERTIFICATE_LOOKUPS_PER_CLIENT = _int("CERTIFICATE_LOOKUPS_PER_CLIENT", 20, minimum=1)
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_CALLABLE = "core.throttling.sign_in_username"
AXES_CLIENT_IP_CALLABLE = "core.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "core.throttling.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# The TLS-terminating proxies in front of the portal that append the client's address to X-Forwarded-For
# (docs/deploy.md: one nginx, whose X-Forwarded-Proto production trusts already). 0: the peer is the client.
TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 1 if HTTPS else 0)
# Only failures and lock-outs are recorded, not every successful sign-in.
AXES_DISABLE_ACCESS_LOG = True
# Each failed attempt on its own (time, address, browser) for the coordinators, beside the counters.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
if TIME_ZONE not in available_timezones():
    _fail("TIME_ZONE", f"неизвестный часовой пояс {TIME_ZONE!r}")
USE_TZ = True
# «6 декабря», not Django's «6 Декабрь», in the admin's date drill-down (config/formats/ru/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Django's two finders, leaving out the library builds no page serves (core/staticfiles.py).
STATICFILES_FINDERS = ["core.staticfiles.FileSystemFinder", "core.staticfiles.AppDirectoriesFinder"]
# Browser libraries come from the npm registry (package.json; `make install` runs npm ci), never from a CDN.
# Without them the pages fall back to their plain forms, so a checkout without node_modules still runs.
_TUS_CLIENT_DIR = BASE_DIR / "node_modules" / "tus-js-client" / "dist"
RESUMABLE_UPLOAD_CLIENT = _TUS_CLIENT_DIR.is_dir()
if RESUMABLE_UPLOAD_CLIENT:
    STATICFILES_DIRS.append(("vendor/tus-js-client", _TUS_CLIENT_DIR))
MEDIA_URL = "media/"
# Media stays outside the web root: files are served by views that check permissions.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

AWS_STORAGE_BUCKET_NAME = env.str("S3_BUCKET", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.str("S3_ENDPOINT_URL", default="") or None
    AWS_ACCESS_KEY_ID = env.str("S3_ACCESS_KEY_ID", default="")
    AWS_SECRET_ACCESS_KEY = env.str("S3_SECRET_ACCESS_KEY", default="")
    AWS_S3_REGION_NAME = env.str("S3_REGION", default="") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    _media_backend = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _media_backend = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Protected files (video lessons, achievement proofs, certificates, job results) are handed to the front server
# after the view's permission check (core/protected_files.py): "nginx" answers with X-Accel-Redirect to the
# internal location below (docs/deploy.md); "python" streams them from the process, for `make run` and tests.
# With S3 storage the view redirects to a presigned URL living PROTECTED_URL_SECONDS instead.
SENDFILE_MODE = env.str("SENDFILE_MODE", default="python")
if SENDFILE_MODE not in ("python", "nginx"):
    _fail("SENDFILE_MODE", f"ожидалось python или nginx, получено {SENDFILE_MODE!r}")
SENDFILE_NGINX_LOCATION = "/protected-media/"
PROTECTED_URL_SECONDS = _int("PROTECTED_URL_SECONDS", 300, minimum=30)

# The one ceiling on a video lesson's size (a season may set a lower one): the form's and the service's check,
# the resumable upload's Upload-Length and docs/deploy.md all read it (tests/test_upload_limits_documented.py).
VIDEO_MAX_BYTES = _int("VIDEO_MAX_BYTES", 2 * 1024**3, minimum=1024**2)
# The plain form (no JavaScript) carries the whole file in one request: the reverse proxy's client_max_body_size.
PLAIN_UPLOAD_MAX_BYTES = _int("PLAIN_UPLOAD_MAX_BYTES", 200 * 1024**2, minimum=1024**2)
# Resumable uploads (tus protocol, activities/resumable.py): the browser sends pieces of this size, each one
# request well under PLAIN_UPLOAD_MAX_BYTES; pieces wait in RESUMABLE_UPLOAD_DIR (on the media volume, so the
# finished file is moved, not copied) and an upload untouched for RESUMABLE_UPLOAD_EXPIRY_HOURS is deleted by
# the job «clean_resumable_uploads».
RESUMABLE_UPLOAD_CHUNK_BYTES = _int("RESUMABLE_UPLOAD_CHUNK_BYTES", 8 * 1024**2, minimum=256 * 1024)
if RESUMABLE_UPLOAD_CHUNK_BYTES >= PLAIN_UPLOAD_MAX_BYTES:
    _fail("RESUMABLE_UPLOAD_CHUNK_BYTES", "часть загрузки должна быть меньше PLAIN_UPLOAD_MAX_BYTES")
RESUMABLE_UPLOAD_DIR = Path(env.str("RESUMABLE_UPLOAD_DIR", default=str(VAR_DIR / "resumable-uploads")))
RESUMABLE_UPLOAD_EXPIRY_HOURS = _int("RESUMABLE_UPLOAD_EXPIRY_HOURS", 48, minimum=1)
# With S3 media the browser sends a video straight to the bucket by S3 multipart (activities/services_bucket.py):
# the portal signs each part's PUT for S3_UPLOAD_URL_SECONDS; parts are S3_UPLOAD_PART_BYTES (S3 takes no part
# below 5 MB but the last); the unfinished objects live under S3_UPLOAD_PREFIX, which the bucket's lifecycle rule
# and the job «clean_resumable_uploads» (after RESUMABLE_UPLOAD_EXPIRY_HOURS) keep clean (docs/deploy.md).
S3_UPLOAD_PART_BYTES = _int("S3_UPLOAD_PART_BYTES", 16 * 1024**2, minimum=5 * 1024**2)
S3_UPLOAD_URL_SECONDS = _int("S3_UPLOAD_URL_SECONDS", 900, minimum=60)
S3_UPLOAD_PREFIX = env.str("S3_UPLOAD_PREFIX", default="incoming-uploads/")
if not S3_UPLOAD_PREFIX.endswith("/") or S3_UPLOAD_PREFIX.startswith("/"):
    _fail("S3_UPLOAD_PREFIX", "ожидалась папка в корзине вида incoming-uploads/ (без / в начале, с / в конце)")

STORAGES = {
    "default": _media_backend,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    try:
        vars().update(env.email_url("EMAIL_URL"))
    except Exception as exc:
        _fail("EMAIL_URL", f"не удалось разобрать адрес почтового сервера ({exc})")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Unless given, letters come from noreply@ the portal's own host (SITE_URL), never from a made-up domain a
# mail server would reject or mark as spam; core.emails takes the Message-ID's domain from this address too.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="") or (
    f"Методический портал <noreply@{urlsplit(SITE_URL).hostname or 'localhost'}>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    _fail("REDIS_URL", f"ожидался адрес redis://…, получено {REDIS_URL!r}")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
# How long a request waits for Redis (cache or broker) before treating it as down (docs/deploy.md, «Отказы»).
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.5)
# A publish with the broker down fails fast instead of retrying for ever: core.task_outbox keeps the
# task and the minute job «flush_task_outbox» sends it once Redis answers again.
REDIS_BROKER_TRANSPORT_OPTIONS = {
    # A task whose worker was killed goes back to the queue this long after it was taken (acks_late): longer
    # than the longest job, or a slow job would be handed to a second worker while the first still runs it.
    "visibility_timeout": _int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
else:
    # Embedded default: kombu's filesystem transport, a real broker with no server behind it.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = _bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The scheduled jobs, keyed by the job name each logs its runs under (core.JobRun.job). Times are in
# TIME_ZONE. `expires` drops a run the worker could not start before the next one is due, so that a worker
# that was down does not face a pile of identical runs.
CELERY_BEAT_SCHEDULE = {
    "check_deadlines": {
        "task": "activities.tasks.check_deadlines_task",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    "send_reminders": {
        "task": "participants.tasks.send_reminders_task",
        "schedule": crontab(minute=5),
        "options": {"expires": 55 * 60},
    },
    "issue_certificates": {
        "task": "activities.tasks.issue_certificates_task",
        "schedule": crontab(minute=20),
        "options": {"expires": 55 * 60},
    },
    "deliver_notifications": {
        "task": "participants.tasks.notifications_deliver_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    "kpi_snapshot": {
        "task": "reports.tasks.kpi_snapshot_task",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # Seed 002, п. 7.3: a municipality's half-year snapshot once its 30 June / 31 December is over in its own
    # zone; 02:45 Moscow time is past midnight in every Russian zone, Kaliningrad's included.
    "kpi_half_year_snapshot": {
        "task": "reports.tasks.kpi_half_year_snapshot_task",
        "schedule": crontab(hour=2, minute=45),
        "options": {"expires": 6 * 3600},
    },
    "prune_job_runs": {
        "task": "participants.tasks.job_runs_prune_task",
        "schedule": crontab(hour=3, minute=40),
        "options": {"expires": 6 * 3600},
    },
    "personal_data_retention": {
        "task": "participants.tasks.personal_data_retention_task",
        "schedule": crontab(hour=4, minute=10),
        "options": {"expires": 6 * 3600},
    },
    "clean_resumable_uploads": {
        "task": "activities.tasks.resumable_uploads_clean_task",
        "schedule": crontab(minute=50),
        "options": {"expires": 55 * 60},
    },
    # The tasks a broker outage kept in core.TaskOutbox (docs/deploy.md, «Отказы»).
    "flush_task_outbox": {
        "task": "participants.tasks.flush_task_outbox_task",
        "schedule": crontab(minute="*"),
        "options": {"expires": 50},
    },
}
# What a coordinator reads for each job (the job log, «Фоновые задачи»), by the same job names; a job missing
# here is shown under its name. The long jobs started from a page (imports, certificates) are not scheduled.
JOB_TITLES = {
    "check_deadlines": _("Проверка сроков и правил исключения"),
    "send_reminders": _("Напоминания"),
    "issue_certificates": _("Выдача сертификатов"),
    "kpi_snapshot": _("Срез показателей KPI"),
    "kpi_half_year_snapshot": _("Срез показателей за полугодие (мониторинг)"),
    "deliver_notifications": _("Отправка писем"),
    "prune_job_runs": _("Очистка журнала"),
    "personal_data_retention": _("Уничтожение персональных данных по сроку и отзыву согласия"),
    "clean_resumable_uploads": _("Удаление брошенных загрузок видео"),
    "flush_task_outbox": _("Отправка отложенных задач и продолжение прерванных операций"),
}
# The job log keeps this many days of runs (the last run of every job is kept whatever its age).
JOB_RUNS_KEEP_DAYS = _int("JOB_RUNS_KEEP_DAYS", 180, minimum=1)
# A long job (core.BackgroundJob) whose worker reported nothing for this long is taken for dead: the
# minute job «flush_task_outbox» marks it interrupted and queues it again. Its worker reports at least every
# batch (certificates: 50 PDFs), well within this. The embedded broker (kombu's filesystem transport) drops a
# message once taken, acks_late or not, so this lease is how a killed worker's job gets finished there.
BACKGROUND_JOB_LEASE_SECONDS = _int("BACKGROUND_JOB_LEASE_SECONDS", 120, minimum=10)
# A queued job no worker took for this long (its message lost with a worker, or the queue stuck) is queued again.
BACKGROUND_JOB_QUEUE_SECONDS = _int("BACKGROUND_JOB_QUEUE_SECONDS", 30 * 60, minimum=60)
# Runs of one job (begun by a worker, or queued and never taken) before it is given up as failed.
BACKGROUND_JOB_MAX_ATTEMPTS = _int("BACKGROUND_JOB_MAX_ATTEMPTS", 3, minimum=1)


# --- Personal data (152-FZ) -----------------------------------------------------------------------
def _renamed(name: str, old_name: str) -> str:
    """The variable to read: the new name, or the old one (deprecated, docs/deploy.md) while only it is set."""
    return old_name if env.str(name, default="") == "" and env.str(old_name, default="") != "" else name


# Days a person whose every application was rejected, withdrawn or excluded keeps their data after the last of
# those decisions (room for an appeal and for the season's reports); then the nightly job anonymises them.
PERSONAL_DATA_RETENTION_DAYS = _int(_renamed("PERSONAL_DATA_RETENTION_DAYS", "PD_RETENTION_DAYS"), 365, minimum=30)
# Days between a withdrawn consent to processing and the job's erasure: the law allows 30 (art. 21 §5); the
# margin leaves a stopped worker a few nights to catch up. A coordinator may carry it out sooner in the admin.
_erase_days_name = _renamed("PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS", "PD_WITHDRAWAL_ERASE_DAYS")
PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS = _int(_erase_days_name, 25, minimum=0)
if PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS > 30:
    _fail(_erase_days_name, "по 152-ФЗ (ст. 21 ч. 5) данные уничтожаются не позднее 30 дней после отзыва")

# --- Cache ----------------------------------------------------------------------------------------
if REDIS_URL:
    # django-redis with IGNORE_EXCEPTIONS: while Redis is down every read is a miss and every write is dropped
    # (logged by the "django_redis" logger), so pages are computed afresh; core.cache_versions replays the
    # data-version bumps it could not write once Redis answers again (docs/deploy.md, «Отказы»).
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "django_redis"
else:
    # Per process: a change written by another process (a command, a worker) reaches the KPI pages only
    # when their cached computation expires (KPI_CACHE_SECONDS).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database whatever the cache: a Redis outage signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The longest a KPI page's cached numbers live when no data change was reported (reports.kpi_cache);
# every committed change of KPI data makes them stale at once. 0 turns the cache off.
KPI_CACHE_SECONDS = _int("KPI_CACHE_SECONDS", 600)

# --- Imports --------------------------------------------------------------------------------------
# A spreadsheet import reads at most this many rows (the header included) and columns of a sheet, and CSV lines of
# at most this many characters (core.spreadsheet_reader): a file declaring or holding more is refused before or
# while it is read, never padded to Excel's 1,048,576 × 16,384 grid.
IMPORT_MAX_ROWS = _int("IMPORT_MAX_ROWS", 20_000, minimum=2)
IMPORT_MAX_COLUMNS = _int("IMPORT_MAX_COLUMNS", 50, minimum=1)
IMPORT_MAX_LINE_CHARS = _int("IMPORT_MAX_LINE_CHARS", 65_536, minimum=1024)
# An import of more data rows than this is checked and applied by a Celery worker (a job with a progress bar),
# not in the request.
IMPORT_INLINE_MAX_ROWS = _int("IMPORT_INLINE_MAX_ROWS", 200, minimum=1)

# --- Forms ----------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): our own scripts and styles only, no inline code (a nonce for any that
# must be inline), and frames only from the video hosts whose players the portal embeds.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        # The players activities.video_links embeds (its EMBED_HOSTS; tests/test_security_headers.py keeps them
        # equal): named here, since settings import no app code.
        "frame-src": [
            "https://drive.google.com",
            "https://rutube.ru",
            "https://vk.com",
            "https://vkvideo.ru",
            "https://www.youtube-nocookie.com",
        ],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}
# Production behind its TLS-terminating proxy (SITE_URL https://…); a plain-HTTP local run gets none of these.
if HTTPS:
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # weasyprint.progress logs every page of every certificate at INFO: a batch would flood the log; fontTools logs
    # each table it trims from the certificate fonts (activities.certificates_pdf.font_program), 200 KB a process.
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Portal ---------------------------------------------------------------------------------------
PORTAL_NAME = env.str("PORTAL_NAME", default="") or _("Методический портал")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Demo-Portal-2025")
# Made by `manage.py seed_demo`; the login page lists them in demo mode only, program by program: each program's
# municipality has its coordinator, a school director, an expert and a teacher (seed_demo, demo/people.py).
DEMO_PROGRAM_ACCOUNTS = [
    (
        _("«Прогрессивный педагог» — Октябрьский район"),
        [
            ("coordinator@demo.ru", _("Координатор")),
            ("director@demo.ru", _("Директор школы")),
            ("curator@demo.ru", _("Эксперт — куратор")),
            ("teacher@demo.ru", _("Педагог — участник программы")),
        ],
    ),
    (
        _("«Методический абонемент» — Армавир"),
        [
            ("coordinator.armavir@demo.ru", _("Координатор")),
            ("director.armavir@demo.ru", _("Директор школы (заявка школы на рассмотрении)")),
            ("expert.armavir@demo.ru", _("Эксперт — методист")),
            ("teacher.armavir@demo.ru", _("Педагог — тьюторант")),
        ],
    ),
    (
        _("«Педкластер 27» — Верхнебуреинский район"),
        [
            ("coordinator.verkhnebureinsky@demo.ru", _("Координатор")),
            ("director.verkhnebureinsky@demo.ru", _("Директор школы")),
            ("expert.verkhnebureinsky@demo.ru", _("Эксперт — куратор")),
            ("teacher.verkhnebureinsky@demo.ru", _("Педагог — участник программы")),
        ],
    ),
]
DEMO_ACCOUNTS = [
    ("coordinator@demo.ru", _("Координатор (Октябрьский район)")),
    ("management@demo.ru", _("Руководство управления образования")),
    ("director@demo.ru", _("Директор школы")),
    ("curator@demo.ru", _("Куратор")),
    ("methodist@demo.ru", _("Методист (математика)")),
    ("psychologist@demo.ru", _("Педагог-психолог")),
    ("tech@demo.ru", _("Технический специалист")),
    ("tutor@demo.ru", _("Тьютор")),
    ("mentor@demo.ru", _("Наставник")),
    ("teacher@demo.ru", _("Педагог — участник программы")),
    ("admin@demo.ru", _("Администратор портала")),
    ("coordinator.armavir@demo.ru", _("Координатор (Армавир, «Методический абонемент»)")),
    ("director.armavir@demo.ru", _("Директор школы (Армавир)")),
    ("expert.armavir@demo.ru", _("Методист (Армавир)")),
    ("teacher.armavir@demo.ru", _("Педагог — тьюторант (Армавир)")),
    ("coordinator.verkhnebureinsky@demo.ru", _("Координатор (Верхнебуреинский район, «Педкластер 27»)")),
    ("director.verkhnebureinsky@demo.ru", _("Директор школы (Верхнебуреинский район)")),
    ("expert.verkhnebureinsky@demo.ru", _("Куратор (Верхнебуреинский район)")),
    ("teacher.verkhnebureinsky@demo.ru", _("Педагог — участник программы (Верхнебуреинский район)")),
    ("coordinator.moskovsky@demo.ru", _("Координатор (ИМЦ Московского района, каскад проектов)")),
    ("director.moskovsky@demo.ru", _("Директор школы (Московский район)")),
    ("expert.moskovsky@demo.ru", _("Методист (Московский район)")),
    ("teacher.moskovsky@demo.ru", _("Педагог (Московский район)")),
]
