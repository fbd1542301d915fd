"""The video size limit stops an oversized upload while it arrives, and lets the view answer with a message."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler, load_handler
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from activities.upload_handlers import VideoSizeLimitUploadHandler

LIMIT = 1000


def post_request(rf, body: bytes):
    request = rf.generic("POST", "/submissions/upload/", body, content_type=MULTIPART_CONTENT)
    handler = VideoSizeLimitUploadHandler(request, max_bytes=LIMIT)
    request.upload_handlers = [handler, *(load_handler(path, request) for path in settings.FILE_UPLOAD_HANDLERS)]
    return request, handler


def lesson_body(size: int) -> bytes:
    video = SimpleUploadedFile("lesson.mp4", b"v" * size, content_type="video/mp4")
    # A field after the file input too: an oversized file must not lose what follows it.
    return encode_multipart(BOUNDARY, {"title": "Урок по дробям", "video_file": video, "reflection": "Самоанализ"})


@pytest.mark.parametrize("size", [500, LIMIT])
def test_a_file_within_the_limit_passes(rf, size):
    request, handler = post_request(rf, lesson_body(size))
    assert request.FILES["video_file"].read() == b"v" * size
    assert request.POST["title"] == "Урок по дробям"
    assert handler.exceeded is False


def test_an_oversized_file_is_stopped_and_the_other_fields_kept(rf):
    request, handler = post_request(rf, lesson_body(5000))
    assert "video_file" not in request.FILES
    assert handler.exceeded is True
    assert handler.exceeded_field == "video_file"
    assert request.POST["title"] == "Урок по дробям"
    assert request.POST["reflection"] == "Самоанализ"
    assert handler.exceeded_message == "Файл больше допустимых 1000 Б; загрузка остановлена."


def test_the_message_names_the_season_limit(rf):
    handler = VideoSizeLimitUploadHandler(rf.post("/"), max_bytes=2048 * 1024 * 1024)
    assert handler.exceeded_message == "Файл больше допустимых 2 ГБ; загрузка остановлена."


def test_stopped_between_chunks_and_nothing_left_on_disk(rf, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # so the temporary-file handler takes the upload
    request, handler = post_request(rf, lesson_body(5000))
    handler.chunk_size = 256  # the parser reads in the smallest chunk size of its handlers
    temporary = next(h for h in request.upload_handlers if isinstance(h, TemporaryFileUploadHandler))
    assert "video_file" not in request.FILES
    assert handler.exceeded is True
    assert temporary.file.closed  # the partial temporary file is closed, hence removed
    assert LIMIT < handler.received <= LIMIT + 256  # stopped at the first chunk past the limit


def test_a_declared_oversized_part_is_stopped_before_any_byte(rf):
    body = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\n'
        "Урок\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="video_file"; filename="lesson.mp4"\r\n'
        "Content-Type: video/mp4\r\n"
        "Content-Length: 5000\r\n\r\n"
        "tiny\r\n"
        f"--{BOUNDARY}--\r\n"
    ).encode()
    request, handler = post_request(rf, body)
    assert "video_file" not in request.FILES
    assert handler.exceeded is True
    assert request.POST["title"] == "Урок"


def test_each_file_is_counted_on_its_own(rf):
    small = [SimpleUploadedFile(f"part{i}.mp4", b"v" * 600, content_type="video/mp4") for i in range(2)]
    request, handler = post_request(rf, encode_multipart(BOUNDARY, {"video_file": small}))
    assert [f.size for f in request.FILES.getlist("video_file")] == [600, 600]
    assert handler.exceeded is False


def test_the_limit_must_be_positive(rf):
    with pytest.raises(ValueError):
        VideoSizeLimitUploadHandler(rf.post("/"), max_bytes=0)
