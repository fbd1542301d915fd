from django.conf import settings
from django.utils import timezone

from core.management.job_command import JobCommand
from core.models import JobRun
from participants.retention import retention_due_people, withdrawal_erasures_due
from participants.tasks import personal_data_retention_task


class Command(JobCommand):
    help = (
        "Anonymise people past PD_RETENTION_DAYS and carry out erasures after a withdrawn consent "
        "(--dry-run: only count them)."
    )
    job = "personal_data_retention"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count who would be anonymised; change nothing")

    def handle(self, *args, **options):
        if not options["dry_run"]:
            return super().handle(*args, **options)
        now = timezone.now()
        expired = retention_due_people(now=now).count()
        withdrawn = withdrawal_erasures_due(now=now).count()
        self.stdout.write(
            f"{self.job} (dry run): retention_expired={expired} (PD_RETENTION_DAYS={settings.PD_RETENTION_DAYS}), "
            f"withdrawn_consent={withdrawn} (PD_WITHDRAWAL_ERASE_DAYS={settings.PD_WITHDRAWAL_ERASE_DAYS})"
        )

    def run_job(self, **options) -> None:
        personal_data_retention_task(trigger=JobRun.Trigger.COMMAND)
