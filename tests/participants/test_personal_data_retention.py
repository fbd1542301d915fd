"""The retention job (participants.retention): who is anonymised once PERSONAL_DATA_RETENTION_DAYS have passed since their
last enrollment was rejected, withdrawn or excluded; who is kept (a live or completed enrollment, an expert role,
a staff account, an issued certificate, no enrollment at all); the record of each destruction; a second run;
the selection's constant query count; the dry run."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activities.models import Certificate
from core.models import JobRun
from participants.models import Consent, Enrollment, Person, PersonalDataRequest, User
from participants.retention import personal_data_retention_run, retention_due_people
from participants.roles import COORDINATORS
from participants.tasks import personal_data_retention_job
from tests.factories import ActivityFactory, EnrollmentFactory, ExpertAssignmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

DAYS = 365


@pytest.fixture(autouse=True)
def retention(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = DAYS


@pytest.fixture
def now():
    return timezone.now()


def ended(person, status: str, *, at):
    enrollment = EnrollmentFactory(person=person, status=status)
    Enrollment.objects.filter(pk=enrollment.pk).update(status_changed_at=at)
    return enrollment


def applicant(last_name: str, *statuses_and_times) -> Person:
    person = PersonFactory(last_name=last_name, phone="+7 900 000-00-00")
    Consent.objects.create(person=person, kind="pd_processing", text_version="2026-11-22", text_sha256="a" * 64)
    for status, at in statuses_and_times:
        ended(person, status, at=at)
    return person


@pytest.fixture
def world(now):
    old = now - timedelta(days=DAYS)
    return {
        "at_the_boundary": applicant("Граница", ("rejected", old)),
        "an_hour_short": applicant("Час", ("rejected", old + timedelta(hours=1))),
        "withdrawn_and_excluded": applicant(
            "Смешанная", ("withdrawn", old - timedelta(days=400)), ("excluded", old - timedelta(days=1))
        ),
        "one_recent_of_two": applicant("Недавняя", ("excluded", old - timedelta(days=30)), ("rejected", now)),
        "still_active": applicant("Активная", ("excluded", old - timedelta(days=30)), ("active", old)),
        "applied": applicant("Заявка", ("applied", old - timedelta(days=30))),
        "completed": applicant("Выпускница", ("withdrawn", old - timedelta(days=30)), ("completed", old)),
        "expert": applicant("Эксперт", ("excluded", old - timedelta(days=30))),
        "certificate": applicant("Сертификат", ("excluded", old - timedelta(days=30))),
        "coordinator": applicant("Координатор", ("rejected", old - timedelta(days=30))),
        "no_enrollment": applicant("Безучастия"),
    }


def _extras(world):
    ExpertAssignmentFactory(person=world["expert"])
    enrollment = world["certificate"].enrollments.get()
    Certificate.objects.create(
        number="ПП-2024-000001",
        code="retention-code",
        enrollment=enrollment,
        activity=ActivityFactory(season=enrollment.season),
        title="Мастер-класс",
        hours=2,
    )
    User.objects.filter(pk=world["coordinator"].user_id).update(role=User.Role.COORDINATOR, is_staff=True)


DUE = {"at_the_boundary", "withdrawn_and_excluded"}


def test_who_is_due(world, now):
    _extras(world)
    due = set(retention_due_people(now=now).values_list("pk", flat=True))
    assert due == {world[key].pk for key in DUE}


def test_the_job_anonymises_the_due_and_records_each_destruction(world, now, django_capture_on_commit_callbacks):
    _extras(world)
    with django_capture_on_commit_callbacks(execute=True):
        run = personal_data_retention_job(trigger=JobRun.Trigger.COMMAND, now=now)
    assert run.summary["retention_expired"] == 2

    for key, person in world.items():
        person.refresh_from_db()
        assert person.is_anonymised is (key in DUE), key
    for key in DUE:
        person = world[key]
        assert (person.last_name, person.first_name, person.phone, person.birth_date) == (
            "Удалённый участник",
            f"№{person.pk}",
            "",
            None,
        )
        user = User.objects.get(pk=person.user_id)
        assert not user.is_active and user.email.endswith("@erased.invalid")
        assert not Consent.objects.filter(person=person, withdrawn_at__isnull=True).exists()
        # The enrollments and their statuses stay for the KPIs.
        assert Enrollment.objects.filter(person=person).count() == (2 if key == "withdrawn_and_excluded" else 1)

    records = PersonalDataRequest.objects.filter(kind="erasure").order_by("person_ref")
    assert [(r.person_ref, r.basis, r.status, r.processed_by_id) for r in records] == sorted(
        (str(world[key].pk), "retention_expired", "done", None) for key in DUE
    )
    assert all(r.reason.startswith("Истёк срок хранения: 365 дн.") and r.completed_at for r in records)
    assert all("ФИО, пол, дата рождения" in r.result for r in records)
    log = JobRun.objects.get(job="personal_data_retention")
    assert log.status == JobRun.Status.SUCCESS and "по истечении срока хранения: 2" in log.message


def test_a_second_run_changes_nothing(world, now):
    _extras(world)
    personal_data_retention_run(now=now)
    before = list(PersonalDataRequest.objects.values_list("pk", "status", "result"))
    outcome = personal_data_retention_run(now=now + timedelta(minutes=30))
    assert (outcome.expired, outcome.withdrawn) == ([], [])
    assert list(PersonalDataRequest.objects.values_list("pk", "status", "result")) == before


def test_an_hour_short_is_taken_the_next_night(world, now):
    _extras(world)
    personal_data_retention_run(now=now)
    person = world["an_hour_short"]
    assert not Person.objects.get(pk=person.pk).is_anonymised
    outcome = personal_data_retention_run(now=now + timedelta(days=1))
    assert len(outcome.expired) == 1 and Person.objects.get(pk=person.pk).is_anonymised


def test_the_retention_period_is_a_setting(world, now, settings):
    _extras(world)
    settings.PERSONAL_DATA_RETENTION_DAYS = DAYS + 1
    assert set(retention_due_people(now=now).values_list("pk", flat=True)) == {world["withdrawn_and_excluded"].pk}
    assert list(retention_due_people(now=now, days=10_000)) == []


def test_a_new_application_before_the_run_keeps_the_data(world, now):
    _extras(world)
    person = world["at_the_boundary"]
    EnrollmentFactory(person=person, status="applied")
    personal_data_retention_run(now=now)
    assert not Person.objects.get(pk=person.pk).is_anonymised


@pytest.mark.parametrize("n", [1, 3])
def test_selection_runs_one_query(now, n, django_assert_num_queries):
    old = now - timedelta(days=DAYS + 1)
    for i in range(n):
        applicant(f"Отклонённая{i}", ("rejected", old), ("withdrawn", old))
        applicant(f"Эксперт{i}", ("excluded", old))
        ExpertAssignmentFactory(person=Person.objects.get(last_name=f"Эксперт{i}"))
    with django_assert_num_queries(1):
        due = list(retention_due_people(now=now))
    assert len(due) == n


def test_dry_run_command_counts_and_changes_nothing(world, now, capsys):
    _extras(world)
    call_command("personal_data_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "retention_expired=2" in out and "withdrawn_consent=0" in out
    assert not Person.objects.filter(is_anonymised=True).exists()
    assert not JobRun.objects.exists()
    call_command("personal_data_retention")
    assert Person.objects.filter(is_anonymised=True).count() == 2
    assert JobRun.objects.get(job="personal_data_retention").trigger == JobRun.Trigger.COMMAND


def test_coordinator_sees_the_dry_run_and_the_records_of_their_municipality_only(client, world, now):
    _extras(world)
    municipality = world["at_the_boundary"].organisation.municipality
    coordinator = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(coordinator)
    url = reverse("admin:participants_personaldatarequest_changelist")
    html = client.get(url).content.decode()
    # PersonFactory gives each person their own municipality: one of the two due people is this coordinator's.
    assert "истёк у 1 человека" in html

    personal_data_retention_run(now=now)
    response = client.get(url)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [r.person_ref for r in rows] == [str(world["at_the_boundary"].pk)]
    assert "истёк у 0 человек" in response.content.decode()
    assert "Истёк срок хранения" in response.content.decode()
