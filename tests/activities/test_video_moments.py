"""Where an expert's time code takes the viewer, per host (activities.video_links, activities.video_player):
seek the page's player where it can be driven, otherwise a plain link at the moment, otherwise the video itself."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from activities.video_links import file_url_at, moment_seconds, parse_video_link, watch_url_at
from activities.video_player import video_moment, video_player
from ratings.timecodes import parse_timecode
from tests.factories import SubmissionFactory

RUTUBE = "https://rutube.ru/video/5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f/"


@pytest.mark.parametrize(
    ("url", "seconds", "expected"),
    [
        (RUTUBE, 195, f"{RUTUBE}?t=195"),
        (
            "https://rutube.ru/video/private/5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f/?p=Ab_c-1",
            195,
            "https://rutube.ru/video/private/5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f/?p=Ab_c-1&t=195",
        ),
        ("https://vkvideo.ru/video-12345_67890", 3723, "https://vkvideo.ru/video-12345_67890?t=1h2m3s"),
        (
            # A VK video behind a hash has no public page: its player at the moment is the link.
            "https://vk.com/video_ext.php?oid=-12345&id=67890&hash=abc123",
            195,
            "https://vk.com/video_ext.php?oid=-12345&id=67890&hash=abc123&t=3m15s&autoplay=1",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?t=42", 195, "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=195s"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", 0, "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=0s"),
    ],
)
def test_the_hosts_page_opens_at_the_moment(url, seconds, expected):
    assert watch_url_at(parse_video_link(url), seconds) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view",
        "https://disk.yandex.ru/i/AbCdEf123",
        "https://cloud.mail.ru/public/AbCd/EfGh",
    ],
)
def test_a_host_whose_page_takes_no_start_time_has_no_address_at_a_moment(url):
    assert watch_url_at(parse_video_link(url), 195) is None


def test_our_file_opens_at_the_moment_by_a_media_fragment():
    assert file_url_at("/cabinet/videos/file/7/", 195) == "/cabinet/videos/file/7/#t=195"
    assert file_url_at("/cabinet/videos/file/7/#t=5", 195) == "/cabinet/videos/file/7/#t=195"


@pytest.mark.parametrize("bad", [-1, 24 * 3600, 99 * 3600 + 99 * 60 + 99, None, "javascript:alert(1)", "12:40", True])
def test_a_moment_no_address_can_carry_gives_no_link(bad):
    assert moment_seconds(bad) is None
    assert file_url_at("/cabinet/videos/file/7/", bad) is None
    assert watch_url_at(parse_video_link(RUTUBE), bad) is None


def test_a_99_99_99_code_never_becomes_a_moment():
    with pytest.raises(ValueError):
        parse_timecode("99:99:99")


@pytest.mark.django_db
def test_our_own_file_is_sought_in_the_page_and_linked_at_the_moment():
    submission = SubmissionFactory(video_url="", video_file=ContentFile(b"\x1aE\xdf\xa3", name="urok.webm"))
    player = video_player(submission)
    src = reverse("submission_file", args=[submission.pk])
    assert player == {"kind": "file", "src": src}
    moment = video_moment(player, 195)
    assert moment.seek and moment.reload_url is None
    assert moment.open_url == f"{src}#t=195" and moment.opens_at_moment


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "kind", "reload_url", "open_url"),
    [
        (RUTUBE, "rutube", None, f"{RUTUBE}?t=195"),
        (
            "https://vk.com/video-12345_67890",
            "vk",
            "https://vk.com/video_ext.php?oid=-12345&id=67890&t=3m15s&autoplay=1",
            "https://vk.com/video-12345_67890?t=3m15s",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", None, "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=195s"),
    ],
)
def test_a_host_with_a_player_api_or_a_start_time_is_sought_in_the_page(url, kind, reload_url, open_url):
    player = video_player(SubmissionFactory(video_url=url))
    assert player["kind"] == kind
    moment = video_moment(player, 195)
    assert moment.seek and moment.reload_url == reload_url
    assert moment.open_url == open_url and moment.opens_at_moment
    # The same version when its player is not on the page: only the plain link at the moment.
    elsewhere = video_moment(player, 195, on_page=False)
    assert not elsewhere.seek and elsewhere.reload_url is None and elsewhere.open_url == open_url


@pytest.mark.django_db
def test_youtubes_player_takes_commands():
    assert video_player(SubmissionFactory(video_url="https://youtu.be/dQw4w9WgXcQ"))["src"] == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1"
    )


@pytest.mark.django_db
def test_a_host_that_cannot_be_driven_links_the_video_without_a_moment():
    url = "https://disk.yandex.ru/i/AbCdEf123"
    player = video_player(SubmissionFactory(video_url=url))
    assert player["kind"] == "link"
    moment = video_moment(player, 195)
    assert not moment.seek and not moment.opens_at_moment
    assert moment.open_url == url


@pytest.mark.django_db
def test_a_hostile_stored_address_gives_neither_player_nor_link():
    player = video_player(SubmissionFactory(video_url="javascript:alert(document.cookie)"))
    assert player["kind"] == "none"
    moment = video_moment(player, 195)
    assert not moment.seek and moment.open_url is None and moment.reload_url is None
    assert video_moment(player, 99 * 3600 + 99 * 60 + 99) is None
