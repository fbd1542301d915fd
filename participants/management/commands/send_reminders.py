from core.management.job_command import JobCommand
from core.models import JobRun
from participants.tasks import send_reminders_job


class Command(JobCommand):
    help = "Send the reminders of due dates that are due now (normally hourly by beat)."
    job = "send_reminders"

    def run_job(self, **options) -> None:
        send_reminders_job(trigger=JobRun.Trigger.COMMAND)
