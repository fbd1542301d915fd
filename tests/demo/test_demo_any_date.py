"""The demo works on any date and for every program: built on any day, it has a season of every program open for
registration that day. The demo built today (its accounts, the certificates owed) is checked with the district seed
of test_seed_demo: one seed, not one more per check."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command, get_commands

from demo.generator import seed_demo
from participants.models import Enrollment, SchoolApplication
from participants.services import RegistrationData, registration_submit
from programs.models import EducationLevel, Organisation, Program, Season
from programs.selectors import home_listing

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("load_programs" not in get_commands(), reason="the three programs come from load_programs"),
]
MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _load_programs():
    call_command("load_programs", verbosity=0, stdout=StringIO())
    return {s.pk: (s.registration_opens_at, s.registration_closes_at) for s in Season.objects.all()}


def _registration(season: Season, n: int) -> RegistrationData:
    organisations = Organisation.objects.filter(municipality_id=season.program.municipality_id, kind="school")
    if season.program.kind == Program.Kind.SUBSCRIPTION:
        # The subscription takes the teachers of approved schools only (seed 004, §III.2).
        organisations = organisations.filter(
            subscription_applications__season=season,
            subscription_applications__status=SchoolApplication.Status.APPROVED,
        )
    return RegistrationData(
        email=f"novichok{n}@example.org",
        password="Novichok-Demo-2026",
        last_name="Новикова",
        first_name="Алёна",
        middle_name=f"Тестовна{'а' * n}",
        birth_date=date(1990, 3, n + 1),
        phone="+7 900 000-00-00",
        organisation=organisations.order_by("pk").first(),
        position="Учитель математики",
        education_level=EducationLevel.HIGHER,
        consent_personal_data=True,
    )


@pytest.mark.parametrize(
    "now",
    [
        datetime(2027, 6, 15, 11, 0, tzinfo=MSK),
        datetime(2026, 12, 7, 11, 0, tzinfo=MSK),
        datetime(2027, 8, 31, 11, 0, tzinfo=MSK),
    ],
    ids=["15-june", "7-december", "31-august"],
)
def test_every_program_takes_registrations_on_the_day_the_demo_is_built(now):
    historical = _load_programs()
    seed_demo(scale="district", now=now, log=lambda _line: None)

    listing = home_listing(now=now)
    open_programs = {card.program.pk: card.season for card in listing.open_for_registration}
    assert set(open_programs) == set(Program.objects.filter(is_published=True).values_list("pk", flat=True))
    for n, season in enumerate(open_programs.values()):
        assert season.registration_is_open(now)
        # Applications wait for the coordinator in every open season.
        assert season.enrollments.filter(status=Enrollment.Status.APPLIED).exists(), season
        enrollment = registration_submit(season=season, data=_registration(season, n), now=now)
        assert enrollment is not None and enrollment.season_id == season.pk
    # The seasons load_programs wrote keep the dates of their orders.
    for pk, window in historical.items():
        season = Season.objects.get(pk=pk)
        assert (season.registration_opens_at, season.registration_closes_at) == window
