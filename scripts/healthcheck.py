#!/usr/bin/env python3
"""Container healthchecks: `healthcheck.py web|worker|beat`; exit 0 when healthy."""

import os
import socket
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def web() -> bool:
    # Ask as the proxy would (a real host name, HTTPS already terminated) so neither the host check
    # nor the HTTPS redirect answers instead of the application.
    hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "localhost").split(",")]
    host = next((h for h in hosts if h and h != "*"), "localhost")
    request = urllib.request.Request(
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/login/",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except OSError:
        return False


def worker() -> bool:
    from config.celery import app

    node = f"celery@{socket.gethostname()}"
    return bool(app.control.ping(destination=[node], timeout=5))


def beat() -> bool:
    # beat is PID 1 of its container (it dies with it); what can still go wrong is the broker.
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=5)
    return True


if __name__ == "__main__":
    role = sys.argv[1] if len(sys.argv) > 1 else "web"
    try:
        healthy = {"web": web, "worker": worker, "beat": beat}[role]()
    except Exception as exc:  # any failure is simply "unhealthy", with the reason in the health log
        print(f"{role}: {exc!r}")
        healthy = False
    sys.exit(0 if healthy else 1)
