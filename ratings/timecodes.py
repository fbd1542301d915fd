"""Time-coded comments of a review: "12:40 — текст" lines, parsed, formatted and linked to their moment. Pure
Python: no queries."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from activities.video_player import video_moment

_LINE = re.compile(r"^\s*(?P<time>\d{1,3}(?::\d{1,2}){1,2})(?=\s|[—–-]|$)\s*(?:[—–-]+\s*)?(?P<text>.*)$")
# Something that looks meant as a time but is not written with colons: "12.40 — …", "12,40 …".
_ALMOST = re.compile(r"^\s*\d{1,3}[.,]\d{2}(?:[.,]\d{2})?(?=\s|[—–-]|$)")


def parse_timecode(value: str) -> int:
    """Seconds from "12:40" (minutes:seconds) or "1:02:03" (hours:minutes:seconds); ValueError otherwise."""
    parts = value.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise ValueError(value)
    numbers = [int(p) for p in parts]
    if len(parts[-1]) != 2 or numbers[-1] > 59:
        raise ValueError(value)
    if len(numbers) == 3 and (len(parts[1]) != 2 or numbers[1] > 59):
        raise ValueError(value)
    seconds = 0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds


def format_timecode(seconds: int) -> str:
    """12:40 below an hour, 1:02:03 from an hour on."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def parse_comment_lines(text: str) -> list[tuple[int | None, str]]:
    """One comment a line: "12:40 — текст" gives a time-coded comment, a line without a time a general one.
    Every bad line is reported at once, by its number, in Russian."""
    comments: list[tuple[int | None, str]] = []
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            if _ALMOST.match(line):
                errors.append(
                    _("Строка %(n)s: время пишется через двоеточие — например, 12:40 или 1:02:03.") % {"n": number}
                )
            else:
                comments.append((None, line.strip()))
            continue
        try:
            seconds = parse_timecode(match["time"])
        except ValueError:
            errors.append(
                _(
                    "Строка %(n)s: время «%(time)s» записано неверно. Пишите минуты и секунды (12:40) или часы, "
                    "минуты и секунды (1:02:03); секунд и минут — не больше 59."
                )
                % {"n": number, "time": match["time"]}
            )
            continue
        if not match["text"].strip():
            errors.append(_("Строка %(n)s: после времени напишите сам комментарий.") % {"n": number})
            continue
        comments.append((seconds, match["text"].strip()))
    if errors:
        raise ValidationError(errors)
    return comments


def comment_lines(comments) -> str:
    """Saved comments back as the lines the expert typed."""
    lines = []
    for comment in comments:
        if comment.at_seconds is None:
            lines.append(comment.text)
        else:
            lines.append(f"{format_timecode(comment.at_seconds)} — {comment.text}")
    return "\n".join(lines)


def timecode_rows(comments, player: dict, *, on_page: bool = True) -> list[dict]:
    """A review's comments for templates/ratings/_timecodes.html: at ("12:40", "" for a general remark), text, and
    moment (activities.video_player.Moment: where the time takes the viewer; None for a general remark)."""
    rows = []
    for comment in comments:
        timed = comment.at_seconds is not None
        rows.append(
            {
                "at": format_timecode(comment.at_seconds) if timed else "",
                "text": comment.text,
                "moment": video_moment(player, comment.at_seconds, on_page=on_page) if timed else None,
            }
        )
    return rows
