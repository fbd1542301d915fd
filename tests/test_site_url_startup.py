"""SITE_URL is where the portal runs: `make run PORT=…` gives it that port, and with DEBUG off the serving
processes (web, Celery worker and beat) refuse to start without it, while commands that build no link run."""

import json
import sys

import pytest

from tests.test_settings import clean_env, run  # noqa: F401 (fixture)

MISSING = "Настройка SITE_URL: обязательна при DEBUG=off"

# scripts/run_dev.py's main() up to the point where it starts the three processes, with the database steps
# left out: each started process reports the SITE_URL it inherits and the one the settings resolved from it.
RUN_DEV_PROBE = """
import json, os, runpy, sys
sys.argv = ["run_dev.py", "--port", "18801"]
module = runpy.run_path("scripts/run_dev.py", run_name="run_dev_probe")
main = module["main"]
main.__globals__["prepare"] = lambda settings: None
seen = {}

class Done:
    pid = 0
    returncode = 0
    def poll(self):
        return 0
    def wait(self, timeout=None):
        return 0

def start(name, command):
    from django.conf import settings
    seen[name] = {"environ": os.environ.get("SITE_URL"), "settings": settings.SITE_URL, "command": command}
    return Done()

main.__globals__["start"] = start
main()
print(json.dumps(seen))
"""


@pytest.fixture
def base_env(clean_env):  # noqa: F811
    """tests/test_settings.py's explicit environment: no SITE_URL, DEBUG empty, ALLOWED_HOSTS=localhost."""
    return clean_env


def _run_dev_probe(env):
    result = run([sys.executable, "-c", RUN_DEV_PROBE], env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("debug", "server"), [(None, "runserver"), ("off", "gunicorn")], ids=["make-run", "debug-off"])
def test_run_dev_on_port_18801_gives_all_three_processes_that_address(base_env, debug, server):
    env = {key: value for key, value in base_env.items() if key != "DEBUG"}  # `make run`: run_dev turns it on
    if debug:
        env["DEBUG"] = debug
    seen = _run_dev_probe(env)
    assert set(seen) == {"web", "worker", "beat"}
    for name, process in seen.items():
        assert process["environ"] == "http://localhost:18801", name
        assert process["settings"] == "http://localhost:18801", name
    assert server in " ".join(seen["web"]["command"]) and "127.0.0.1:18801" in seen["web"]["command"]


def test_run_dev_keeps_a_given_site_url(base_env):
    seen = _run_dev_probe({**base_env, "SITE_URL": "https://metodportal.example.ru"})
    assert {process["environ"] for process in seen.values()} == {"https://metodportal.example.ru"}


def test_the_processes_started_with_that_environment_resolve_that_address(base_env):
    """What the three children do with the inherited variable: the settings of a fresh process read it."""
    env = {**base_env, "DEBUG": "on", "SITE_URL": "http://localhost:18801"}
    probe = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = run([sys.executable, "-c", probe], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://localhost:18801"


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-c", "import config.wsgi"],
        [sys.executable, "-c", "import config.asgi"],
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--without-gossip"],
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--schedule", "{tmp}/beat-schedule"],
    ],
    ids=["gunicorn-wsgi", "asgi", "celery-worker", "celery-beat"],
)
def test_serving_processes_refuse_to_start_without_site_url_when_debug_is_off(base_env, tmp_path, command):
    command = [part.replace("{tmp}", str(tmp_path)) for part in command]
    env = {**base_env, "DEBUG": "off"}  # ALLOWED_HOSTS=localhost: the settings alone would accept it
    result = run(command, env)
    assert result.returncode != 0
    assert MISSING in result.stdout + result.stderr


def test_serving_processes_start_with_site_url_when_debug_is_off(base_env):
    env = {**base_env, "DEBUG": "off", "SITE_URL": "https://metodportal.example.ru"}
    result = run([sys.executable, "-c", "import config.wsgi, config.asgi; print('ok')"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_debug_on_needs_no_site_url_to_serve(base_env):
    result = run([sys.executable, "-c", "import config.wsgi; print('ok')"], {**base_env, "DEBUG": "on"})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "args",
    [["check"], ["migrate", "--noinput"], ["collectstatic", "--noinput", "--dry-run", "--verbosity", "0"]],
    ids=["check", "migrate", "collectstatic"],
)
def test_commands_that_build_no_link_run_without_site_url(base_env, tmp_path, args):
    """The Docker build runs collectstatic, the entrypoint migrate, with DEBUG off (Dockerfile)."""
    env = {**base_env, "DEBUG": "off", "STATIC_ROOT": str(tmp_path / "static")}
    result = run([sys.executable, "manage.py", *args], env)
    assert result.returncode == 0, result.stdout + result.stderr
