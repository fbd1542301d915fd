"""The teacher's video-lesson form under hostile input: links of any shape, files of any content and name,
markup in every text field. Never a 500; a refusal says why in Russian and saves no submission."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from activities.models import Submission
from tests.activities.video_samples import EXE, MP4, WEBM
from tests.factories import ActivityFactory, EnrollmentFactory, RoadmapModuleFactory, VideoAssignmentFactory
from tests.hostile.helpers import (
    IMG,
    SCRIPT,
    TEMPLATE,
    assert_escaped,
    assert_russian,
    form_errors,
    hostile_number,
    hostile_text,
    rolled_back,
    row_counts,
)

pytestmark = pytest.mark.django_db
FORMATS = ["Мультимодальное обучение", "Обучение через вызов"]
MODELS = ("activities.Submission",)


@pytest.fixture
def enrollment():
    return EnrollmentFactory()


@pytest.fixture
def url(enrollment):
    module = RoadmapModuleFactory(season=enrollment.season, learning_formats=FORMATS)
    assignment = VideoAssignmentFactory(
        activity=ActivityFactory(season=enrollment.season, module=module, kind="video_lesson", title="Видеоурок")
    )
    return reverse("video_assignment", args=[assignment.pk])


@pytest.fixture
def owner(client, enrollment):
    client.force_login(enrollment.person.user)
    return client


def _data(**changes):
    data = {
        "video_url": "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
        "topic": "Сложение дробей",
        "grade": "6 «Б»",
        "subject": "",
        "learning_format": FORMATS[1],
        "reflection": "Ученики работали в группах.",
    }
    data.update(changes)
    return data


LINKS = st.one_of(
    hostile_text(80),
    st.sampled_from(
        [
            "https://rutube.ru/video/" + "0" * 32 + "/",
            "https://youtu.be/" + "a" * 11,
            "https://vk.com/video-1_2",
            "https://disk.yandex.ru/i/abc",
            "javascript:alert(1)//rutube.ru/video/",
            "https://rutube.ru.evil.example/video/" + "0" * 32,
            "https://user:pass@rutube.ru/video/" + "0" * 32,
            "https://[::1]/video",
            "https://rutube.ru:99999/video/",
            "http://%zz/",
            "https://xn--80ak6aa92e.com/",
            "file:///etc/passwd",
            "https://" + "a" * 300 + ".ru/",
        ]
    ),
    st.builds(lambda host, path: f"https://{host}/{path}", hostile_text(20), hostile_text(30)),
)
FIELDS = {
    "video_url": LINKS,
    "topic": hostile_text(),
    "grade": hostile_text(40),
    "subject": hostile_number(),
    "learning_format": st.one_of(st.sampled_from(FORMATS), hostile_text()),
    "reflection": hostile_text(),
}
FILES = st.one_of(
    st.none(),
    st.tuples(
        st.one_of(st.sampled_from([MP4, WEBM, EXE, b"", b"<html><script>alert(1)</script>"]), st.binary(max_size=600)),
        st.sampled_from(["урок.mp4", "lesson.webm", "<script>.mp4", "../../etc/passwd", "a" * 300 + ".mov", "x.exe"]),
    ),
)


@given(changes=st.fixed_dictionaries({}, optional=FIELDS), upload=FILES)
def test_hostile_submission_is_answered_and_refused_whole(owner, url, changes, upload):
    data = _data(**changes)
    if upload is not None:
        content, name = upload
        data["video_file"] = SimpleUploadedFile(name, content)
        data["video_url"] = ""
    with rolled_back():
        before = row_counts(MODELS)
        response = owner.post(url, data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert_russian(form_errors(response))
            assert row_counts(MODELS) == before
        else:
            assert Submission.objects.count() == before["activities.Submission"] + 1


@pytest.mark.parametrize("payload", [SCRIPT, IMG, TEMPLATE])
def test_markup_in_a_saved_submission_is_text_on_its_page(owner, url, payload):
    response = owner.post(url, _data(topic=payload, grade=payload[:32], reflection=payload))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.topic, submission.reflection) == (payload, payload)
    assert_escaped(owner.get(url).content.decode(), payload)
