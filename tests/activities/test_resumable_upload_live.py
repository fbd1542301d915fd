"""A resumable upload over real HTTP (the live server): a piece cut off by a dropped connection keeps the bytes
that arrived, the client asks where to go on, and the finished file is byte-identical."""

import http.client
import os
import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from activities.models import ResumableUpload, Submission
from tests.activities.video_samples import MP4
from tests.factories import ActivityFactory, EnrollmentFactory, VideoAssignmentFactory

pytestmark = pytest.mark.django_db(transaction=True)

CSRF = "a" * 32  # the cookie's secret and the header's token, as the page's script sends them
VIDEO = MP4 + os.urandom(400 * 1024)


class Teacher:
    """Raw HTTP requests to the live server with the teacher's session and CSRF cookies."""

    def __init__(self, live_server, user):
        client = Client()
        client.force_login(user)
        self.host = urlsplit(live_server.url).netloc
        self.cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"

    def headers(self, **extra) -> dict:
        return {"Cookie": self.cookie, "X-CSRFToken": CSRF, "Tus-Resumable": "1.0.0", **extra}

    def request(self, method, path, body=b"", **headers) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(self.host, timeout=30)
        connection.request(method, path, body=body, headers=self.headers(**headers))
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    def patch_cut_off(self, path, offset, piece, sent) -> None:
        """Declare the whole piece, send only `sent` bytes of it, then drop the connection."""
        connection = http.client.HTTPConnection(self.host, timeout=30)
        connection.putrequest("PATCH", path)
        for name, value in self.headers(
            **{
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(len(piece)),
            }
        ).items():
            connection.putheader(name, value)
        connection.endheaders()
        connection.send(piece[:sent])
        connection.sock.shutdown(2)
        connection.close()

    def offset(self, path) -> int:
        return int(self.request("HEAD", path).getheader("Upload-Offset"))


def test_a_dropped_connection_mid_piece_keeps_what_arrived_and_the_upload_resumes(live_server):
    enrollment = EnrollmentFactory()
    assignment = VideoAssignmentFactory(activity=ActivityFactory(season=enrollment.season, kind="video_lesson"))
    teacher = Teacher(live_server, enrollment.person.user)

    created = teacher.request(
        "POST", reverse("resumable_create", args=[assignment.pk]), **{"Upload-Length": str(len(VIDEO))}
    )
    assert created.status == 201
    location = created.getheader("Location")

    first = teacher.request(
        "PATCH",
        location,
        VIDEO[: 100 * 1024],
        **{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
    )
    assert first.status == 204 and first.getheader("Upload-Offset") == str(100 * 1024)

    teacher.patch_cut_off(location, 100 * 1024, VIDEO[100 * 1024 : 300 * 1024], sent=50 * 1024)
    deadline = time.monotonic() + 20
    while teacher.offset(location) == 100 * 1024 and time.monotonic() < deadline:
        time.sleep(0.1)  # the server is still reading the piece that will never be finished
    offset = teacher.offset(location)
    assert 100 * 1024 < offset <= 150 * 1024

    rest = teacher.request(
        "PATCH",
        location,
        VIDEO[offset:],
        **{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"},
    )
    assert rest.status == 204 and rest.getheader("Upload-Offset") == str(len(VIDEO))

    client = Client()
    client.force_login(enrollment.person.user)
    response = client.post(
        reverse("video_assignment", args=[assignment.pk]),
        {
            "upload": str(ResumableUpload.objects.get().pk),
            "topic": "Сложение дробей",
            "grade": "6 «Б»",
            "reflection": "Ученики работали в группах.",
        },
    )
    assert response.status_code == 302
    with Submission.objects.get().video_file.open("rb") as stored:
        assert stored.read() == VIDEO
