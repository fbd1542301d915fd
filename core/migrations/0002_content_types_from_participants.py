"""The content types of the moved models change their app label from participants to core, so the permissions
given to groups and people (core.run_jobs, core.view_jobrun…), the admin's log entries and anything else that
refers to a content type keep pointing at the same rows. No second content type is left behind."""

from django.conf import settings
from django.db import migrations

MOVED = ("notification", "jobrun", "backgroundjob", "taskoutbox")


def _move(apps, from_label: str, to_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    group_perms = Group.permissions.through
    user_perms = User.user_permissions.through
    for model in MOVED:
        kept = ContentType.objects.filter(app_label=from_label, model=model).first()
        if kept is None:
            continue
        extra = ContentType.objects.filter(app_label=to_label, model=model).first()
        if extra is not None:
            # Created under the new label before this ran (a migrate stopped half-way): its references join
            # the content type the data has always pointed at, and it goes.
            kept_perms = {p.codename: p.pk for p in Permission.objects.filter(content_type=kept)}
            for perm in Permission.objects.filter(content_type=extra):
                twin = kept_perms.get(perm.codename)
                if twin is None:
                    Permission.objects.filter(pk=perm.pk).update(content_type=kept)
                    continue
                group_perms.objects.bulk_create(
                    [
                        group_perms(group_id=g, permission_id=twin)
                        for g in group_perms.objects.filter(permission_id=perm.pk).values_list("group_id", flat=True)
                    ],
                    ignore_conflicts=True,
                )
                user_perms.objects.bulk_create(
                    [
                        user_perms(**{"permission_id": twin, f"{User._meta.model_name}_id": u})
                        for u in user_perms.objects.filter(permission_id=perm.pk).values_list(
                            f"{User._meta.model_name}_id", flat=True
                        )
                    ],
                    ignore_conflicts=True,
                )
                perm.delete()
            LogEntry.objects.filter(content_type=extra).update(content_type=kept)
            extra.delete()
        ContentType.objects.filter(pk=kept.pk).update(app_label=to_label)


def forwards(apps, schema_editor):
    _move(apps, "participants", "core")


def backwards(apps, schema_editor):
    _move(apps, "core", "participants")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_from_participants"),
        ("participants", "0017_models_moved_to_core"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
