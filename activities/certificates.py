"""Certificates (seed 000 §5.9): what is owed, how a number is made, and how PDFs are rendered.

Eligibility is set-based (a fixed number of queries whatever the number of enrollments). Rendering puts
many certificates into ONE WeasyPrint pass (one HTML document, a page break between certificates) and
splits the rendered document per certificate by the anchor each certificate's first page carries.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import io
import secrets
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef
from django.template.loader import render_to_string, select_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from participants.models import Enrollment
from programs.models import Season

from .models import FEEDBACK_KINDS, Activity, Attendance, Certificate
from .selectors_attendance import expected_marks

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)
OWED_STATUSES = (Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED)
BASE_TEMPLATE = "certificates/base.html"
CODE_BYTES = 15  # 120 bits of randomness, 20 URL-safe characters


@dataclass(frozen=True)
class Owed:
    """A certificate that should exist and does not (no valid one yet)."""

    enrollment_id: int
    activity_id: int | None  # None: the season certificate («за завершение программы»)
    hours: Decimal

    @property
    def kind(self) -> str:
        return Certificate.Kind.ACTIVITY if self.activity_id else Certificate.Kind.SEASON


def _attended_activities(
    *, now: datetime, season: Season | None = None, activity: Activity | None = None, enrollment_ids=None
):
    """(enrollment, activity, hours) rows for every activity whose required sessions were attended: one query.

    Only sessions that have ended by `now` count: a mark on a meeting still to come attests nothing.
    """
    # Real marks of participants expected (or, «По желанию», listed) at the session: another format's intensive
    # attended by mistake gives no certificate, a default mark never does.
    qs = expected_marks(
        Attendance.objects.filter(
            status__in=ATTENDED,
            is_default=False,
            enrollment__season_id=F("session__activity__season_id"),
            session__ends_at__lte=now,
        ),
        listed=True,
    ).order_by()
    if season is not None:
        qs = qs.filter(session__activity__season=season)
    if activity is not None:
        qs = qs.filter(session__activity=activity)
    if enrollment_ids is not None:
        qs = qs.filter(enrollment_id__in=enrollment_ids)
    return (
        qs.values(
            "enrollment__season__program_id",
            "enrollment__season_id",
            "enrollment_id",
            "session__activity_id",
            "session__activity__required_sessions",
            "session__activity__hours",
        )
        .annotate(attended=Count("session_id", distinct=True))
        .filter(attended__gte=F("session__activity__required_sessions"))
    )


def certificates_owed(
    *,
    now: datetime | None = None,
    season: Season | None = None,
    activity: Activity | None = None,
    enrollment_ids: Sequence[int] | None = None,
) -> list[Owed]:
    """Every certificate owed at `now` (in a stable order: program, season, enrollment, activity); at most three
    queries.

    - one per enrollment (active or completed) and certificate-giving activity whose attended sessions (present
      or late, ended by `now`) reach the activity's required number, without a valid certificate yet; never for
      a feedback meeting (seed 000 §5.9: «Исключение составляют встречи получения обратной связи от кураторов,
      методистов и психолога Проекта»);
    - one per completed enrollment of a season that issues a final certificate, with the hours of every
      activity attended, unless a valid season certificate exists. An activity-only run skips these.
    """
    now = now or timezone.now()
    valid_activity_certificate = Certificate.objects.filter(
        enrollment_id=OuterRef("enrollment_id"), activity_id=OuterRef("session__activity_id"), revoked_at__isnull=True
    )
    rows = (
        _attended_activities(now=now, season=season, activity=activity, enrollment_ids=enrollment_ids)
        .filter(
            enrollment__status__in=OWED_STATUSES,
            session__activity__gives_certificate=True,
            session__activity__is_feedback_meeting=False,
        )
        .exclude(session__activity__kind__in=sorted(FEEDBACK_KINDS))
        .filter(~Exists(valid_activity_certificate))
    )
    owed = [
        (
            (
                r["enrollment__season__program_id"],
                r["enrollment__season_id"],
                r["enrollment_id"],
                r["session__activity_id"],
            ),
            Owed(r["enrollment_id"], r["session__activity_id"], r["session__activity__hours"]),
        )
        for r in rows
    ]

    if activity is None:
        completed = Enrollment.objects.filter(
            status=Enrollment.Status.COMPLETED, season__issue_final_certificate=True
        ).filter(~Exists(Certificate.objects.filter(enrollment=OuterRef("pk"), kind="season", revoked_at__isnull=True)))
        if season is not None:
            completed = completed.filter(season=season)
        if enrollment_ids is not None:
            completed = completed.filter(pk__in=enrollment_ids)
        completed_rows = list(completed.values_list("season__program_id", "season_id", "pk"))
        if completed_rows:
            hours: dict[int, Decimal] = defaultdict(Decimal)
            attended = _attended_activities(now=now, season=season, enrollment_ids=[row[2] for row in completed_rows])
            for row in attended:
                hours[row["enrollment_id"]] += row["session__activity__hours"] or Decimal(0)
            owed += [((p, s, e, 0), Owed(e, None, hours[e])) for p, s, e in completed_rows]
    owed.sort(key=lambda pair: pair[0])
    return [item for _key, item in owed]


def certificate_year(*, season: Season, now: datetime) -> int:
    """The year in the number: the year of issue in the season's time zone."""
    return now.astimezone(ZoneInfo(season.time_zone)).year


def certificate_number(*, code: str, year: int, sequence: int) -> str:
    return f"{code}-{year}-{sequence:06d}"


def verification_code() -> str:
    """An unguessable code for the public verification link."""
    return secrets.token_urlsafe(CODE_BYTES)


def verify_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("certificate_verify", args=[code])


def certificate_title(*, activity: Activity | None) -> str:
    """What the certificate says it is for, frozen at issue."""
    return activity.title if activity is not None else _("за завершение программы")


# --- Rendering --------------------------------------------------------------------------------------


# A fixed data mask: any of the eight is valid for a reader, and segno's choice of the «best» one scores all
# eight in pure Python (~8 ms a code, a quarter of a certificate's rendering time).
QR_MASK = 0
QR_SCALE = 4  # pixels a module (the template scales the image to 30 mm without smoothing)
QR_BORDER = 2  # quiet zone, in modules
QR_DARK, QR_LIGHT = 0x1B, 0xFF  # #1b1b1b on white


def _qr_png(url: str) -> str:
    """The QR code as a PNG data URI: WeasyPrint lays out an inline SVG of ~1,000 squares ~10× slower.

    An 8-bit greyscale PNG made by Pillow: segno's palette PNG made WeasyPrint convert it to RGB and encode it
    again, and segno's own scaling walks every pixel in Python (~1.5 ms a certificate together).
    """
    from PIL import Image

    qr = segno.make(url, error="m", mask=QR_MASK, micro=False)
    rows = [bytes(QR_DARK if dark else QR_LIGHT for dark in row) for row in qr.matrix_iter(scale=1, border=QR_BORDER)]
    side = len(rows)
    image = Image.frombytes("L", (side, side), b"".join(rows))
    image = image.resize((side * QR_SCALE, side * QR_SCALE), Image.Resampling.NEAREST)
    data = io.BytesIO()
    image.save(data, format="PNG")
    return "data:image/png;base64," + base64.b64encode(data.getvalue()).decode("ascii")


def _template_for(program) -> str:
    return select_template([f"certificates/{program.slug}.html", BASE_TEMPLATE]).template.name


def _no_remote_fetcher():
    """Certificates embed everything (inline CSS, inline SVG): no file or network fetches at all."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


_fonts = threading.local()


def _font_config():
    """One WeasyPrint FontConfiguration per thread, kept between renders.

    A new one (WeasyPrint's default for each call) sets fontconfig and Pango up again and reloads the fonts:
    ~10 ms a call, a quarter of a certificate issued on its own. Pango's font map is not shared across threads.
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is laid out and written.

    A batch keeps every page's boxes alive until it is split, and each full collection walks them all again:
    with 200 certificates that was ~5 ms a certificate, a fifth of the time. The cycles left behind are
    collected as usual once the collector runs again. Only the caller that switched it off switches it on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _anchor(certificate: Certificate) -> str:
    return f"certificate-{certificate.pk}"


def certificates_render(certificates: Sequence[Certificate]) -> dict[int, bytes]:
    """Render PDFs for saved certificates (with enrollment → person, season → program and activity loaded).

    One WeasyPrint pass per program template (a batch is usually one program), split into one PDF per
    certificate. Returns {certificate pk: PDF bytes}.
    """
    from weasyprint import HTML

    by_template: dict[str, list[Certificate]] = defaultdict(list)
    for certificate in certificates:
        by_template[_template_for(certificate.enrollment.season.program)].append(certificate)
    result: dict[int, bytes] = {}
    with translation.override(settings.LANGUAGE_CODE), _collector_paused():
        for template, group in by_template.items():
            items = []
            for certificate in group:
                url = verify_url(certificate.code)
                items.append(
                    {
                        "certificate": certificate,
                        "anchor": _anchor(certificate),
                        "season": certificate.enrollment.season,
                        "program": certificate.enrollment.season.program,
                        "person": certificate.enrollment.person,
                        "qr": _qr_png(url),
                        "verify_url": url,
                    }
                )
            html = render_to_string(template, {"items": items})
            document = HTML(string=html, base_url=settings.SITE_URL, url_fetcher=_no_remote_fetcher()).render(
                font_config=_font_config()
            )
            starts = _first_pages(document, [item["anchor"] for item in items])
            bounds = [*starts, len(document.pages)]
            for index, certificate in enumerate(group):
                pages = document.pages[bounds[index] : bounds[index + 1]]
                result[certificate.pk] = document.copy(pages).write_pdf()
    return result


def _first_pages(document, anchors: Iterable[str]) -> list[int]:
    """The index of the page each anchor is on, in the anchors' order."""
    where: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            where.setdefault(name, index)
    starts = [where[anchor] for anchor in anchors]
    if starts != sorted(starts) or (starts and starts[0] != 0):
        raise RuntimeError("certificate pages are out of order")
    return starts


def pdf_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def certificates_for_render(pks: Iterable[int]):
    """Certificates with everything the template reads: one query."""
    return list(
        Certificate.objects.filter(pk__in=list(pks))
        .select_related("enrollment__person", "enrollment__season__program__organiser", "activity", "program")
        .order_by("sequence", "pk")
    )
