"""Celery tasks of the activities app: thin wrappers over services; they take ids and are safe to run twice."""

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.jobs import job_run

from .jobs_certificates import certificates_batch_run, certificates_zip_run
from .services_certificates import certificates_issue


@shared_task
def issue_certificates_task() -> None:
    """Hourly: issue every certificate owed, in batches."""
    with job_run("issue_certificates") as run:
        if run.skipped:
            return
        result = certificates_issue(now=timezone.now())
        run.count("issued", result["issued"])
        run.count("batches", result["batches"])
        run.say(_("Выдано сертификатов: %(issued)s из %(owed)s.") % result)


@shared_task
def certificates_batch_task(job_id: int) -> None:
    """A coordinator's «выдать сейчас» for a season or an activity (a BackgroundJob)."""
    certificates_batch_run(job_id=job_id)


@shared_task
def certificates_zip_task(job_id: int) -> None:
    """A coordinator's «Скачать все сертификаты (ZIP)» for an activity (a BackgroundJob)."""
    certificates_zip_run(job_id=job_id)
