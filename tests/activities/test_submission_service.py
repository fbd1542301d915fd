"""submission_submit and extension_grant: the window, lateness, cut-off, extensions, replacements and versions."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from activities.models import Submission, SubmissionExtension
from activities.services import extension_grant, submission_submit
from participants.models import Enrollment, User
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    ProgramFactory,
    ReviewFactory,
    RoadmapModuleFactory,
    SeasonFactory,
    SubjectFactory,
    UserFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db

RUTUBE = "https://rutube.ru/video/0123456789abcdef0123456789abcdef/"
YOUTUBE = "https://youtu.be/dQw4w9WgXcQ"
MP4 = (24).to_bytes(4, "big") + b"ftypisom\x00\x00\x02\x00isomiso2" + (8).to_bytes(4, "big") + b"free" + bytes(64)


@pytest.fixture
def enrollment():
    return EnrollmentFactory()


def make_assignment(enrollment, *, opens=-10, due=10, cutoff=17, module=None):
    now = timezone.now()
    return VideoAssignmentFactory(
        activity=ActivityFactory(season=enrollment.season, module=module, kind="video_lesson"),
        opens_at=now + timedelta(days=opens),
        due_at=now + timedelta(days=due),
        cutoff_at=now + timedelta(days=cutoff),
    )


def submit(enrollment, assignment, **overrides):
    data = {
        "enrollment": enrollment,
        "assignment": assignment,
        "link": RUTUBE,
        "topic": "Дроби на практике",
        "grade": "6 «Б»",
        "subject": None,
        "learning_format": "",
        "reflection": "Цель урока достигнута.",
        "by": enrollment.person.user,
    }
    data.update(overrides)
    return submission_submit(**data)


def messages(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def test_a_link_inside_the_window_is_accepted_and_normalised(enrollment):
    assignment = make_assignment(enrollment)
    subject = SubjectFactory(name="Математика")
    submission = submit(
        enrollment, assignment, link="rutube.ru/video/0123456789ABCDEF0123456789ABCDEF", subject=subject
    )
    submission.refresh_from_db()
    assert submission.video_url == RUTUBE
    assert (submission.version, submission.is_current, submission.is_late) == (1, True, False)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.subject == subject
    assert submission.grade == "6 «Б»"


def test_refused_before_the_window_opens_with_the_date_in_the_season_zone(enrollment):
    assignment = make_assignment(enrollment, opens=2, due=10, cutoff=17)
    local = timezone.localtime(assignment.opens_at, enrollment.season.tz)
    with pytest.raises(ValidationError) as exc_info:
        submit(enrollment, assignment)
    text = messages(exc_info)
    assert "Приём работ ещё не открыт" in text
    assert (
        local.strftime("%H:%M") in text and "(время Екатеринбурга, МСК+2)" in text
    )  # Asia/Yekaterinburg in the factory
    assert not Submission.objects.exists()


def test_after_the_due_date_it_is_marked_late(enrollment):
    assignment = make_assignment(enrollment, opens=-10, due=-1, cutoff=5)
    assert submit(enrollment, assignment).is_late is True


def test_refused_after_the_cutoff(enrollment):
    assignment = make_assignment(enrollment, opens=-20, due=-10, cutoff=-1)
    with pytest.raises(ValidationError) as exc_info:
        submit(enrollment, assignment)
    assert "Приём работ закрыт: окончательный срок был" in messages(exc_info)
    assert "продлением" in messages(exc_info)


def test_a_personal_extension_reopens_the_window_and_the_work_is_late(enrollment):
    assignment = make_assignment(enrollment, opens=-20, due=-10, cutoff=-1)
    SubmissionExtension.objects.create(
        assignment=assignment, enrollment=enrollment, until=timezone.now() + timedelta(days=2), reason="Болезнь"
    )
    submission = submit(enrollment, assignment)
    assert submission.is_late is True


def test_an_expired_extension_is_named_in_the_refusal(enrollment):
    assignment = make_assignment(enrollment, opens=-20, due=-10, cutoff=-5)
    SubmissionExtension.objects.create(
        assignment=assignment, enrollment=enrollment, until=timezone.now() - timedelta(days=1), reason="Болезнь"
    )
    with pytest.raises(ValidationError) as exc_info:
        submit(enrollment, assignment)
    assert "ваше продление действовало до" in messages(exc_info)


def test_another_teachers_extension_does_not_help(enrollment):
    assignment = make_assignment(enrollment, opens=-20, due=-10, cutoff=-1)
    other = EnrollmentFactory(season=enrollment.season)
    SubmissionExtension.objects.create(
        assignment=assignment, enrollment=other, until=timezone.now() + timedelta(days=2), reason="Болезнь"
    )
    with pytest.raises(ValidationError):
        submit(enrollment, assignment)


def test_replacement_makes_a_new_version_and_keeps_the_old_one(enrollment):
    assignment = make_assignment(enrollment)
    first = submit(enrollment, assignment)
    second = submit(enrollment, assignment, link=YOUTUBE, topic="Дроби, вторая попытка")
    first.refresh_from_db()
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current) == (2, True)
    assert second.video_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert Submission.objects.filter(assignment=assignment, enrollment=enrollment).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_parallel_submits_line_up_and_leave_one_current_version():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this checks; SQLite serialises whole transactions")
    enrollment = EnrollmentFactory()
    assignment = make_assignment(enrollment)
    outcomes, started = [], threading.Barrier(3)

    def run(n):
        try:
            started.wait()
            outcomes.append(submit(enrollment, assignment, topic=f"Параллельная отправка {n}"))
        except Exception as exc:  # noqa: BLE001 - recorded and asserted below
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    # Both submits start together; a lone first submit has no row to lock but the enrollment's.
    started.wait()
    for thread in threads:
        thread.join()
    assert all(isinstance(o, Submission) for o in outcomes), outcomes
    rows = Submission.objects.filter(assignment=assignment, enrollment=enrollment)
    assert sorted(rows.values_list("version", flat=True)) == [1, 2]
    assert rows.filter(is_current=True).count() == 1


def test_replacement_after_a_return_is_allowed(enrollment):
    assignment = make_assignment(enrollment)
    first = submit(enrollment, assignment)
    Submission.objects.filter(pk=first.pk).update(status=Submission.Status.RETURNED)
    assert submit(enrollment, assignment).version == 2


@pytest.mark.parametrize("status", [Submission.Status.IN_REVIEW, Submission.Status.REVIEWED])
def test_replacement_refused_once_a_review_started(enrollment, status):
    assignment = make_assignment(enrollment)
    first = submit(enrollment, assignment)
    Submission.objects.filter(pk=first.pk).update(status=status)
    with pytest.raises(ValidationError) as exc_info:
        submit(enrollment, assignment)
    assert "уже проверяют эксперты" in messages(exc_info)
    assert Submission.objects.filter(assignment=assignment, enrollment=enrollment).count() == 1


def test_replacement_refused_when_an_expert_opened_a_review_of_a_submitted_version(enrollment):
    assignment = make_assignment(enrollment)
    first = submit(enrollment, assignment)
    ReviewFactory(submission=first, expert__season=enrollment.season, rubric__program=enrollment.season.program)
    with pytest.raises(ValidationError):
        submit(enrollment, assignment)


def test_a_file_is_stored_under_our_own_name(enrollment):
    assignment = make_assignment(enrollment)
    upload = SimpleUploadedFile("../../урок.exe.mp4", MP4, content_type="application/x-msdownload")
    submission = submit(enrollment, assignment, link=None, file=upload)
    assert submission.video_url == ""
    assert submission.video_file.name.startswith("submissions/")
    assert submission.video_file.name.endswith(".mp4") and "урок" not in submission.video_file.name
    assert submission.video_file.storage.exists(submission.video_file.name)


def test_a_renamed_executable_is_refused_at_the_file_field(enrollment):
    assignment = make_assignment(enrollment)
    upload = SimpleUploadedFile("lesson.mp4", b"MZ\x90\x00" + bytes(200), content_type="video/mp4")
    with pytest.raises(ValidationError) as exc_info:
        submit(enrollment, assignment, link=None, file=upload)
    assert "video_file" in exc_info.value.error_dict
    assert not Submission.objects.exists()


def test_link_and_file_together_or_neither_are_refused(enrollment):
    assignment = make_assignment(enrollment)
    with pytest.raises(ValidationError) as exc_info:
        submit(enrollment, assignment, file=SimpleUploadedFile("a.mp4", MP4))
    assert "что-то одно" in messages(exc_info)
    with pytest.raises(ValidationError) as exc_info:
        submit(enrollment, assignment, link="")
    assert "Вставьте ссылку на видео или выберите видеофайл." in messages(exc_info)


def test_the_learning_format_must_come_from_the_roadmap(enrollment):
    module = RoadmapModuleFactory(
        season=enrollment.season, learning_formats=["Мультимодальное обучение", "Обучение через вызов"]
    )
    assignment = make_assignment(enrollment, module=module)
    with pytest.raises(ValidationError) as exc_info:
        submit(enrollment, assignment, learning_format="Что-то своё")
    assert "learning_format" in exc_info.value.error_dict
    assert "Мультимодальное обучение" in messages(exc_info)
    assert submit(enrollment, assignment, learning_format="Обучение через вызов").learning_format == (
        "Обучение через вызов"
    )


def test_any_format_when_the_module_has_no_list(enrollment):
    assignment = make_assignment(enrollment, module=RoadmapModuleFactory(season=enrollment.season))
    assert submit(enrollment, assignment, learning_format="Свой формат").learning_format == "Свой формат"


@pytest.mark.parametrize(
    "status, text",
    [
        (Enrollment.Status.APPLIED, "после того, как координатор утвердит"),
        (Enrollment.Status.WITHDRAWN, "Вышел добровольно"),
        (Enrollment.Status.EXCLUDED, "Исключён"),
    ],
)
def test_an_inactive_enrollment_cannot_submit(status, text):
    enrollment = EnrollmentFactory(status=status)
    assignment = make_assignment(enrollment)
    with pytest.raises(ValidationError) as exc_info:
        submit(enrollment, assignment)
    assert text in messages(exc_info)


def test_another_seasons_assignment_is_refused(enrollment):
    other = make_assignment(EnrollmentFactory())
    with pytest.raises(ValidationError) as exc_info:
        submit(enrollment, other)
    assert "другого сезона" in messages(exc_info)


def test_only_the_teacher_submits(enrollment):
    assignment = make_assignment(enrollment)
    with pytest.raises(PermissionDenied):
        submit(enrollment, assignment, by=UserFactory())


# --- extension_grant ------------------------------------------------------------------------------


def coordinator(municipality) -> User:
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)


def test_a_coordinator_grants_and_regrants_an_extension(enrollment):
    assignment = make_assignment(enrollment, opens=-20, due=-10, cutoff=-1)
    user = coordinator(enrollment.season.program.municipality)
    until = timezone.now() + timedelta(days=3)
    extension = extension_grant(assignment=assignment, enrollment=enrollment, until=until, reason="Больничный", by=user)
    assert (extension.until, extension.reason, extension.granted_by) == (until, "Больничный", user)
    later = until + timedelta(days=2)
    extension_grant(assignment=assignment, enrollment=enrollment, until=later, reason="Продлён больничный", by=user)
    assert SubmissionExtension.objects.get().until == later
    assert submit(enrollment, assignment).is_late is True


def test_extension_refusals(enrollment):
    assignment = make_assignment(enrollment)
    user = coordinator(enrollment.season.program.municipality)
    with pytest.raises(ValidationError) as exc_info:
        extension_grant(assignment=assignment, enrollment=enrollment, until=assignment.due_at, reason="", by=user)
    assert set(exc_info.value.error_dict) == {"until", "reason"}
    with pytest.raises(ValidationError) as exc_info:
        extension_grant(
            assignment=assignment,
            enrollment=EnrollmentFactory(),
            until=assignment.cutoff_at + timedelta(days=1),
            reason="Больничный",
            by=user,
        )
    assert set(exc_info.value.error_dict) == {"enrollment"}


def test_a_coordinator_of_another_municipality_cannot_grant(enrollment):
    assignment = make_assignment(enrollment)
    outsider = coordinator(MunicipalityFactory())
    with pytest.raises(ValidationError) as exc_info:
        extension_grant(
            assignment=assignment,
            enrollment=enrollment,
            until=assignment.cutoff_at + timedelta(days=1),
            reason="Больничный",
            by=outsider,
        )
    assert "координатор муниципалитета" in messages(exc_info)
    assert not SubmissionExtension.objects.exists()


def test_the_assignment_of_another_program_is_refused_for_extension():
    enrollment = EnrollmentFactory(season=SeasonFactory(program=ProgramFactory()))
    assignment = make_assignment(EnrollmentFactory())
    superuser = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(ValidationError):
        extension_grant(
            assignment=assignment,
            enrollment=enrollment,
            until=assignment.cutoff_at + timedelta(days=1),
            reason="Больничный",
            by=superuser,
        )
