"""Settings come from the environment; a bad value must stop start-up with a message naming the setting."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SETUP = "import django; django.setup()"


@pytest.fixture
def clean_env(tmp_path):
    """Explicit values for every setting we vary, so neither the caller's environment nor .env leaks in."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="",
        SECRET_KEY="",
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="",
        TIME_ZONE="Europe/Moscow",
        EMAIL_URL="",
        S3_BUCKET="",
        VAR_DIR=str(tmp_path / "var"),
        DB_CONN_MAX_AGE="",
        DB_JIT="",
        SECURE_HSTS_SECONDS="",
        SECURE_SSL_REDIRECT="",
        AXES_FAILURE_LIMIT="",
        AXES_COOLOFF_MINUTES="",
        TRUSTED_PROXY_COUNT="",
        SITE_URL="",
    )
    return env


def run(args, env):
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def test_embedded_defaults_start(clean_env):
    result = run([sys.executable, "-c", SETUP], clean_env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "maybe"}, "Настройка DEBUG: ожидалось true/false, получено 'maybe'"),
        ({"DATABASE_URL": "mysql://user:pw@db.example.ru/portal"}, "Настройка DATABASE_URL: поддерживаются только"),
        ({"TIME_ZONE": "Mars/Base"}, "Настройка TIME_ZONE: неизвестный часовой пояс 'Mars/Base'"),
        ({"REDIS_URL": "http://x"}, "Настройка REDIS_URL: ожидался адрес redis://"),
        (
            {"DEBUG": "off", "ALLOWED_HOSTS": "metodportal.example.ru", "SITE_URL": "https://metodportal.example.ru"},
            "Настройка SECRET_KEY: обязательна при DEBUG=off",
        ),
        (
            {
                "DEBUG": "off",
                "SECRET_KEY": "short",
                "ALLOWED_HOSTS": "metodportal.example.ru",
                "SITE_URL": "https://metodportal.example.ru",
            },
            "Настройка SECRET_KEY: слишком короткий ключ",
        ),
        (
            {"DEBUG": "off", "ALLOWED_HOSTS": "metodportal.example.ru", "SECRET_KEY": "k" * 60},
            "Настройка SITE_URL: обязательна при DEBUG=off",
        ),
        (
            {"DATABASE_URL": "postgres://u@127.0.0.1:5432/portal", "DB_CONN_MAX_AGE": "soon"},
            "Настройка DB_CONN_MAX_AGE: ожидалось целое число",
        ),
        ({"AXES_FAILURE_LIMIT": "0"}, "Настройка AXES_FAILURE_LIMIT: значение должно быть не меньше 1"),
        ({"AXES_COOLOFF_MINUTES": "soon"}, "Настройка AXES_COOLOFF_MINUTES: ожидалось целое число"),
    ],
    ids=[
        "debug",
        "database-engine",
        "time-zone",
        "redis-scheme",
        "secret-key-missing",
        "secret-key-short",
        "site-url-missing",
        "conn-age",
        "axes-limit",
        "axes-cool-off",
    ],
)
def test_bad_value_stops_start_up_naming_the_setting(clean_env, overrides, message):
    result = run([sys.executable, "-c", SETUP], {**clean_env, **overrides})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_pass_the_deploy_check(clean_env):
    env = {
        **clean_env,
        "DEBUG": "off",
        "SECRET_KEY": "q7Vw2-Lm9xTz4RbN8cYp1sKd6HfJ3gAe0UuBiOoWn5ZyXvCtE!rQ@lMkPjGhF#a",
        "ALLOWED_HOSTS": "metodportal.example.ru",
        "CSRF_TRUSTED_ORIGINS": "https://metodportal.example.ru",
        "SITE_URL": "https://metodportal.example.ru",
        "DATABASE_URL": "postgres://portal:secret@127.0.0.1:5432/portal",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    assert len(env["SECRET_KEY"]) >= 60
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_embedded_default_runs_with_debug_off_and_a_key_of_its_own(clean_env, tmp_path):
    """No environment at all: DEBUG off, a secret key made once in VAR_DIR (the same on the next start, readable
    by its owner only), plain HTTP on this machine: no HTTPS redirect, no proxy trusted."""
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.DEMO_MODE, s.SITE_URL, s.TRUSTED_PROXY_COUNT, getattr(s, 'SECURE_SSL_REDIRECT', False), "
        "s.SECRET_KEY)"
    )
    first = run([sys.executable, "-c", probe], clean_env)
    second = run([sys.executable, "-c", probe], clean_env)
    assert first.returncode == 0, first.stderr
    debug, demo, site, proxies, redirect, key = first.stdout.split()
    assert (debug, demo, site, proxies, redirect) == ("False", "False", "http://localhost:8000", "0", "False")
    assert len(key) >= 50 and second.stdout == first.stdout
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.read_text().strip() == key
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_embedded_default_deploy_check_names_only_plain_http(clean_env):
    """`check --deploy` on the embedded default: only what serving plain HTTP on localhost implies."""
    result = run([sys.executable, "manage.py", "check", "--deploy"], clean_env)
    assert result.returncode == 0, result.stderr
    assert sorted(re.findall(r"\(security\.(\w+)\)", result.stdout + result.stderr)) == ["W004", "W008", "W012", "W016"]


def test_debug_on_by_the_environment(clean_env):
    result = run(
        [sys.executable, "-c", SETUP + "; from django.conf import settings as s; print(s.DEBUG)"],
        {
            **clean_env,
            "DEBUG": "on",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")


PERSONAL_DATA_DAYS = (
    "from django.conf import settings as s; "
    "print(s.PERSONAL_DATA_RETENTION_DAYS, s.PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS)"
)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "365 25"),
        ({"PERSONAL_DATA_RETENTION_DAYS": "400", "PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS": "20"}, "400 20"),
        ({"PD_RETENTION_DAYS": "500", "PD_WITHDRAWAL_ERASE_DAYS": "10"}, "500 10"),
        ({"PERSONAL_DATA_RETENTION_DAYS": "400", "PD_RETENTION_DAYS": "500"}, "400 25"),
    ],
    ids=["defaults", "new-names", "old-names-still-read", "new-name-wins"],
)
def test_personal_data_days_under_their_names_and_the_deprecated_ones(clean_env, overrides, expected):
    env = {**clean_env, "PD_RETENTION_DAYS": "", "PD_WITHDRAWAL_ERASE_DAYS": "", **overrides}
    result = run([sys.executable, "-c", SETUP + "; " + PERSONAL_DATA_DAYS], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_a_bad_deprecated_value_is_named_by_its_old_name(clean_env):
    result = run([sys.executable, "-c", SETUP], {**clean_env, "PD_WITHDRAWAL_ERASE_DAYS": "45"})
    assert result.returncode != 0
    assert "Настройка PD_WITHDRAWAL_ERASE_DAYS: по 152-ФЗ" in result.stderr


JIT_OPTION = (
    "from django.conf import settings as s; print(repr(s.DATABASES['default'].get('OPTIONS', {}).get('options')))"
)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "'-c jit=off'"),
        ({"DB_JIT": "off"}, "'-c jit=off'"),
        ({"DB_JIT": "on"}, "None"),
        ({"DATABASE_URL": "sqlite:///x.sqlite3"}, "None"),
    ],
    ids=["default-off", "off", "on-leaves-the-server-setting", "sqlite-untouched"],
)
def test_postgresql_connections_turn_jit_off_unless_asked(clean_env, overrides, expected):
    env = {**clean_env, "DATABASE_URL": "postgres://u@127.0.0.1:5432/portal", "DB_JIT": "", **overrides}
    result = run([sys.executable, "-c", SETUP + "; " + JIT_OPTION], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_a_bad_db_jit_value_stops_start_up(clean_env):
    env = {**clean_env, "DATABASE_URL": "postgres://u@127.0.0.1:5432/portal", "DB_JIT": "maybe"}
    result = run([sys.executable, "-c", SETUP], env)
    assert result.returncode != 0
    assert "Настройка DB_JIT: ожидалось true/false, получено 'maybe'" in result.stderr
