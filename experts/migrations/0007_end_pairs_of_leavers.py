"""A mentoring pair ends when its mentee withdraws or is excluded (Pedkluster 27, the mentoring model): the pairs of
mentees who left before the rule existed are ended on the local date (the season's time zone) of that status change."""

from zoneinfo import ZoneInfo

from django.db import migrations
from django.db.models import OuterRef, Subquery

LEFT = ("withdrawn", "excluded")


def end_pairs_of_leavers(apps, schema_editor):
    MentoringPair = apps.get_model("experts", "MentoringPair")
    EnrollmentStatusChange = apps.get_model("participants", "EnrollmentStatusChange")
    left_at = (
        EnrollmentStatusChange.objects.filter(enrollment=OuterRef("mentee"), to_status=OuterRef("mentee__status"))
        .order_by("-changed_at", "-pk")
        .values("changed_at")[:1]
    )
    pairs = list(
        MentoringPair.objects.filter(mentee__status__in=LEFT)
        .select_related("season", "mentee")
        .annotate(left_at=Subquery(left_at))
    )
    ended = []
    for pair in pairs:
        moment = pair.left_at or pair.mentee.status_changed_at
        day = moment.astimezone(ZoneInfo(pair.season.time_zone)).date()
        day = max(day, pair.started_on)  # a pair that had not started yet ends on its first day
        if pair.ended_on is None or pair.ended_on > day:
            pair.ended_on = day
            ended.append(pair)
    MentoringPair.objects.bulk_update(ended, ["ended_on"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0006_expert_feedback"),
        ("participants", "0014_feedbackquestion_audience"),
    ]

    operations = [migrations.RunPython(end_pairs_of_leavers, migrations.RunPython.noop, elidable=True)]
