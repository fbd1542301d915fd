"""Activities' part of loading a program template and of cloning a season."""

from collections import Counter

from programs.season_parts import register_season_part
from programs.services import shift_years
from programs.templates_service import upsert

from .models import FEEDBACK_KINDS, Activity, Session, VideoAssignment

ACTIVITY_FIELDS = (
    "order",
    "kind",
    "format",
    "description",
    "is_mandatory",
    "gives_certificate",
    "is_feedback_meeting",
    "hours",
    "required_sessions",
    "audience",
    "learning_format",
)


def load_activities(*, season, template, module_map, **kwargs) -> Counter:
    """Activities by season+module+title, their sessions by starts_at, the video assignment by activity."""
    changes = Counter()
    for item in template.get("activities", []):
        module = module_map[item["module"]] if item.get("module") is not None else None
        defaults = {field: item[field] for field in ACTIVITY_FIELDS if field in item}
        # A template names its feedback meetings (seed 000 §5.9); the feedback kinds are such meetings anyway.
        defaults.setdefault("is_feedback_meeting", item["kind"] in FEEDBACK_KINDS)
        activity, what = upsert(
            Activity,
            lookup={"season": season, "module": module, "title": item["title"]},
            defaults=defaults,
        )
        changes[what] += 1
        for data in item.get("sessions", []):
            _, what = upsert(
                Session,
                lookup={"activity": activity, "starts_at": data["starts_at"]},
                defaults={"title": data.get("title", ""), "ends_at": data["ends_at"], "place": data.get("place", "")},
            )
            changes[what] += 1
        video = item.get("video_assignment")
        if video:
            _, what = upsert(
                VideoAssignment,
                lookup={"activity": activity},
                defaults={
                    "instructions": video.get("instructions", ""),
                    "opens_at": video["opens_at"],
                    "due_at": video["due_at"],
                    "cutoff_at": video["cutoff_at"],
                },
            )
            changes[what] += 1
    return changes


def clone_activities(*, source, target, years, module_map, **kwargs) -> None:
    """Copy activities with their sessions and video assignments, every date moved `years` on, in three inserts
    whatever the roadmap's size.

    Attendance and submissions belong to the old season's participants and stay behind.
    """
    originals = list(source.activities.order_by("pk"))
    copies = Activity.objects.bulk_create(
        Activity(
            season=target,
            module=module_map.get(activity.module_id),
            title=activity.title,
            **{field: getattr(activity, field) for field in ACTIVITY_FIELDS},
        )
        for activity in originals
    )
    copy_of = {original.pk: copy for original, copy in zip(originals, copies, strict=True)}
    Session.objects.bulk_create(
        Session(
            activity=copy_of[session.activity_id],
            title=session.title,
            starts_at=shift_years(session.starts_at, years),
            ends_at=shift_years(session.ends_at, years),
            place=session.place,
        )
        for session in Session.objects.filter(activity__season=source).order_by("pk")
    )
    VideoAssignment.objects.bulk_create(
        VideoAssignment(
            activity=copy_of[video.activity_id],
            instructions=video.instructions,
            opens_at=shift_years(video.opens_at, years),
            due_at=shift_years(video.due_at, years),
            cutoff_at=shift_years(video.cutoff_at, years),
        )
        for video in VideoAssignment.objects.filter(activity__season=source).order_by("pk")
    )


def register() -> None:
    register_season_part("activities", load_template=load_activities, clone=clone_activities)
