"""The teacher's video-assignment page: who sees it, links of each host, files checked by content and by size."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import Submission
from participants.models import Enrollment
from tests.activities.video_samples import EXE, MP4, WEBM
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    RoadmapModuleFactory,
    SubjectFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = ["Мультимодальное обучение", "Обучение через вызов"]


@pytest.fixture
def enrollment():
    return EnrollmentFactory()


@pytest.fixture
def assignment(enrollment):
    module = RoadmapModuleFactory(season=enrollment.season, learning_formats=FORMATS)
    return VideoAssignmentFactory(
        activity=ActivityFactory(season=enrollment.season, module=module, kind="video_lesson", title="Видеоурок"),
        instructions="Запишите урок в выбранном формате обучения.",
    )


@pytest.fixture
def url(assignment):
    return reverse("video_assignment", args=[assignment.pk])


@pytest.fixture
def owner(client, enrollment):
    client.force_login(enrollment.person.user)
    return client


def form_data(**overrides):
    data = {
        "video_url": "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
        "topic": "Сложение дробей с разными знаменателями",
        "grade": "6 «Б»",
        "subject": "",
        "learning_format": FORMATS[1],
        "reflection": "Ученики работали в группах; не хватило времени на рефлексию.",
    }
    data.update(overrides)
    return data


def assert_fields_kept(html: str, data: dict):
    assert data["topic"] in html
    assert 'value="6 «Б»"' in html
    assert data["reflection"] in html
    assert re.search(r'<option value="Обучение через вызов" selected>', html)


def test_owner_sees_the_task_dates_in_the_season_zone_and_the_form(owner, url, assignment):
    response = owner.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Запишите урок в выбранном формате обучения." in html
    due = timezone.localtime(assignment.due_at, assignment.activity.season.tz)
    assert f"{due:%H:%M} (время Екатеринбурга, МСК+2)" in html
    assert "осталось" in html
    for label in FORMATS:
        assert f'<option value="{label}"' in html
    assert 'enctype="multipart/form-data"' in html and "js/upload-progress.js" in html


def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(url, form_data()).status_code == 302
    assert not Submission.objects.exists()


def test_a_teacher_of_another_season_gets_404(client, url):
    client.force_login(EnrollmentFactory().person.user)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert not Submission.objects.exists()


def test_a_teacher_of_the_same_season_sees_only_their_own_work(client, url, enrollment, assignment):
    SubmissionFactory(assignment=assignment, enrollment=enrollment, topic="Чужая тема урока")
    client.force_login(EnrollmentFactory(season=enrollment.season).person.user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Чужая тема урока" not in response.content.decode()


def test_unknown_assignment_is_404(owner):
    assert owner.get(reverse("video_assignment", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "link, embed",
    [
        (
            "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
            "https://rutube.ru/play/embed/0123456789abcdef0123456789abcdef",
        ),
        ("https://vk.com/video-12345_67890", "https://vk.com/video_ext.php?oid=-12345&amp;id=67890"),
        ("https://vkvideo.ru/video-12345_67890", "https://vk.com/video_ext.php?oid=-12345&amp;id=67890"),
        (
            '<iframe src="https://vk.com/video_ext.php?oid=-12345&id=67890&hash=abc123" width="640"></iframe>',
            "https://vk.com/video_ext.php?oid=-12345&amp;id=67890&amp;hash=abc123",
        ),
        # enablejsapi=1: the time codes of the feedback seek this player (docs/decisions/0009-video-time-codes.md).
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1",
        ),
    ],
)
def test_links_are_accepted_and_shown_embedded(owner, url, enrollment, link, embed):
    response = owner.post(url, form_data(video_url=link))
    assert response.status_code == 302
    submission = Submission.objects.get(enrollment=enrollment)
    assert submission.is_current and submission.version == 1
    html = owner.get(url).content.decode()
    iframe = re.search(r"<iframe[^>]*>", html).group(0)
    assert f'src="{embed}"' in iframe
    assert 'title="Видеоурок «Сложение дробей с разными знаменателями»' in iframe
    assert 'allow="' in iframe and "allowfullscreen" in iframe
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in iframe
    assert "Видеоурок сдан." in html


def test_a_yandex_disk_link_is_shown_as_a_link(owner, url):
    owner.post(url, form_data(video_url="https://disk.yandex.ru/i/AbCdEf123456"))
    html = owner.get(url).content.decode()
    assert "<iframe" not in html
    assert 'href="https://disk.yandex.ru/i/AbCdEf123456"' in html


@pytest.mark.parametrize("bad", ["javascript:alert(document.cookie)", "https://example.com/video.mp4"])
def test_a_bad_link_is_refused_with_the_accepted_hosts_and_nothing_typed_is_lost(owner, url, bad):
    data = form_data(video_url=bad)
    response = owner.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Принимаются ссылки на RuTube, VK Видео, Яндекс Диск, YouTube, Google Диск и Облако Mail.ru." in html
    assert "is-invalid" in html
    assert_fields_kept(html, data)
    assert not Submission.objects.exists()


@pytest.mark.parametrize("content, name, extension", [(MP4, "урок.mp4", ".mp4"), (WEBM, "lesson.mp4", ".webm")])
def test_a_real_video_file_is_accepted(owner, url, enrollment, content, name, extension):
    video = SimpleUploadedFile(name, content, content_type="video/mp4")
    response = owner.post(url, form_data(video_url="", video_file=video))
    assert response.status_code == 302
    submission = Submission.objects.get(enrollment=enrollment)
    assert submission.video_file.name.endswith(extension)  # the content decided, not the name
    assert submission.video_file.read() == content
    html = owner.get(url).content.decode()
    assert f'controls preload="metadata" src="{reverse("submission_file", args=[submission.pk])}"' in html


def test_a_renamed_executable_is_refused_and_the_other_fields_kept(owner, url):
    data = form_data(video_url="")
    response = owner.post(url, {**data, "video_file": SimpleUploadedFile("lesson.mp4", EXE)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Это не видеофайл или его формат не распознан." in html
    assert_fields_kept(html, data)
    assert not Submission.objects.exists()


def test_an_oversized_file_is_stopped_while_uploading_and_the_other_fields_kept(owner, url, enrollment):
    enrollment.season.video_max_size_mb = 1
    enrollment.season.save(update_fields=["video_max_size_mb"])
    big = SimpleUploadedFile("lesson.mp4", MP4 + bytes(1024 * 1024), content_type="video/mp4")
    data = form_data(video_url="")
    response = owner.post(url, {**data, "video_file": big})
    assert response.status_code == 200
    html = response.content.decode()
    # The upload handler's message: the limit was hit while the bytes arrived, not checked afterwards.
    assert "Файл больше допустимых 1 МБ; загрузка остановлена." in html
    assert_fields_kept(html, data)
    assert not Submission.objects.exists()


def test_link_and_file_together_are_refused(owner, url):
    response = owner.post(url, {**form_data(), "video_file": SimpleUploadedFile("lesson.mp4", MP4)})
    assert response.status_code == 200
    assert "Укажите что-то одно: ссылку на видео или файл." in response.content.decode()
    assert not Submission.objects.exists()


def test_the_post_is_csrf_protected(enrollment, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(enrollment.person.user)
    assert client.post(url, form_data()).status_code == 403
    assert not Submission.objects.exists()
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert client.post(url, {**form_data(), "csrfmiddlewaretoken": token}).status_code == 302


def test_replacing_keeps_every_version_and_lists_them(owner, url, enrollment, assignment):
    owner.post(url, form_data())
    owner.post(url, form_data(video_url="https://youtu.be/dQw4w9WgXcQ", topic="Вторая запись урока"))
    versions = Submission.objects.filter(enrollment=enrollment).order_by("version")
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    html = owner.get(url).content.decode()
    assert "Все версии" in html and "Вторая запись урока" in html
    assert "Сложение дробей с разными знаменателями" in html  # the first version is listed too
    assert 'value="Вторая запись урока"' in html  # a replacement starts from the current version


def test_after_the_cutoff_the_form_is_gone_and_a_post_is_refused(owner, url, assignment):
    now = timezone.now()
    assignment.opens_at, assignment.due_at, assignment.cutoff_at = (
        now - timedelta(days=9),
        now - timedelta(days=5),
        now - timedelta(days=1),
    )
    assignment.save()
    html = owner.get(url).content.decode()
    assert "Приём работ закрыт" in html and 'name="topic"' not in html
    response = owner.post(url, form_data())
    assert "Приём работ закрыт: окончательный срок был" in response.content.decode()
    assert not Submission.objects.exists()


def test_an_applied_teacher_sees_why_they_cannot_submit_yet(client, url, enrollment):
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.APPLIED)
    client.force_login(enrollment.person.user)
    html = client.get(url).content.decode()
    assert "после того, как координатор утвердит вашу заявку" in html and 'name="topic"' not in html


def test_subject_is_stored(owner, url, enrollment):
    subject = SubjectFactory(name="Математика")
    owner.post(url, form_data(subject=str(subject.pk)))
    assert Submission.objects.get(enrollment=enrollment).subject == subject


@pytest.mark.parametrize(
    "status, reason",
    [
        (Submission.Status.IN_REVIEW, "Эксперты уже проверяют видеоурок, поэтому заменить его нельзя."),
        (Submission.Status.REVIEWED, "Видеоурок уже проверен, поэтому заменить его нельзя."),
    ],
)
def test_a_lesson_under_review_or_checked_cannot_be_replaced_and_the_page_says_why(
    owner, url, enrollment, assignment, status, reason
):
    SubmissionFactory(assignment=assignment, enrollment=enrollment, status=status)
    html = owner.get(url).content.decode()
    assert reason in html
    assert 'name="video_url"' not in html
    response = owner.post(url, form_data())
    assert Submission.objects.filter(assignment=assignment, enrollment=enrollment).count() == 1
    assert response.status_code in (200, 302)


def test_an_old_version_whose_link_no_longer_parses_is_listed_not_a_500(owner, url, enrollment, assignment):
    # A link accepted once and unreadable today (a host changed its addresses) stays in the versions table.
    owner.post(url, form_data(video_url="https://disk.yandex.ru/i/AbCdEf123456"))
    Submission.objects.filter(enrollment=enrollment, assignment=assignment).update(
        video_url="https://video.example.org/watch/1"
    )
    response = owner.get(url)
    assert response.status_code == 200
    assert "ссылка не распознаётся" in response.content.decode()
