import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("metodportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_filesystem_broker_folders() -> None:
    """kombu's filesystem transport does not create its folders; without them a send fails."""
    if not str(app.conf.broker_url or "").startswith("filesystem://"):
        return
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare_broker(sender, **kwargs):
    ensure_filesystem_broker_folders()


@worker_init.connect
@beat_init.connect
def _require_site_url(sender=None, **kwargs):
    """The worker and beat send letters and build certificate links: no SITE_URL with DEBUG off, no start."""
    from django.core.exceptions import ImproperlyConfigured

    from config.startup import require_site_url

    try:
        require_site_url()
    except ImproperlyConfigured as exc:
        raise SystemExit(str(exc)) from exc  # Celery logs and ignores a receiver's Exception: this one stops it
