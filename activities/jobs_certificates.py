"""Long certificate jobs a coordinator starts from the admin: «выдать сейчас» and the ZIP of an activity.

Starting one creates a BackgroundJob and queues its task after the commit; the page /jobs/<id>/ follows it.
A task claims its job first (core.jobs.background_job_claim): a job finished, or running in a live
worker, is left alone; one whose worker died is resumed, by a second delivery or by the sweeper. The batch's
page counts the certificates in the database, so a resumed run shows the whole job, not its own part.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile

from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import (
    JobRecorder,
    background_job_claim,
    background_job_create,
    background_job_finish,
    background_job_params_set,
    background_job_progress,
    job_run,
)
from core.models import BackgroundJob, JobRun
from core.task_outbox import task_enqueue
from participants.models import User
from programs.models import Season

from .models import Activity, Certificate
from .services_certificates import certificates_issue

logger = logging.getLogger(__name__)

ISSUE_KIND = "certificates_issue"
ZIP_KIND = "certificates_zip"
ZIP_PROGRESS_EVERY = 20
ISSUE_TASK = "activities.tasks.certificates_batch_task"
ZIP_TASK = "activities.tasks.certificates_zip_task"


def certificates_issue_job(
    *,
    trigger: str = JobRun.Trigger.SCHEDULE,
    season: Season | None = None,
    activity: Activity | None = None,
    batch_size: int | None = None,
) -> JobRecorder:
    """The job «issue_certificates» under the job log: everything owed (or a season's, an activity's)."""
    if batch_size is None:
        # Each batch holds the write lock while its PDFs render: on the embedded SQLite (one writer) keep it short,
        # so that sign-ins and cabinet pages get their turn between two batches.
        batch_size = 20 if connection.vendor == "sqlite" else 50
    with job_run("issue_certificates", trigger=trigger) as run:
        if run.skipped:
            return run
        result = certificates_issue(now=timezone.now(), season=season, activity=activity, batch_size=batch_size)
        run.count("issued", result["issued"])
        run.count("batches", result["batches"])
        run.say(_("Выдано сертификатов: %(issued)s из %(owed)s.") % result)
    return run


def certificates_batch_start(
    *, by: User, season: Season | None = None, activity: Activity | None = None
) -> BackgroundJob:
    """Queue «выдать сертификаты сейчас» for a season or an activity."""
    if activity is not None:
        title = _("Выдача сертификатов: %(activity)s") % {"activity": activity.title}
        params = {"activity": activity.pk}
    elif season is not None:
        title = _("Выдача сертификатов: %(program)s, сезон %(season)s") % {
            "program": season.program.title,
            "season": season.title,
        }
        params = {"season": season.pk}
    else:
        raise ValueError("a season or an activity is required")
    with transaction.atomic():
        job = background_job_create(kind=ISSUE_KIND, title=title, by=by, params=params, task=ISSUE_TASK)
        task_enqueue(ISSUE_TASK, {"job_id": job.pk})
    return job


def _valid_certificates(*, season: Season | None, activity: Activity | None):
    """The valid certificates of the batch's activity or season: what its page counts."""
    if activity is not None:
        return Certificate.objects.filter(activity=activity, revoked_at__isnull=True)
    return Certificate.objects.filter(enrollment__season=season, revoked_at__isnull=True)


def certificates_batch_run(*, job_id: int) -> None:
    job = background_job_claim(job_id=job_id, kind=ISSUE_KIND)
    if job is None:
        return
    season = activity = None
    if job.params.get("activity"):
        activity = Activity.objects.filter(pk=job.params["activity"]).first()
    elif job.params.get("season"):
        season = Season.objects.filter(pk=job.params["season"]).first()
    if activity is None and season is None:
        background_job_finish(job_id=job_id, failed=True, message=_("Мероприятие или сезон удалены."))
        return
    valid = _valid_certificates(season=season, activity=activity)
    # The job's count is what the database gained since its first attempt began (kept in the job, so an attempt
    # after a killed one counts the killed one's committed batches too).
    before = job.params.get("valid_before")
    if before is None:
        before = valid.count()
        background_job_params_set(job_id=job_id, values={"valid_before": before})

    def issued_so_far() -> int:
        return max(valid.count() - before, 0)

    def progress(looked_at: int, owed: int) -> None:
        done = issued_so_far()
        background_job_progress(job_id=job_id, done=done, total=done + owed - looked_at)

    try:
        certificates_issue(now=timezone.now(), season=season, activity=activity, by=job.started_by, progress=progress)
    except Exception:
        logger.exception("certificate job %s failed", job_id)
        background_job_finish(
            job_id=job_id,
            failed=True,
            message=_("Выдача прервалась. Уже выданные сертификаты сохранены; запустите выдачу ещё раз."),
        )
        raise
    issued = issued_so_far()
    background_job_progress(job_id=job_id, done=issued, total=issued)
    background_job_finish(
        job_id=job_id,
        message=_("Выдано сертификатов: %(issued)s.") % {"issued": issued}
        if issued
        else _("Новых сертификатов к выдаче нет."),
    )


def certificates_zip_start(*, by: User, activity: Activity) -> BackgroundJob:
    """Queue a ZIP of every valid certificate of the activity."""
    with transaction.atomic():
        job = background_job_create(
            kind=ZIP_KIND,
            title=_("Сертификаты мероприятия «%(activity)s» (ZIP)") % {"activity": activity.title},
            by=by,
            params={"activity": activity.pk},
            task=ZIP_TASK,
        )
        task_enqueue(ZIP_TASK, {"job_id": job.pk})
    return job


def certificates_zip_run(*, job_id: int) -> None:
    """Stream the stored PDFs (never re-rendered) into a ZIP saved as the job's result file; a resumed run
    starts the archive again (nothing of a killed one's temporary file survives)."""
    job = background_job_claim(job_id=job_id, kind=ZIP_KIND)
    if job is None:
        return
    activity = Activity.objects.filter(pk=job.params.get("activity")).first()
    if activity is None:
        background_job_finish(job_id=job_id, failed=True, message=_("Мероприятие удалено."))
        return
    certificates = list(
        Certificate.objects.filter(activity=activity, revoked_at__isnull=True)
        .exclude(pdf="")
        .only("pk", "number", "pdf")
        .order_by("sequence", "pk")
    )
    total = len(certificates)
    background_job_progress(job_id=job_id, done=0, total=total)
    with tempfile.TemporaryFile() as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, certificate in enumerate(certificates, start=1):
                with certificate.pdf.open("rb") as pdf, archive.open(f"{certificate.number}.pdf", "w") as entry:
                    for chunk in iter(lambda: pdf.read(64 * 1024), b""):
                        entry.write(chunk)
                if done % ZIP_PROGRESS_EVERY == 0:
                    background_job_progress(job_id=job_id, done=done, total=total)
        tmp.seek(0)
        background_job_finish(
            job_id=job_id,
            message=_("Сертификатов в архиве: %(count)s.") % {"count": total},
            result_name=f"certificates-activity-{activity.pk}.zip",
            result_file=File(tmp),
        )
