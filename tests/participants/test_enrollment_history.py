"""The audit trail of enrollments: a status change, one at a time or in bulk, or an import, leaves a history row
naming who made it; the bulk paths write their history set-based."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.history import history_context
from participants.models import Enrollment
from participants.services import ImportRow, enrollment_exclude, enrollments_set_status, registrations_import
from tests.factories import EnrollmentFactory, OrganisationFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Enrollment.Status


def test_one_status_change_names_the_actor():
    enrollment = EnrollmentFactory(status=S.ACTIVE)
    actor = UserFactory()

    enrollment_exclude(enrollment=enrollment, actor=actor, reason="Не посещает занятия")

    latest = Enrollment.history.filter(id=enrollment.pk).latest()
    assert (latest.history_type, latest.status, latest.history_user) == ("~", S.EXCLUDED, actor)
    assert Enrollment.history.filter(id=enrollment.pk).earliest().history_type == "+"


def test_a_bulk_status_change_records_every_changed_row_in_the_same_number_of_queries():
    def run(count):
        season = SeasonFactory()
        enrollments = [EnrollmentFactory(season=season, status=S.APPLIED) for _n in range(count)]
        actor = UserFactory()
        with CaptureQueriesContext(connection) as ctx:
            changed, _skipped = enrollments_set_status(enrollments=enrollments, to_status=S.ACTIVE, actor=actor)
        assert changed == count
        rows = Enrollment.history.filter(season=season, history_type="~")
        assert {(h.status, h.history_user_id) for h in rows} == {(S.ACTIVE, actor.pk)}
        assert rows.count() == count
        return len(ctx.captured_queries)

    assert run(1) == run(4)


def test_a_job_without_a_person_leaves_its_reason():
    enrollment = EnrollmentFactory(status=S.APPLIED)

    with history_context(reason="задача: проверка сроков"):
        enrollments_set_status(enrollments=[enrollment], to_status=S.REJECTED, actor=None, reason="Нет мест")

    latest = Enrollment.history.filter(id=enrollment.pk).latest()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        S.REJECTED,
        None,
        "задача: проверка сроков",
    )


def test_an_import_records_the_new_enrollments_as_created_by_the_coordinator():
    season = SeasonFactory(requires_approval=False)
    school = OrganisationFactory(municipality=season.program.municipality)
    coordinator = UserFactory()
    rows = [
        ImportRow(
            row_number=n,
            email=f"teacher{n}@school.ru",
            last_name=f"Фамилия{n}",
            first_name="Имя",
            middle_name="",
            organisation=school,
            consent_at=datetime.fromisoformat("2024-09-12T09:35:12+00:00"),
            birth_date=date(1980, 1, n),
        )
        for n in (1, 2)
    ]

    enrollments = registrations_import(season=season, rows=rows, actor=coordinator)

    created = Enrollment.history.filter(id__in=[e.pk for e in enrollments])
    assert {(h.history_type, h.status, h.history_user_id) for h in created} == {("+", S.ACTIVE, coordinator.pk)}
    assert {h.history_change_reason for h in created} == {"Импорт из Google Формы"}


def test_an_admin_action_records_the_signed_in_coordinator(client):
    enrollment = EnrollmentFactory(status=S.APPLIED)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    client.post(
        reverse("admin:participants_enrollment_changelist"),
        {"action": "approve", "_selected_action": [enrollment.pk]},
    )

    latest = Enrollment.history.filter(id=enrollment.pk).latest()
    assert (latest.status, latest.history_user) == (S.ACTIVE, admin)
