"""A management command that runs a scheduled job's task in this process, logged as run by an operator."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.models import JobRun


class JobCommand(BaseCommand):
    """Subclasses name the job (as logged in JobRun) and give the task function; the command prints the run."""

    job: str = ""

    def run_job(self, **options) -> None:
        raise NotImplementedError

    def handle(self, *args, **options):
        before = JobRun.objects.filter(job=self.job).order_by("-pk").values_list("pk", flat=True).first() or 0
        failure = None
        try:
            self.run_job(**options)
        except CommandError:  # bad arguments: nothing ran
            raise
        except Exception as exc:  # logged with its traceback in the run; reported below
            failure = exc
        run = JobRun.objects.filter(job=self.job, pk__gt=before).order_by("-pk").first()
        if run is None:
            raise CommandError(f"{self.job}: the run left no entry in the job log") from failure
        counts = ", ".join(f"{name}={n}" for name, n in sorted(run.summary.items()))
        self.stdout.write(f"{self.job}: {run.get_status_display()}" + (f" ({counts})" if counts else ""))
        if run.message:
            self.stdout.write(run.message)
        if failure is not None:
            raise CommandError(f"{self.job}: {failure}") from failure
