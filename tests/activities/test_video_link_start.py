"""The embedded player's address opening a lesson at a comment's moment, per host (activities.video_links)."""

import pytest

from activities.video_links import embed_url_at, parse_video_link


@pytest.mark.parametrize(
    ("url", "seconds", "expected"),
    [
        (
            "https://rutube.ru/video/5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f/",
            90,
            "https://rutube.ru/play/embed/5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f?t=90&autoplay=1",
        ),
        (
            # A private RuTube video keeps its key.
            "https://rutube.ru/video/private/5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f/?p=Ab_c-1",
            3723,
            "https://rutube.ru/play/embed/5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f?p=Ab_c-1&t=3723&autoplay=1",
        ),
        ("https://vk.com/video-12345_67890", 90, "https://vk.com/video_ext.php?oid=-12345&id=67890&t=1m30s&autoplay=1"),
        (
            "https://vk.com/video_ext.php?oid=-12345&id=67890&hash=abc123",
            3723,
            "https://vk.com/video_ext.php?oid=-12345&id=67890&hash=abc123&t=1h2m3s&autoplay=1",
        ),
        ("https://vkvideo.ru/video-12345_67890", 5, "https://vk.com/video_ext.php?oid=-12345&id=67890&t=5s&autoplay=1"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            754,
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=754&autoplay=1",
        ),
        (
            # The link's own start time gives way to the comment's.
            "https://youtu.be/dQw4w9WgXcQ?t=42",
            754,
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=754&autoplay=1",
        ),
    ],
)
def test_a_player_that_takes_a_start_time_opens_at_the_moment(url, seconds, expected):
    assert embed_url_at(parse_video_link(url), seconds) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view",  # the preview takes no start time
        "https://disk.yandex.ru/i/AbCdEf123",  # not embedded at all
        "https://cloud.mail.ru/public/AbCd/EfGh",
    ],
)
def test_other_hosts_have_no_address_at_a_moment(url):
    assert embed_url_at(parse_video_link(url), 90) is None
