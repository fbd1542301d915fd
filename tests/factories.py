"""factory_boy factories shared by the whole suite."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from activities.models import Activity, ActivityKind, Attendance, Session, Submission, VideoAssignment
from experts.models import ExpertAssignment, ExpertRole
from participants.models import Enrollment, Person, SchoolApplication, StaffRosterEntry, User
from programs.models import Municipality, Organisation, OrganisationYearFacts, Program, RoadmapModule, Season, Subject
from ratings.models import Review, Rubric, RubricCriterion

PASSWORD = "Test-Password-123"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Муниципальный район {n}")
    region = "Ханты-Мансийский автономный округ — Югра"
    time_zone = "Asia/Yekaterinburg"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    short_name = factory.Sequence(lambda n: f"МБОУ СОШ № {n + 1}")
    name = factory.LazyAttribute(lambda o: f"Муниципальное бюджетное общеобразовательное учреждение {o.short_name}")
    kind = Organisation.Kind.SCHOOL

    @factory.post_generation
    def low_results(obj, create, extracted, **kwargs):
        """OrganisationFactory(low_results=True): a school with low results (ШНОР), recorded the only way the
        portal knows — its «Сведения организации за год» of this year say so (programs.models.low_results_exists)."""
        if create and extracted:
            OrganisationYearFacts.objects.create(organisation=obj, year=timezone.localdate().year, low_results=True)


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Предмет {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    slug = factory.Sequence(lambda n: f"program-{n}")
    title = factory.Sequence(lambda n: f"Программа {n}")
    code = factory.Sequence(lambda n: f"P{n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    organiser = factory.SubFactory(OrganisationFactory, municipality=factory.SelfAttribute("..municipality"))


class SeasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Season

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"{2024 + n}–{2025 + n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=240))
    time_zone = "Asia/Yekaterinburg"
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


class RoadmapModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapModule

    season = factory.SubFactory(SeasonFactory)
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: str(o.order))
    title = factory.Sequence(lambda n: f"Модуль {n}")
    starts_on = date(2024, 9, 1)
    ends_on = date(2024, 9, 30)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.ru")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    last_name = factory.Sequence(lambda n: f"Иванова{n}")
    first_name = "Мария"
    middle_name = "Петровна"
    birth_date = date(1985, 5, 17)
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "")
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Учитель"
    education_level = "higher"


class StaffRosterEntryFactory(factory.django.DjangoModelFactory):
    """A worker of an organisation's staff roster for one KPI year (a teacher unless told otherwise)."""

    class Meta:
        model = StaffRosterEntry

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025
    last_name = factory.Sequence(lambda n: f"Работникова{n}")
    first_name = "Анна"
    middle_name = "Сергеевна"
    birth_date = date(1980, 3, 3)
    position = "Учитель"
    staff_kind = StaffRosterEntry.StaffKind.PEDAGOGICAL
    is_teacher = factory.LazyAttribute(
        lambda o: o.staff_kind == StaffRosterEntry.StaffKind.PEDAGOGICAL and o.position.lower().startswith("учител")
    )
    education_level = "higher"
    experience_years = 10


def roster_of(person: Person, year: int, **fields) -> StaffRosterEntry:
    """The person's row in their organisation's roster of `year`, from their profile: a manager (is_manager) is a
    management worker «Директор», anyone else a pedagogical worker in their position."""
    kind = StaffRosterEntry.StaffKind
    values = {
        "organisation": person.organisation,
        "year": year,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "birth_date": person.birth_date,
        "position": "Директор" if person.is_manager else (person.position or "Учитель"),
        "staff_kind": kind.MANAGEMENT if person.is_manager else kind.PEDAGOGICAL,
        "education_level": person.education_level,
        "experience_years": person.experience_years,
        "person": person,
        **fields,
    }
    return StaffRosterEntryFactory(**values)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    person = factory.SubFactory(PersonFactory)
    season = factory.SubFactory(SeasonFactory)
    status = Enrollment.Status.ACTIVE


class ExpertAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertAssignment

    season = factory.SubFactory(SeasonFactory)
    person = factory.SubFactory(PersonFactory)
    role = ExpertRole.CURATOR


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    season = factory.SubFactory(SeasonFactory)
    module = None
    title = factory.Sequence(lambda n: f"Мероприятие {n}")
    kind = ActivityKind.WEBINAR


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    enrollment = factory.SubFactory(EnrollmentFactory)
    status = Attendance.Status.PRESENT


class VideoAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VideoAssignment

    activity = factory.SubFactory(ActivityFactory, kind=ActivityKind.VIDEO_LESSON)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    cutoff_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=17))


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    assignment = factory.SubFactory(VideoAssignmentFactory)
    enrollment = factory.SubFactory(EnrollmentFactory)
    video_url = "https://rutube.ru/video/0123456789abcdef0123456789abcdef/"
    topic = "Дроби на практике"


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric

    program = factory.SubFactory(ProgramFactory)
    title = "Оценка видеоурока"


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    rubric = factory.SubFactory(RubricFactory)
    title = factory.Sequence(lambda n: f"Критерий {n}")
    max_points = 3


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    submission = factory.SubFactory(SubmissionFactory)
    expert = factory.SubFactory(ExpertAssignmentFactory, role=ExpertRole.METHODIST)
    rubric = factory.SubFactory(RubricFactory)


class AdmittedEnrollmentFactory(EnrollmentFactory):
    """An enrollment in a season of the «Методический абонемент» whose school's application is approved: teachers
    join only from such schools (seed 004, Положение, раздел III, п. 2)."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def school_application(obj, create, extracted, **kwargs):
        if not create or obj.person.organisation_id is None:
            return
        SchoolApplication.objects.get_or_create(
            season=obj.season,
            organisation_id=obj.person.organisation_id,
            status=SchoolApplication.Status.APPROVED,
            defaults={"applicant": obj.person, "grounds": [SchoolApplication.Ground.OWN_REQUEST]},
        )
