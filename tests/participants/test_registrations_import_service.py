"""registrations_import: all or nothing, consents dated by the form, invitations after the commit."""

from datetime import date, datetime

import pytest
from django.core import mail

from participants.models import Consent, Enrollment, Person, User
from participants.services import ImportRejected, ImportRow, registrations_import
from tests.factories import OrganisationFactory, PersonFactory, SeasonFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Enrollment.Status
AT = datetime.fromisoformat("2024-09-12T09:35:12+00:00")


def _row(n, email, organisation, **kw):
    return ImportRow(
        row_number=n,
        email=email,
        last_name=f"Фамилия{n}",
        first_name="Имя",
        middle_name="",
        organisation=organisation,
        consent_at=AT,
        birth_date=date(1980, 1, n),
        **kw,
    )


def test_import_creates_accounts_people_consents_enrollments_and_invites(django_capture_on_commit_callbacks):
    season = SeasonFactory(requires_approval=False)
    school = OrganisationFactory(municipality=season.program.municipality)
    maths = SubjectFactory(name="Математика")
    coordinator = UserFactory()
    rows = [
        _row(2, "a@school.ru", school, subjects=[maths, maths], consent_rating=True),
        _row(3, "b@school.ru", school),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        enrollments = registrations_import(season=season, rows=rows, actor=coordinator, site_url="https://p.example")
    assert [e.status for e in enrollments] == [S.ACTIVE, S.ACTIVE]
    a = Person.objects.get(email="a@school.ru")
    assert not a.user.has_usable_password() and a.user.email_confirmed_at is None
    assert list(a.subjects.all()) == [maths]
    assert {c.kind: c.given_at for c in Consent.objects.filter(person=a)} == {
        "pd_processing": AT,
        "rating_publication": AT,
    }
    assert Enrollment.objects.get(person=a).applied_at == AT
    assert sorted(m.to[0] for m in mail.outbox) == ["a@school.ru", "b@school.ru"]
    assert all("https://p.example/accounts/reset/" in m.body for m in mail.outbox)


def test_a_clash_with_the_database_saves_nothing():
    season = SeasonFactory()
    school = OrganisationFactory(municipality=season.program.municipality)
    PersonFactory(user__email="b@school.ru")
    before = (User.objects.count(), Person.objects.count(), Enrollment.objects.count())
    with pytest.raises(ImportRejected) as exc:
        registrations_import(
            season=season, rows=[_row(2, "a@school.ru", school), _row(3, "b@school.ru", school)], actor=None
        )
    assert [(p.row_number, p.column) for p in exc.value.problems] == [(3, "email")]
    assert (User.objects.count(), Person.objects.count(), Enrollment.objects.count()) == before


def test_an_empty_import_is_refused():
    with pytest.raises(ImportRejected, match="1 problem"):
        registrations_import(season=SeasonFactory(), rows=[], actor=None)
