"""Recognise a teacher's video link, refuse anything unsafe, and tell how the video can be shown.

Pure Python: no database, no network. Hosts are compared exactly (after lowercasing and dropping
``www.`` / ``m.``), never by substring, and every URL we hand back is rebuilt from validated parts.
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 2000

HOST_LABELS = {
    "rutube": _("RuTube"),
    "vk": _("VK Видео"),
    "yandex_disk": _("Яндекс Диск"),
    "youtube": _("YouTube"),
    "google_drive": _("Google Диск"),
    "mailru_cloud": _("Облако Mail.ru"),
}

ACCEPTED_HOSTS_HELP = _("Принимаются ссылки на RuTube, VK Видео, Яндекс Диск, YouTube, Google Диск и Облако Mail.ru.")

# The iframe origins a Content-Security-Policy (frame-src) has to allow for every embed_url we produce.
EMBED_HOSTS = frozenset(
    {
        "https://rutube.ru",
        "https://vk.com",
        "https://vkvideo.ru",
        "https://www.youtube-nocookie.com",
        "https://drive.google.com",
    }
)


def embed_origins() -> tuple[str, ...]:
    """The origins of every player iframe we embed, sorted: the Content-Security-Policy's frame-src."""
    return tuple(sorted(EMBED_HOSTS))


_HOSTS = {
    "rutube.ru": "rutube",
    "vk.com": "vk",
    "vkvideo.ru": "vk",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "youtube-nocookie.com": "youtube",
    "disk.yandex.ru": "yandex_disk",
    "disk.yandex.com": "yandex_disk",
    "yadi.sk": "yandex_disk",
    "drive.google.com": "google_drive",
    "docs.google.com": "google_drive",
    "cloud.mail.ru": "mailru_cloud",
}

_BAD_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

_RUTUBE_ID = r"([0-9a-fA-F]{32})"
_RUTUBE_KEY = re.compile(r"[A-Za-z0-9_-]{1,100}")
_VK_VIDEO = r"(-?\d{1,20})_(\d{1,20})"
_VK_HASH = re.compile(r"[A-Za-z0-9]{1,64}")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_TIME = re.compile(r"(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?")
_DRIVE_ID = re.compile(r"[A-Za-z0-9_-]{10,100}")
_DRIVE_KEY = re.compile(r"[A-Za-z0-9_-]{1,100}")
_KEY = r"([A-Za-z0-9_-]{4,100})"


@dataclass(frozen=True)
class VideoLink:
    host: str
    host_label: str
    url: str
    embed_url: str | None
    video_id: str | None


# Hosts whose embedded player opens at a given moment through its address, and how they write it
# (docs/decisions/0009-video-time-codes.md): YouTube's «start» in seconds (developers.google.com/youtube/
# player_parameters), RuTube's «t» in seconds (github.com/evikza/
# Rutube-Player-JS-API-Doc; rutube.ru/info/embed), VK Видео's «t» as
# «1m30s», what VK's own «Начать с» share writes (VK publishes no parameter list for video_ext.php).
_START_PARAMS = {"youtube": "start", "rutube": "t", "vk": "t"}

# No lesson recording lasts a day: a moment beyond that (or below zero) is a bad comment, not a place to link to.
MAX_MOMENT_SECONDS = 24 * 3600


def moment_seconds(seconds) -> int | None:
    """A comment's moment as whole seconds fit for an address; None for anything else (negative, a day or more,
    not a number)."""
    if isinstance(seconds, bool):
        return None
    try:
        value = int(seconds)
    except (TypeError, ValueError):
        return None
    return value if 0 <= value < MAX_MOMENT_SECONDS else None


def _vk_time(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if hours or minutes else "") + f"{secs}s"


def _with_query(url: str, name: str, value: str, *extra: tuple[str, str]) -> str:
    parts = urlsplit(url)
    drop = {name, *(key for key, _value in extra)}
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in drop]
    query += [(name, value), *extra]
    return urlunsplit(parts._replace(query=urlencode(query)))


def embed_url_at(link: VideoLink, seconds: int) -> str | None:
    """The embedded player's address that opens the video at `seconds` and plays it; None where the host's embed
    takes no start time (Google Диск's preview), there is no embed at all, or the moment is out of range."""
    name = _START_PARAMS.get(link.host)
    seconds = moment_seconds(seconds)
    if name is None or not link.embed_url or seconds is None:
        return None
    value = _vk_time(seconds) if link.host == "vk" else str(seconds)
    return _with_query(link.embed_url, name, value, ("autoplay", "1"))


def watch_url_at(link: VideoLink, seconds: int) -> str | None:
    """The host's own page of the video opening at `seconds` — what its «Поделиться → Начать с» gives: YouTube
    «t=754s», RuTube «t=754», VK Видео «t=12m34s». None for hosts whose page takes no start time (Яндекс Диск,
    Google Диск, Облако Mail.ru) or a moment out of range."""
    seconds = moment_seconds(seconds)
    if seconds is None or link.host not in _START_PARAMS:
        return None
    if link.host == "youtube":
        return _with_query(f"https://www.youtube.com/watch?v={link.video_id}", "t", f"{seconds}s")
    if link.host == "rutube":
        return _with_query(link.url, "t", str(seconds))
    if urlsplit(link.url).path == "/video_ext.php":
        # A VK video opened by its hash has no public page: its player is the page.
        return embed_url_at(link, seconds)
    return _with_query(link.url, "t", _vk_time(seconds))


def file_url_at(url: str, seconds: int) -> str | None:
    """Our own file's address opening at `seconds` in the browser's player: the W3C Media Fragments temporal
    fragment «#t=754» (www.w3.org/TR/media-frags/#naming-time). None for a moment out of range."""
    seconds = moment_seconds(seconds)
    if seconds is None:
        return None
    return f"{url.split('#', 1)[0]}#t={seconds}"


def _error(reason, code: str) -> ValidationError:
    return ValidationError(format_lazy("{} {}", reason, ACCEPTED_HOSTS_HELP), code=code)


def _malformed(host: str | None = None) -> ValidationError:
    if host is None:
        return _error(_("Это не похоже на ссылку на видео."), "malformed")
    reason = gettext("Ссылка на %(host)s не похожа на ссылку на видео: скопируйте её со страницы видео.")
    return _error(reason % {"host": HOST_LABELS[host]}, "malformed")


def _is_junk(char: str) -> bool:
    # Spaces, control and invisible format characters (zero-width space, BOM) that browsers also ignore.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def _strip(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_junk(text[start]):
        start += 1
    while end > start and _is_junk(text[end - 1]):
        end -= 1
    return text[start:end]


def parse_video_link(raw: str) -> VideoLink:
    """The video behind a teacher's link or VK embed code; ValidationError with a Russian message if none."""
    text = _strip(str(raw or ""))
    if not text:
        raise _error(_("Вставьте ссылку на видео."), "malformed")
    if len(text) > MAX_LENGTH:
        reason = gettext("Ссылка слишком длинная: больше %(max)d символов.") % {"max": MAX_LENGTH}
        raise _error(reason, "malformed")
    if text.startswith("<"):
        return _parse_embed_code(text)
    return _parse_url(text)


def stored_video_link(raw: str) -> VideoLink | None:
    """The video behind a link saved earlier, or None when today's rules no longer read it (a host changed its
    addresses): a page listing old versions shows «ссылка не распознаётся» instead of failing."""
    if not raw:
        return None
    try:
        return parse_video_link(raw)
    except ValidationError:
        return None


def _parse_embed_code(text: str) -> VideoLink:
    match = re.fullmatch(
        r"""<iframe\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))[^>]*>\s*(?:</iframe\s*>)?""",
        text,
        flags=re.IGNORECASE | re.DOTALL,
    )
    if match is None:
        raise _error(_("Вставьте ссылку на видео или код плеера VK Видео (<iframe …>)."), "malformed")
    src = html.unescape(next(group for group in match.groups() if group is not None))
    link = _parse_url(_strip(src))
    if link.host != "vk":
        raise _error(
            _("Код для вставки принимается только от VK Видео; для других сайтов вставьте ссылку."), "unsupported_host"
        )
    return link


def _parse_url(text: str) -> VideoLink:
    # Browsers drop tabs and line breaks anywhere in a URL ("java\nscript:" is "javascript:").
    text = re.sub(r"[\t\r\n]", "", text)
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", text)
    if scheme and scheme.group(1).lower() in _BAD_SCHEMES:
        raise _error(_("Такие ссылки не принимаются: ссылка на видео должна начинаться с https://."), "bad_scheme")
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text):
        if scheme.group(1).lower() not in _DEFAULT_PORTS:
            raise _error(_("Ссылка на видео должна начинаться с https://."), "bad_scheme")
    elif scheme and "." not in scheme.group(1):
        # "mailto:…", "tel:…", "about:…" — a scheme, not a host name followed by a port.
        raise _error(_("Ссылка на видео должна начинаться с https://."), "bad_scheme")
    elif text.startswith("//"):
        text = "https:" + text
    else:
        text = "https://" + text
    if any(_is_junk(char) or char == "\\" for char in text):
        raise _malformed()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise _malformed() from None
    if "@" in parts.netloc:
        raise _error(_("В ссылке не должно быть имени пользователя или пароля."), "unsupported_host")
    if port is not None and port != _DEFAULT_PORTS[parts.scheme.lower()]:
        raise _error(_("В ссылке на видео не должно быть номера порта."), "unsupported_host")
    hostname = (parts.hostname or "").rstrip(".")
    for prefix in ("www.", "m."):
        hostname = hostname.removeprefix(prefix)
    host = _HOSTS.get(hostname)
    if host is None:
        raise _error(_("Этот сайт не поддерживается."), "unsupported_host")
    query = parse_qs(parts.query)
    link = _PARSERS[host](hostname, parts.path, query)
    if link is None:
        raise _malformed(host)
    return link


def _param(query: dict, name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def _link(host: str, url: str, embed_url: str | None, video_id: str | None) -> VideoLink:
    return VideoLink(host=host, host_label=HOST_LABELS[host], url=url, embed_url=embed_url, video_id=video_id)


def _rutube(hostname: str, path: str, query: dict) -> VideoLink | None:
    match = re.fullmatch(rf"/(video|video/private|play/embed|shorts)/{_RUTUBE_ID}/?", path)
    if match is None:
        return None
    kind, video_id = match.group(1), match.group(2).lower()
    key = _param(query, "p")
    if key is not None and not _RUTUBE_KEY.fullmatch(key):
        return None
    if kind == "video/private" and key is None:
        raise _error(
            _("В ссылке на закрытое видео RuTube нет ключа доступа (?p=…): скопируйте ссылку целиком."), "malformed"
        )
    embed_url = f"https://rutube.ru/play/embed/{video_id}"
    if key is not None:
        return _link("rutube", f"https://rutube.ru/video/private/{video_id}/?p={key}", f"{embed_url}?p={key}", video_id)
    if kind == "shorts":
        return _link("rutube", f"https://rutube.ru/shorts/{video_id}/", embed_url, video_id)
    return _link("rutube", f"https://rutube.ru/video/{video_id}/", embed_url, video_id)


def _vk(hostname: str, path: str, query: dict) -> VideoLink | None:
    site = f"https://{hostname}"
    kind = "video"
    owner = video = video_hash = None
    if match := re.fullmatch(rf"/(video|clip){_VK_VIDEO}/?", path):
        kind, owner, video = match.groups()
    elif path == "/video_ext.php":
        owner, video, video_hash = _param(query, "oid"), _param(query, "id"), _param(query, "hash")
        if owner is None or video is None or not re.fullmatch(_VK_VIDEO, f"{owner}_{video}"):
            return None
        if video_hash is not None and not _VK_HASH.fullmatch(video_hash):
            return None
    elif match := re.fullmatch(rf"(video|clip){_VK_VIDEO}(?:/.*)?", _param(query, "z") or "", flags=re.DOTALL):
        # A video opened over a wall post or a playlist: vk.com/wall-1_2?z=video-12345_67890%2F…
        kind, owner, video = match.groups()
    else:
        return None
    embed_url = "https://vk.com/video_ext.php?" + urlencode({"oid": owner, "id": video})
    if video_hash is not None:
        # The hash opens a video that is not public; only the player link keeps it.
        embed_url += f"&hash={video_hash}"
        return _link("vk", embed_url, embed_url, f"{owner}_{video}")
    return _link("vk", f"{site}/{kind}{owner}_{video}", embed_url, f"{owner}_{video}")


def _youtube_start(query: dict) -> int | None:
    value = _param(query, "t") or _param(query, "start")
    match = _YOUTUBE_TIME.fullmatch(value or "")
    if not value or match is None:
        return None
    hours, minutes, seconds = (int(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds or None


def _youtube(hostname: str, path: str, query: dict) -> VideoLink | None:
    if hostname == "youtu.be":
        match = re.fullmatch(r"/([^/]+)/?", path)
    elif hostname == "youtube-nocookie.com":
        match = re.fullmatch(r"/embed/([^/]+)/?", path)
    elif path in ("/watch", "/watch/"):
        match = re.fullmatch(r"(.+)", _param(query, "v") or "")
    else:
        match = re.fullmatch(r"/(?:shorts|live|embed|v)/([^/]+)/?", path)
    if match is None or not _YOUTUBE_ID.fullmatch(match.group(1)):
        return None
    video_id = match.group(1)
    start = _youtube_start(query)
    url = f"https://www.youtube.com/watch?v={video_id}"
    embed_url = f"https://www.youtube-nocookie.com/embed/{video_id}"
    if start:
        url += f"&t={start}s"
        embed_url += f"?start={start}"
    return _link("youtube", url, embed_url, video_id)


def _shared_folder_path(inner: str | None) -> str | None:
    """A file inside a shared folder ("/<path>", re-quoted so nothing raw reaches the page); "" for the folder
    itself; None when the path climbs out with "." or ".."."""
    inner = (inner or "").strip("/")
    if any(segment in (".", "..") for segment in unquote(inner).split("/")):
        return None
    return "/" + quote(unquote(inner), safe="/") if inner else ""


def _yandex_disk(hostname: str, path: str, query: dict) -> VideoLink | None:
    match = re.fullmatch(rf"/(i|d)/{_KEY}(/.*)?", path, flags=re.DOTALL)
    if match is None:
        return None
    kind, key, inner = match.groups()
    suffix = _shared_folder_path(inner)
    if suffix is None:
        return None
    return _link("yandex_disk", f"https://{hostname}/{kind}/{key}{suffix}", None, key)


def _google_drive(hostname: str, path: str, query: dict) -> VideoLink | None:
    if match := re.fullmatch(r"/file(?:/u/\d+)?/d/([^/]+)(?:/(?:view|edit|preview))?/?", path):
        file_id = match.group(1)
    elif path in ("/open", "/uc") and hostname == "drive.google.com":
        file_id = _param(query, "id") or ""
    else:
        return None
    if not _DRIVE_ID.fullmatch(file_id):
        return None
    suffix = ""
    resource_key = _param(query, "resourcekey")
    if resource_key is not None:
        # Files shared before 2021 open only with their resource key.
        if not _DRIVE_KEY.fullmatch(resource_key):
            return None
        suffix = f"?resourcekey={resource_key}"
    base = f"https://drive.google.com/file/d/{file_id}"
    return _link("google_drive", f"{base}/view{suffix}", f"{base}/preview{suffix}", file_id)


def _mailru_cloud(hostname: str, path: str, query: dict) -> VideoLink | None:
    match = re.fullmatch(r"/public/([A-Za-z0-9_-]{2,50})/([A-Za-z0-9_-]{2,50})(/.*)?", path, flags=re.DOTALL)
    if match is None:
        return None
    first, second, inner = match.groups()
    suffix = _shared_folder_path(inner)
    if suffix is None:
        return None
    return _link("mailru_cloud", f"https://cloud.mail.ru/public/{first}/{second}{suffix}", None, f"{first}/{second}")


_PARSERS = {
    "rutube": _rutube,
    "vk": _vk,
    "youtube": _youtube,
    "yandex_disk": _yandex_disk,
    "google_drive": _google_drive,
    "mailru_cloud": _mailru_cloud,
}
