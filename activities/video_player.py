"""How a video lesson is played on a page, and where a comment's moment takes the viewer.

The expert's review page and the teacher's assignment page (with the experts' feedback) show the same player and
the same time-coded comments; both ask here (docs/decisions/0009-video-time-codes.md). Pure: no queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse

from .models import Submission
from .video_links import embed_url_at, file_url_at, moment_seconds, parse_video_link, watch_url_at

# Players static/js/review-player.js moves to a moment: our own <video> (currentTime), YouTube and RuTube by their
# postMessage APIs, VK by reopening its player at the moment. Others (Google Диск's preview, links only) cannot.
SEEKABLE_PLAYERS = frozenset({"file", "youtube", "rutube", "vk"})


def video_player(submission: Submission) -> dict:
    """kind (file, youtube, rutube, vk, other, link, none), src for the page's player, link (VideoLink)."""
    if submission.video_file:
        return {"kind": "file", "src": reverse("submission_file", args=[submission.pk])}
    try:
        link = parse_video_link(submission.video_url)
    except ValidationError:
        return {"kind": "none", "url": submission.video_url}
    if link.embed_url and link.host == "youtube":
        # enablejsapi=1: the player then takes seekTo / playVideo through postMessage (YouTube IFrame API).
        joiner = "&" if "?" in link.embed_url else "?"
        return {"kind": "youtube", "src": f"{link.embed_url}{joiner}enablejsapi=1", "link": link}
    if link.embed_url and link.host in ("rutube", "vk"):
        return {"kind": link.host, "src": link.embed_url, "link": link}
    if link.embed_url:
        return {"kind": "other", "src": link.embed_url, "link": link}
    return {"kind": "link", "link": link}


@dataclass(frozen=True)
class Moment:
    seconds: int
    # The page's player is moved there by review-player.js (the time code becomes a button).
    seek: bool
    # VK: the player's address reopened at the moment (its embed takes no commands from our page).
    reload_url: str | None
    # A plain link that opens the video by itself: at the moment where opens_at_moment, else at its start.
    open_url: str | None
    opens_at_moment: bool


def video_moment(player: dict, seconds, *, on_page: bool = True) -> Moment | None:
    """Where the time code `seconds` takes the viewer; on_page=False for a version whose player is not on the page
    (then only a plain link). None for a moment no address can carry (moment_seconds)."""
    seconds = moment_seconds(seconds)
    if seconds is None:
        return None
    kind, link = player["kind"], player.get("link")
    seek = on_page and kind in SEEKABLE_PLAYERS
    reload_url = embed_url_at(link, seconds) if seek and kind == "vk" else None
    if kind == "file":
        open_url = file_url_at(player["src"], seconds)
    elif link is not None:
        open_url = watch_url_at(link, seconds)
    else:
        open_url = None
    if open_url is not None:
        return Moment(seconds, seek, reload_url, open_url, opens_at_moment=True)
    return Moment(seconds, seek, reload_url, link.url if link is not None else None, opens_at_moment=False)
