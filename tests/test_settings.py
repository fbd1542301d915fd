"""Settings come from the environment; a bad value must stop start-up with a message naming the setting."""

import os
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
        SECURE_HSTS_SECONDS="",
        SECURE_SSL_REDIRECT="",
        AXES_FAILURE_LIMIT="",
        AXES_COOLOFF_MINUTES="",
        TRUSTED_PROXY_COUNT="",
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
        ({"DEBUG": "off"}, "Настройка SECRET_KEY: обязательна при DEBUG=off"),
        ({"DEBUG": "off", "SECRET_KEY": "short"}, "Настройка SECRET_KEY: слишком короткий ключ"),
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
        "DATABASE_URL": "postgres://portal:secret@127.0.0.1:5432/portal",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    assert len(env["SECRET_KEY"]) >= 60
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
