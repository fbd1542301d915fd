"""Certificates (seed 000 §5.9): what is owed, how a number is made, and how PDFs are rendered.

Eligibility is set-based (a fixed number of queries whatever the number of enrollments). Rendering lays each
design (program template, activity or season) out with WeasyPrint once and draws every certificate's own
texts and QR code onto it (activities.certificates_pdf).
"""

from __future__ import annotations

import gc
import hashlib
import re
import secrets
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string, select_template
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from participants.gender import person_gender
from participants.models import Enrollment
from programs.models import Season

from .certificates_pdf import DesignCache, DocumentInfo, overlay, tagged_fields
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


# Latin letters that look like Cyrillic ones: a number typed on a Latin keyboard («PK27-2026-1» for «РК27…»).
_LOOK_ALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u00ad_./]+")
# «ПК27-2026-000001»: the program's code (up to 8 characters, digits allowed), the year, the sequence.
_NUMBER_WITH_SEPARATORS = re.compile(r"([^\W_]{1,8})-(\d{4})-(\d{1,9})")
# «ПП2026000001» typed without separators: unambiguous only when the code is letters.
_NUMBER_RUN_TOGETHER = re.compile(r"([^\W\d_]{1,8})(\d{4})(\d{1,9})")
NUMBER_INPUT_MAX_LENGTH = 64


def certificate_number_candidates(raw: str) -> list[str]:
    """The printed numbers as stored («ПП-2026-000001») that what a person typed may mean: any case, hyphens,
    dashes or spaces between the parts (or none), Latin look-alike letters, the sequence's leading zeros left
    out. Empty when it is not a number's shape."""
    text = _SEPARATORS.sub("-", unicodedata.normalize("NFKC", raw or "").upper()).strip("-")
    match = _NUMBER_WITH_SEPARATORS.fullmatch(text) or _NUMBER_RUN_TOGETHER.fullmatch(text)
    if match is None:
        return []
    code, year, sequence = match.groups()
    codes = dict.fromkeys([code.translate(_LOOK_ALIKES), code])  # the Cyrillic reading first, as typed after
    numbers = [certificate_number(code=c, year=int(year), sequence=int(sequence)) for c in codes]
    return list(dict.fromkeys([*numbers, f"{code}-{year}-{sequence}"]))  # last: its own padding, as typed


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


def _qr_image(url: str):
    """The QR code as an 8-bit greyscale Pillow image, QR_SCALE pixels a module, drawn into the design's QR box.

    segno's own scaling walks every pixel in Python; Pillow scales the one-pixel-a-module matrix instead.
    """
    from PIL import Image

    qr = segno.make(url, error="m", mask=QR_MASK, micro=False)
    rows = [bytes(QR_DARK if dark else QR_LIGHT for dark in row) for row in qr.matrix_iter(scale=1, border=QR_BORDER)]
    side = len(rows)
    image = Image.frombytes("L", (side, side), b"".join(rows))
    return image.resize((side * QR_SCALE, side * QR_SCALE), Image.Resampling.NEAREST)


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
    ~10 ms a call. Pango's font map is not shared across threads.
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is drawn and written.

    A batch allocates many short-lived PDF objects, and each full collection walks them all again. The cycles
    left behind are collected as usual once the collector runs again. Only the caller that switched it off
    switches it on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_designs = DesignCache()


def _render_design(html: str):
    from weasyprint import HTML

    return HTML(string=html, base_url=settings.SITE_URL, url_fetcher=_no_remote_fetcher()).render(
        font_config=_font_config()
    )


NBSP = "\u00a0"
# Initials and a surname, either way round: «О.П. Митяшова», «О. П. Митяшова», «Митяшова О. П.».
_INITIALS = r"(?:[А-ЯЁA-Z]\.\s*){1,2}"
_SURNAME = r"[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?"
_NAME = re.compile(rf"{_INITIALS}{_SURNAME}\b|\b{_SURNAME}\s+{_INITIALS}")
# The signatory's font size by its length: the block keeps its width and wraps between words, a long line of
# title and office takes a smaller size so the block stays inside the footer (tests/activities/test_certificate_pdfa.py).
SIGNATORY_SIZES = ((100, "10.5pt"), (150, "9pt"))
SIGNATORY_SMALLEST = "8pt"  # 200 characters (the field's limit) take four lines of the 90 mm block


def signatory_text(text: str) -> str:
    """The signatory with its initials and surname joined by non-breaking spaces: never «О.П.» on one line and
    «Митяшова» on the next."""
    return _NAME.sub(_joined, " ".join(text.split()))


def _joined(match: re.Match) -> str:
    name = match.group(0)
    trailing = name[len(name.rstrip()) :]  # the space after «О. П.» in «Митяшова О. П. директор» stays a space
    return NBSP.join(name.split()) + trailing


def signatory_size(text: str) -> str:
    return next((size for limit, size in SIGNATORY_SIZES if len(text) <= limit), SIGNATORY_SMALLEST)


def _design_context(certificate: Certificate) -> dict:
    """What a design may read: the texts shared by every certificate of one activity or season (and one
    grammatical gender of the holder's sentence). The holder, the hours, the date, the number and the link are
    each certificate's own (`_personal_texts`), never in the design."""
    season = certificate.enrollment.season
    program = season.program
    signatory = signatory_text(season.certificate_signatory or program.organiser.name)
    return {
        "certificate": SimpleNamespace(activity_id=certificate.activity_id, title=certificate.title),
        "season": SimpleNamespace(title=season.title),
        "program": SimpleNamespace(title=program.title),
        "signatory": SimpleNamespace(text=signatory, size=signatory_size(signatory)),
        "holder": SimpleNamespace(gender=person_gender(certificate.enrollment.person)),
    }


def _design_key(template: str, context: dict) -> tuple:
    certificate, season, program = context["certificate"], context["season"], context["program"]
    return (
        template,
        bool(certificate.activity_id),
        certificate.title,
        season.title,
        context["signatory"].text,
        program.title,
        context["holder"].gender,
    )


def _document_info(certificate: Certificate, url: str) -> DocumentInfo:
    """The PDF's own metadata: the number and the holder, the issuing body, the program and what for, the date
    of issue (in the season's time zone) — the same whenever the certificate is rendered."""
    season = certificate.enrollment.season
    program = season.program
    return DocumentInfo(
        title=_("Сертификат № %(number)s — %(holder)s")
        % {"number": certificate.number, "holder": certificate.enrollment.person.full_name},
        author=program.organiser.name,
        subject=f"{program.title}: {certificate.title}",
        created=timezone.localtime(certificate.issued_at, ZoneInfo(season.time_zone)).replace(microsecond=0),
        qr_text=_("QR-код ссылки для проверки сертификата: %(url)s") % {"url": url},
    )


def _personal_texts(certificate: Certificate, url: str) -> dict[str, str]:
    """The texts drawn into the design's boxes for one certificate (the template names the boxes)."""
    season = certificate.enrollment.season
    issued = timezone.localtime(certificate.issued_at, ZoneInfo(season.time_zone))
    hours = ""
    if certificate.hours:
        hours = _("Объём: %(hours)s ч.") % {"hours": floatformat(certificate.hours, "-1")}
    return {
        "holder": certificate.enrollment.person.full_name,
        "hours": hours,
        "issued": f"{_('Дата выдачи:')} {dateformat.format(issued, 'j E Y')}",
        "number": f"№ {certificate.number}",
        "verify": f"{_('Проверить:')} {url}",
    }


def certificates_render(certificates: Sequence[Certificate]) -> dict[int, bytes]:
    """Render PDFs for saved certificates (with enrollment → person, season → program and activity loaded).

    Each design (program template, activity or season, signatory) is laid out by WeasyPrint once; each
    certificate is that page with its own layer of text and QR code (activities.certificates_pdf), a one-page
    PDF of its own. Alone or in a batch, a certificate comes out the same. Returns {certificate pk: PDF bytes}.
    """
    result: dict[int, bytes] = {}
    designs: dict[tuple, object] = {}
    with translation.override(settings.LANGUAGE_CODE), _collector_paused():
        for certificate in certificates:
            template = _template_for(certificate.enrollment.season.program)
            context = _design_context(certificate)
            key = _design_key(template, context)
            base = designs.get(key)
            if base is None:
                base = designs[key] = _designs.get(render_to_string(template, context), _render_design)
            url = verify_url(certificate.code)
            texts = _personal_texts(certificate, url)
            layer = overlay(base.design, texts, _qr_image(url))
            fields = tagged_fields(base.design, texts, qr=True)
            result[certificate.pk] = base.merge(layer, _document_info(certificate, url), fields)
    return result


def pdf_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def certificates_for_render(pks: Iterable[int]):
    """Certificates with everything the template reads: one query."""
    return list(
        Certificate.objects.filter(pk__in=list(pks))
        .select_related("enrollment__person", "enrollment__season__program__organiser", "activity", "program")
        .order_by("sequence", "pk")
    )
