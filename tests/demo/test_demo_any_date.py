"""The demo works on any date and for every program: a season open for registration today, every demo account with
something to act on, and the certificates owed already issued by seed_demo."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.urls import reverse
from django.utils import timezone

from activities.certificates import certificates_owed
from activities.models import Certificate
from core.models import Notification
from demo.generator import seed_demo
from experts.models import ExpertRole, MentoringPair
from participants.models import Enrollment, Person, SchoolApplication, User
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


def test_a_fresh_demo_today_registration_accounts_and_certificates(client, settings):
    """One demo built today (a seed costs a minute): the public page, every program's accounts, the certificates."""
    _load_programs()
    seed_demo(scale="district", log=lambda _line: None)
    _a_newcomer_registers_on_the_public_page(client)
    client.logout()
    settings.DEMO_MODE = True  # the login page lists the accounts in demo mode only
    _every_program_has_its_own_demo_accounts_with_work_to_do(client)
    _the_certificates_owed_are_issued_with_their_pdfs_and_no_letters()


def _a_newcomer_registers_on_the_public_page(client):
    program = Program.objects.get(slug="progressive-teacher")
    page = client.get(reverse("program_detail", kwargs={"slug": program.slug}))
    assert page.status_code == 200
    season = next(s for s in program.seasons.all() if s.registration_is_open(timezone.now()))
    url = reverse("season_register", kwargs={"slug": program.slug, "season_id": season.pk})
    assert url in page.content.decode()
    data = _registration(season, 0)
    response = client.post(
        url,
        {
            "email": data.email,
            "password1": data.password,
            "password2": data.password,
            "last_name": data.last_name,
            "first_name": data.first_name,
            "middle_name": data.middle_name,
            "birth_date": data.birth_date.isoformat(),
            "phone": data.phone,
            "organisation": data.organisation.pk,
            "position": data.position,
            "education_level": data.education_level,
            "category": Person.Category.NONE,
            "consent_personal_data": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert Enrollment.objects.filter(person__email=data.email, season=season, status="applied").exists()


def _sign_in(client, email):
    response = client.post(reverse("login"), {"username": email, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302, email


def _every_program_has_its_own_demo_accounts_with_work_to_do(client):
    listed = {email for _title, accounts in settings.DEMO_PROGRAM_ACCOUNTS for email, _role in accounts}
    assert listed <= {email for email, _role in settings.DEMO_ACCOUNTS}
    for email in listed:
        _sign_in(client, email)
        client.logout()

    for place, program_kind in (("armavir", Program.Kind.SUBSCRIPTION), ("verkhnebureinsky", None)):
        coordinator = User.objects.get(email=f"coordinator.{place}@demo.ru")
        assert coordinator.is_staff and coordinator.municipality is not None
        programs = Program.objects.filter(municipality=coordinator.municipality)
        assert programs.exists()
        director = Person.objects.get(email=f"director.{place}@demo.ru")
        assert director.user.role == User.Role.DIRECTOR and director.is_manager
        assert director.organisation.municipality_id == coordinator.municipality_id
        teacher = Person.objects.get(email=f"teacher.{place}@demo.ru")
        assert teacher.enrollments.filter(status="active", season__program__in=programs).exists()
        expert = Person.objects.get(email=f"expert.{place}@demo.ru")
        assert expert.expert_assignments.filter(
            season__program__in=programs, role__in=[ExpertRole.METHODIST, ExpertRole.CURATOR]
        ).exists()
        # Applications to approve in the coordinator's own programs.
        assert Enrollment.objects.filter(season__program__in=programs, status="applied").exists()
        if program_kind == Program.Kind.SUBSCRIPTION:
            # The director's school has asked to join the open season, and the coordinator sees it in the admin.
            application = SchoolApplication.objects.get(organisation=director.organisation, status="applied")
            _sign_in(client, f"director.{place}@demo.ru")
            cabinet = client.get(reverse("cabinet")).content.decode()
            assert application.season.title in cabinet and "Заявку рассматривает координатор." in cabinet
            client.logout()
            _sign_in(client, coordinator.email)
            changelist = client.get("/admin/participants/schoolapplication/?status__exact=applied")
            assert changelist.status_code == 200
            assert director.organisation.short_name in changelist.content.decode()
            client.logout()
        else:
            assert MentoringPair.objects.filter(season__program__in=programs).exists()
            _sign_in(client, coordinator.email)
            changelist = client.get("/admin/experts/mentoringpair/")
            assert changelist.status_code == 200
            pair = MentoringPair.objects.filter(season__program__in=programs).select_related("mentor__person").first()
            assert pair.mentor.person.last_name in changelist.content.decode()
            client.logout()

    # The login page lists each program with its coordinator, director, expert and teacher.
    html = client.get(reverse("login")).content.decode()
    for title, accounts in settings.DEMO_PROGRAM_ACCOUNTS:
        assert str(title).replace("«", "&laquo;") in html or str(title) in html
        for email, _role in accounts:
            assert email in html


def _the_certificates_owed_are_issued_with_their_pdfs_and_no_letters():
    certificates = Certificate.objects.all()
    assert certificates.count() > 50
    assert not certificates.filter(pdf="").exists()
    sample = certificates.order_by("pk").first()
    with sample.pdf.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    assert certificates.exclude(enrollment__person__user__email__endswith="@demo.ru").exists()
    # The first hourly job has nothing left to do, and no letter goes to the made-up addresses.
    assert certificates_owed(now=timezone.now()) == []
    assert not Notification.objects.filter(email_status=Notification.EmailStatus.PENDING).exists()
    assert Notification.objects.filter(kind=Notification.Kind.CERTIFICATE).exists()
