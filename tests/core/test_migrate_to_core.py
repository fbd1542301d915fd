"""Moving the notification list, the job log, the long jobs and the task outbox from participants to core keeps
every row: the database is taken back to before the move, filled through the old models, and migrated
forward; the rows, their links to users, the content types and the permissions given to a group and to a
person are all still there, now under core."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry as CurrentLogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.models import BackgroundJob, JobRun, Notification, TaskOutbox

BEFORE = [("participants", "0016_staff_roster"), ("core", None)]
MOVED = ("notification", "jobrun", "backgroundjob", "taskoutbox")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_the_move():
    leaves = _leaves()
    _migrate(BEFORE)
    executor = MigrationExecutor(connection)  # reads which migrations are applied now
    yield executor.loader.project_state(sorted(executor.loader.applied_migrations)).apps
    _migrate(leaves)  # whatever the test did, the database ends migrated to the end


@pytest.mark.django_db(transaction=True)
def test_rows_links_content_types_and_permissions_survive(before_the_move):
    old = before_the_move
    User = old.get_model("participants", "User")
    Group = old.get_model("auth", "Group")
    Permission = old.get_model("auth", "Permission")
    OldContentType = old.get_model("contenttypes", "ContentType")
    LogEntry = old.get_model("admin", "LogEntry")

    # The district as it stood before the move: content types and permissions under participants.
    content_types = {m: OldContentType.objects.get_or_create(app_label="participants", model=m)[0] for m in MOVED}
    run_jobs, _ = Permission.objects.get_or_create(
        content_type=content_types["jobrun"], codename="run_jobs", defaults={"name": "Может запускать задачи"}
    )
    view_jobrun, _ = Permission.objects.get_or_create(
        content_type=content_types["jobrun"], codename="view_jobrun", defaults={"name": "Can view"}
    )
    coordinators = Group.objects.create(name="Координаторы (до переноса)")
    coordinators.permissions.add(run_jobs, view_jobrun)
    operator = User.objects.create(email="operator@example.org", password="!", is_staff=True)
    operator.user_permissions.add(view_jobrun)

    now = timezone.now()
    run = old.get_model("participants", "JobRun").objects.create(
        job="check_deadlines",
        status="success",
        started_at=now - timedelta(minutes=5),
        finished_at=now,
        summary={"late": 3},
        message="Проверено",
    )
    job = old.get_model("participants", "BackgroundJob").objects.create(
        kind="certificates",
        task="activities.tasks.certificates_issue_task",
        title="Сертификаты сезона",
        started_by=operator,
        params={"season": 7},
        status="running",
        total=40,
        done=12,
    )
    note = old.get_model("participants", "Notification").objects.create(
        user=operator,
        kind="job",
        title="Готово",
        body="Сертификаты выданы",
        dedupe_key="job:1",
        email_template="notification",
        email_status="pending",
    )
    outbox = old.get_model("participants", "TaskOutbox").objects.create(
        task="participants.tasks.import_job_task", kwargs={"job_id": 5}, attempts=2, last_error="broker down"
    )
    entry = LogEntry.objects.create(
        user=operator,
        content_type=content_types["backgroundjob"],
        object_id=str(job.pk),
        object_repr=job.title,
        action_flag=2,
        change_message="[]",
    )

    _migrate(_leaves())

    # Every row, under core, with its links.
    assert JobRun.objects.get(pk=run.pk).summary == {"late": 3}
    moved_job = BackgroundJob.objects.get(pk=job.pk)
    assert (moved_job.started_by.email, moved_job.done, moved_job.params) == ("operator@example.org", 12, {"season": 7})
    moved_note = Notification.objects.get(pk=note.pk)
    assert (moved_note.user_id, moved_note.dedupe_key, moved_note.email_status) == (operator.pk, "job:1", "pending")
    assert TaskOutbox.objects.get(pk=outbox.pk).kwargs == {"job_id": 5}
    assert moved_note.user.notifications.get() == moved_note

    # The same content type rows, relabelled; none left under participants, none doubled under core.
    for model, content_type in content_types.items():
        assert ContentType.objects.get(pk=content_type.pk).app_label == "core", model
    assert not ContentType.objects.filter(app_label="participants", model__in=MOVED).exists()
    assert ContentType.objects.filter(app_label="core", model__in=MOVED).count() == len(MOVED)
    assert ContentType.objects.get_for_model(JobRun).pk == content_types["jobrun"].pk

    # Permissions given before the move still work, by their new names.
    user = get_user_model().objects.get(pk=operator.pk)
    user.groups.add(coordinators.pk)
    user = get_user_model().objects.get(pk=operator.pk)  # a fresh permission cache
    assert user.has_perm("core.run_jobs") and user.has_perm("core.view_jobrun")
    assert not user.has_perm("participants.run_jobs")
    assert CurrentLogEntry.objects.get(pk=entry.pk).get_edited_object() == moved_job


@pytest.mark.django_db(transaction=True)
def test_back_to_participants_and_forward_again(before_the_move):
    """The way back relabels too, and a content type created under core in between is merged, not doubled."""
    old = before_the_move
    OldContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    kept, _ = OldContentType.objects.get_or_create(app_label="participants", model="jobrun")
    Permission.objects.filter(content_type=kept).exclude(codename="run_jobs").delete()
    Permission.objects.get_or_create(content_type=kept, codename="run_jobs", defaults={"name": "run"})
    # A migrate stopped half-way would have let Django create the core one already (with its own permission).
    extra = OldContentType.objects.create(app_label="core", model="jobrun")
    Permission.objects.create(content_type=extra, codename="run_jobs", name="run")
    Permission.objects.create(content_type=extra, codename="view_jobrun", name="view")

    _migrate(_leaves())

    assert list(ContentType.objects.filter(model="jobrun").values_list("pk", "app_label")) == [(kept.pk, "core")]
    assert sorted(Permission.objects.filter(content_type_id=kept.pk).values_list("codename", flat=True)) == [
        "run_jobs",
        "view_jobrun",
    ]

    _migrate(BEFORE)
    assert OldContentType.objects.get(pk=kept.pk).app_label == "participants"
