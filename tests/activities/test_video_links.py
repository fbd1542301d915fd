"""Video links: every real-world shape a teacher pastes is recognised; anything unsafe or foreign is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from activities.video_links import ACCEPTED_HOSTS_HELP, EMBED_HOSTS, VideoLink, parse_video_link

RT = "0123456789abcdef0123456789abcdef"
YT = "dQw4w9WgXcQ"
GD = "1AbCdEfGhIjKlMnOpQrStUvWxYz_-0123"
ACCEPTED = "Принимаются ссылки на RuTube, VK Видео, Яндекс Диск, YouTube, Google Диск и Облако Mail.ru"

RT_EMBED = f"https://rutube.ru/play/embed/{RT}"
VK_EMBED = "https://vk.com/video_ext.php?oid=-12345&id=67890"
YT_EMBED = f"https://www.youtube-nocookie.com/embed/{YT}"
GD_EMBED = f"https://drive.google.com/file/d/{GD}/preview"

# (pasted text, host, video_id, embed_url, url)
ACCEPTED_LINKS = [
    # RuTube
    (f"https://rutube.ru/video/{RT}/", "rutube", RT, RT_EMBED, f"https://rutube.ru/video/{RT}/"),
    (f"https://rutube.ru/video/{RT}", "rutube", RT, RT_EMBED, f"https://rutube.ru/video/{RT}/"),
    (f"https://rutube.ru/video/{RT}/?r=wd", "rutube", RT, RT_EMBED, f"https://rutube.ru/video/{RT}/"),
    (f"rutube.ru/video/{RT}/", "rutube", RT, RT_EMBED, f"https://rutube.ru/video/{RT}/"),
    (f"http://www.rutube.ru/video/{RT}/", "rutube", RT, RT_EMBED, f"https://rutube.ru/video/{RT}/"),
    (f"  https://m.rutube.ru/video/{RT.upper()}/ \n", "rutube", RT, RT_EMBED, f"https://rutube.ru/video/{RT}/"),
    (f"https://rutube.ru/play/embed/{RT}", "rutube", RT, RT_EMBED, f"https://rutube.ru/video/{RT}/"),
    (
        f"https://rutube.ru/video/private/{RT}/?p=AbC-12_x",
        "rutube",
        RT,
        f"{RT_EMBED}?p=AbC-12_x",
        f"https://rutube.ru/video/private/{RT}/?p=AbC-12_x",
    ),
    (
        f"https://rutube.ru/play/embed/{RT}?p=AbC-12_x",
        "rutube",
        RT,
        f"{RT_EMBED}?p=AbC-12_x",
        f"https://rutube.ru/video/private/{RT}/?p=AbC-12_x",
    ),
    (f"https://rutube.ru/shorts/{RT}/", "rutube", RT, RT_EMBED, f"https://rutube.ru/shorts/{RT}/"),
    # VK Video
    ("https://vk.com/video-12345_67890", "vk", "-12345_67890", VK_EMBED, "https://vk.com/video-12345_67890"),
    (
        "https://vk.com/video12345_67890",
        "vk",
        "12345_67890",
        "https://vk.com/video_ext.php?oid=12345&id=67890",
        "https://vk.com/video12345_67890",
    ),
    ("https://m.vk.com/video-12345_67890/", "vk", "-12345_67890", VK_EMBED, "https://vk.com/video-12345_67890"),
    ("https://vkvideo.ru/video-12345_67890", "vk", "-12345_67890", VK_EMBED, "https://vkvideo.ru/video-12345_67890"),
    ("https://vk.com/clip-12345_67890", "vk", "-12345_67890", VK_EMBED, "https://vk.com/clip-12345_67890"),
    (
        "https://vk.com/wall-1_2?z=video-12345_67890%2Fpl_wall_-1",
        "vk",
        "-12345_67890",
        VK_EMBED,
        "https://vk.com/video-12345_67890",
    ),
    ("https://vk.com/video?z=video-12345_67890", "vk", "-12345_67890", VK_EMBED, "https://vk.com/video-12345_67890"),
    (
        "https://vk.com/video_ext.php?oid=-12345&id=67890&hash=abc",
        "vk",
        "-12345_67890",
        f"{VK_EMBED}&hash=abc",
        f"{VK_EMBED}&hash=abc",
    ),
    (
        "https://vk.com/video_ext.php?oid=-12345&id=67890",
        "vk",
        "-12345_67890",
        VK_EMBED,
        "https://vk.com/video-12345_67890",
    ),
    (
        "https://vkvideo.ru/video_ext.php?oid=-12345&id=67890&hash=abc&hd=2",
        "vk",
        "-12345_67890",
        f"{VK_EMBED}&hash=abc",
        f"{VK_EMBED}&hash=abc",
    ),
    (
        '<iframe src="https://vk.com/video_ext.php?oid=-1&id=2&hash=x" width="853" height="480" '
        'allow="autoplay; encrypted-media; fullscreen; picture-in-picture" frameborder="0" allowfullscreen></iframe>',
        "vk",
        "-1_2",
        "https://vk.com/video_ext.php?oid=-1&id=2&hash=x",
        "https://vk.com/video_ext.php?oid=-1&id=2&hash=x",
    ),
    (
        "<iframe src='//vkvideo.ru/video_ext.php?oid=-1&amp;id=2&amp;hash=x'></iframe>",
        "vk",
        "-1_2",
        "https://vk.com/video_ext.php?oid=-1&id=2&hash=x",
        "https://vk.com/video_ext.php?oid=-1&id=2&hash=x",
    ),
    # YouTube
    (f"https://www.youtube.com/watch?v={YT}", "youtube", YT, YT_EMBED, f"https://www.youtube.com/watch?v={YT}"),
    (f"youtube.com/watch?v={YT}", "youtube", YT, YT_EMBED, f"https://www.youtube.com/watch?v={YT}"),
    (
        f"https://www.youtube.com/watch?v={YT}&t=42s",
        "youtube",
        YT,
        f"{YT_EMBED}?start=42",
        f"https://www.youtube.com/watch?v={YT}&t=42s",
    ),
    (
        f"https://www.youtube.com/watch?v={YT}&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG&index=3",
        "youtube",
        YT,
        YT_EMBED,
        f"https://www.youtube.com/watch?v={YT}",
    ),
    (
        f"https://m.youtube.com/watch?feature=share&v={YT}&t=1m30s",
        "youtube",
        YT,
        f"{YT_EMBED}?start=90",
        f"https://www.youtube.com/watch?v={YT}&t=90s",
    ),
    (f"https://youtu.be/{YT}", "youtube", YT, YT_EMBED, f"https://www.youtube.com/watch?v={YT}"),
    (
        f"https://youtu.be/{YT}?si=AbCdEf&t=90",
        "youtube",
        YT,
        f"{YT_EMBED}?start=90",
        f"https://www.youtube.com/watch?v={YT}&t=90s",
    ),
    (
        f"https://youtu.be/{YT}?t=1h2m3s",
        "youtube",
        YT,
        f"{YT_EMBED}?start=3723",
        f"https://www.youtube.com/watch?v={YT}&t=3723s",
    ),
    (
        f"https://youtube.com/shorts/{YT}?feature=share",
        "youtube",
        YT,
        YT_EMBED,
        f"https://www.youtube.com/watch?v={YT}",
    ),
    (f"https://www.youtube.com/live/{YT}", "youtube", YT, YT_EMBED, f"https://www.youtube.com/watch?v={YT}"),
    (
        f"https://www.youtube.com/embed/{YT}?start=90",
        "youtube",
        YT,
        f"{YT_EMBED}?start=90",
        f"https://www.youtube.com/watch?v={YT}&t=90s",
    ),
    (f"https://www.youtube-nocookie.com/embed/{YT}", "youtube", YT, YT_EMBED, f"https://www.youtube.com/watch?v={YT}"),
    (f"https://www.youtube.com/watch?v={YT}&t=abc", "youtube", YT, YT_EMBED, f"https://www.youtube.com/watch?v={YT}"),
    # Yandex Disk: link only
    (
        "https://disk.yandex.ru/i/AbCdEf12345678",
        "yandex_disk",
        "AbCdEf12345678",
        None,
        "https://disk.yandex.ru/i/AbCdEf12345678",
    ),
    (
        "https://disk.yandex.ru/d/AbCd_Ef-123",
        "yandex_disk",
        "AbCd_Ef-123",
        None,
        "https://disk.yandex.ru/d/AbCd_Ef-123",
    ),
    ("https://yadi.sk/i/AbCdEf12345678", "yandex_disk", "AbCdEf12345678", None, "https://yadi.sk/i/AbCdEf12345678"),
    ("yadi.sk/d/AbCdEf12345678/", "yandex_disk", "AbCdEf12345678", None, "https://yadi.sk/d/AbCdEf12345678"),
    (
        "https://disk.yandex.com/i/AbCdEf12345678",
        "yandex_disk",
        "AbCdEf12345678",
        None,
        "https://disk.yandex.com/i/AbCdEf12345678",
    ),
    (
        "https://disk.yandex.ru/d/AbCdEf12345678/%D0%A3%D1%80%D0%BE%D0%BA.mp4",
        "yandex_disk",
        "AbCdEf12345678",
        None,
        "https://disk.yandex.ru/d/AbCdEf12345678/%D0%A3%D1%80%D0%BE%D0%BA.mp4",
    ),
    # Google Drive
    (
        f"https://drive.google.com/file/d/{GD}/view?usp=sharing",
        "google_drive",
        GD,
        GD_EMBED,
        f"https://drive.google.com/file/d/{GD}/view",
    ),
    (
        f"https://drive.google.com/file/d/{GD}",
        "google_drive",
        GD,
        GD_EMBED,
        f"https://drive.google.com/file/d/{GD}/view",
    ),
    (
        f"https://drive.google.com/file/u/0/d/{GD}/view",
        "google_drive",
        GD,
        GD_EMBED,
        f"https://drive.google.com/file/d/{GD}/view",
    ),
    (
        f"https://drive.google.com/open?id={GD}",
        "google_drive",
        GD,
        GD_EMBED,
        f"https://drive.google.com/file/d/{GD}/view",
    ),
    (
        f"https://docs.google.com/file/d/{GD}/edit",
        "google_drive",
        GD,
        GD_EMBED,
        f"https://drive.google.com/file/d/{GD}/view",
    ),
    (
        f"https://drive.google.com/file/d/{GD}/view?usp=sharing&resourcekey=0-AbC_d",
        "google_drive",
        GD,
        f"{GD_EMBED}?resourcekey=0-AbC_d",
        f"https://drive.google.com/file/d/{GD}/view?resourcekey=0-AbC_d",
    ),
    # Mail.ru Cloud: link only
    (
        "https://cloud.mail.ru/public/4Kv1/aBcDeF123",
        "mailru_cloud",
        "4Kv1/aBcDeF123",
        None,
        "https://cloud.mail.ru/public/4Kv1/aBcDeF123",
    ),
    (
        "cloud.mail.ru/public/4Kv1/aBcDeF123/",
        "mailru_cloud",
        "4Kv1/aBcDeF123",
        None,
        "https://cloud.mail.ru/public/4Kv1/aBcDeF123",
    ),
]

REFUSED_LINKS = [
    # Schemes that run code or read files
    ("javascript:alert(1)", "bad_scheme"),
    ("JaVaScRiPt:alert(document.cookie)", "bad_scheme"),
    ("   javascript:alert(1)", "bad_scheme"),
    ("\x01\x02javascript:alert(1)", "bad_scheme"),
    ("\u200bjavascript:alert(1)", "bad_scheme"),
    ("java\tscript:alert(1)", "bad_scheme"),
    ("java\nscript:alert(1)//https://youtu.be/dQw4w9WgXcQ", "bad_scheme"),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "bad_scheme"),
    ("DATA:text/html,<script>alert(1)</script>", "bad_scheme"),
    ("vbscript:msgbox(1)", "bad_scheme"),
    ("file:///etc/passwd", "bad_scheme"),
    ("FILE://C:/video.mp4", "bad_scheme"),
    (f"ftp://rutube.ru/video/{RT}/", "bad_scheme"),
    ("mailto:teacher@example.com", "bad_scheme"),
    ('<iframe src="javascript:alert(1)"></iframe>', "bad_scheme"),
    # Hosts that only look like ours
    (f"https://rutube.ru.evil.com/video/{RT}/", "unsupported_host"),
    (f"https://evilrutube.ru/video/{RT}/", "unsupported_host"),
    (f"https://rutube.ru@evil.com/video/{RT}/", "unsupported_host"),
    (f"youtube.com@evil.com/watch?v={YT}", "unsupported_host"),
    (f"https://evil.com@youtube.com/watch?v={YT}", "unsupported_host"),
    (f"https://user:pass@youtube.com/watch?v={YT}", "unsupported_host"),
    (f"https://youtube.com:8080/watch?v={YT}", "unsupported_host"),
    (f"https://rutube.ru:444/video/{RT}/", "unsupported_host"),
    (f"https://notyoutube.com/watch?v={YT}", "unsupported_host"),
    (f"https://youtube.com.evil.com/watch?v={YT}", "unsupported_host"),
    (f"https://www.evil.com/?u=https://youtu.be/{YT}", "unsupported_host"),
    ("https://vk.com.evil.ru/video-1_2", "unsupported_host"),
    ("https://fakevk.com/video-1_2", "unsupported_host"),
    ("https://disk.yandex.ru.evil.com/i/AbCdEf12345678", "unsupported_host"),
    ("https://cloud.mail.ru.evil.com/public/4Kv1/aBcDeF123", "unsupported_host"),
    (f"https://music.youtube.com/watch?v={YT}", "unsupported_host"),
    ("https://example.com/lesson.mp4", "unsupported_host"),
    ('<iframe src="https://evil.com/video_ext.php?oid=-1&id=2&hash=x"></iframe>', "unsupported_host"),
    (f'<iframe src="https://www.youtube.com/embed/{YT}"></iframe>', "unsupported_host"),
    # IDs of the wrong shape, pages that are not a video
    ("https://rutube.ru/video/12345/", "malformed"),
    (f"https://rutube.ru/video/{RT}0/", "malformed"),
    (f"https://rutube.ru/video/{RT[:-1]}g/", "malformed"),
    ("https://rutube.ru/", "malformed"),
    (f"https://rutube.ru/video/private/{RT}/", "malformed"),
    (f"https://rutube.ru/video/private/{RT}/?p=<script>", "malformed"),
    ("https://vk.com/video-abc_def", "malformed"),
    ("https://vk.com/id12345", "malformed"),
    ("https://vk.com/wall-1_2", "malformed"),
    ("https://vk.com/video_ext.php?oid=-1&id=abc", "malformed"),
    ("https://vk.com/video_ext.php?oid=-1", "malformed"),
    ('https://vk.com/video_ext.php?oid=-1&id=2&hash="><script>', "malformed"),
    ("https://www.youtube.com/watch?v=short", "malformed"),
    (f"https://www.youtube.com/watch?v={YT}x", "malformed"),
    ("https://www.youtube.com/", "malformed"),
    ("https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG", "malformed"),
    ("https://www.youtube.com/@channel", "malformed"),
    ("https://youtu.be/", "malformed"),
    ("https://disk.yandex.ru/client/disk", "malformed"),
    ("https://disk.yandex.ru/i/", "malformed"),
    ("https://disk.yandex.ru/d/AbCdEf12345678/../../client", "malformed"),
    ("https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp", "malformed"),
    ("https://drive.google.com/file/d/short/view", "malformed"),
    ("https://cloud.mail.ru/home/video.mp4", "malformed"),
    ("https://cloud.mail.ru/public/4Kv1", "malformed"),
    # Not a link at all
    ("", "malformed"),
    ("   \n\t ", "malformed"),
    ("видео урока", "malformed"),
    (f"https://www.youtube.com/watch?v={YT}&x=" + "a" * 2000, "malformed"),
    (f"https://youtu.be/{YT} https://evil.com", "malformed"),
    ("https://[::1/", "malformed"),
    ('<iframe width="560"></iframe>', "malformed"),
    ("<script>alert(1)</script>", "malformed"),
]


def _ids(cases):
    return [case[0][:70] or "empty" for case in cases]


@pytest.mark.parametrize(("raw", "host", "video_id", "embed_url", "url"), ACCEPTED_LINKS, ids=_ids(ACCEPTED_LINKS))
def test_accepted_link(raw, host, video_id, embed_url, url):
    link = parse_video_link(raw)
    assert (link.host, link.video_id, link.embed_url, link.url) == (host, video_id, embed_url, url)


@pytest.mark.parametrize("raw", [case[0] for case in ACCEPTED_LINKS], ids=_ids(ACCEPTED_LINKS))
def test_normalised_link_parses_to_itself(raw):
    link = parse_video_link(raw)
    assert parse_video_link(link.url) == link
    assert link.url.startswith("https://")
    if link.embed_url is not None:
        assert any(link.embed_url.startswith(origin + "/") for origin in EMBED_HOSTS)


@pytest.mark.parametrize(("raw", "code"), REFUSED_LINKS, ids=_ids(REFUSED_LINKS))
def test_refused_link(raw, code):
    with translation.override("ru"), pytest.raises(ValidationError) as caught:
        parse_video_link(raw)
    assert caught.value.code == code
    (message,) = caught.value.messages
    assert ACCEPTED in message


def test_host_labels_in_russian():
    expected = {
        f"https://rutube.ru/video/{RT}/": "RuTube",
        "https://vk.com/video-1_2": "VK Видео",
        "https://disk.yandex.ru/i/AbCdEf12345678": "Яндекс Диск",
        f"https://youtu.be/{YT}": "YouTube",
        f"https://drive.google.com/file/d/{GD}/view": "Google Диск",
        "https://cloud.mail.ru/public/4Kv1/aBcDeF123": "Облако Mail.ru",
    }
    with translation.override("ru"):
        assert {url: str(parse_video_link(url).host_label) for url in expected} == expected


def test_link_is_frozen():
    link = parse_video_link(f"https://youtu.be/{YT}")
    assert isinstance(link, VideoLink)
    with pytest.raises(AttributeError):
        link.url = "javascript:alert(1)"


def test_help_text_and_embed_hosts():
    with translation.override("ru"):
        assert str(ACCEPTED_HOSTS_HELP).startswith(ACCEPTED)
    assert EMBED_HOSTS == {
        "https://rutube.ru",
        "https://vk.com",
        "https://vkvideo.ru",
        "https://www.youtube-nocookie.com",
        "https://drive.google.com",
    }


def test_exactly_the_length_limit_is_accepted():
    raw = f"https://www.youtube.com/watch?v={YT}&x="
    assert parse_video_link(raw + "a" * (2000 - len(raw))).video_id == YT
