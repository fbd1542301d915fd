from core.management.job_command import JobCommand
from core.models import JobRun
from core.tasks import deliver_notifications_job


class Command(JobCommand):
    help = "Send the e-mails waiting in the notification outbox now (normally every 5 minutes by beat)."
    job = "deliver_notifications"

    def run_job(self, **options) -> None:
        deliver_notifications_job(trigger=JobRun.Trigger.COMMAND)
