"""Celery tasks of the activities app: thin wrappers over services; they take ids and are safe to run twice.

Scheduled tasks take `trigger` (schedule, command or manual: the coordinator's «Запустить сейчас»).
"""

from celery import shared_task

from core.models import JobRun

from .deadlines import check_deadlines_job
from .jobs_certificates import certificates_batch_run, certificates_issue_job, certificates_zip_run
from .services_resumable import resumable_uploads_clean_job


@shared_task
def check_deadlines_task(trigger: str = JobRun.Trigger.SCHEDULE) -> dict:
    """Every 15 minutes: late submissions, missed video lessons, default marks, then the exclusion rules."""
    return check_deadlines_job(trigger=trigger).summary


@shared_task
def issue_certificates_task(trigger: str = JobRun.Trigger.SCHEDULE) -> dict:
    """Hourly: issue every certificate owed, in batches."""
    return certificates_issue_job(trigger=trigger).summary


@shared_task
def certificates_batch_task(job_id: int) -> None:
    """A coordinator's «выдать сейчас» for a season or an activity (a BackgroundJob)."""
    certificates_batch_run(job_id=job_id)


@shared_task
def certificates_zip_task(job_id: int) -> None:
    """A coordinator's «Скачать все сертификаты (ZIP)» for an activity (a BackgroundJob)."""
    certificates_zip_run(job_id=job_id)


@shared_task
def resumable_uploads_clean_task(trigger: str = JobRun.Trigger.SCHEDULE) -> dict:
    """Hourly: delete the resumable video uploads abandoned for RESUMABLE_UPLOAD_EXPIRY_HOURS, with their bytes,
    and with S3 media abort the abandoned multipart uploads in the bucket."""
    return resumable_uploads_clean_job(trigger=trigger).summary
