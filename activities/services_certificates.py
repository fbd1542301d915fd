"""Issuing, revoking and re-issuing certificates (seed 000 §5.9).

Each batch is ONE transaction: lock the program's number counter, insert the rows, render their PDFs in one
WeasyPrint pass, store the files, notify the teachers. A worker killed half-way leaves the batch
uncommitted (no row, no used number), so the next run gives the same numbers again: no duplicate, no gap.
A file left by the killed batch has the same name (the number) and is overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import history_bulk_record, history_context
from core.jobs import background_job_progress
from core.models import Notification
from core.notifications import NotificationDraft, notifications_create
from participants.models import Enrollment, User
from programs.signals import rows_changed

from .certificates import (
    Owed,
    certificate_number,
    certificate_title,
    certificate_year,
    certificates_for_render,
    certificates_owed,
    certificates_render,
    pdf_sha256,
    verification_code,
    verify_url,
)
from .models import Activity, Certificate, CertificateCounter

EMAIL_TEMPLATE = "certificate_issued"


def _still_owed(items: Sequence[Owed]) -> list[Owed]:
    """Drop what got a valid certificate since the list was made (another run): one query, under the lock."""
    if not items:
        return []
    taken = Q()
    for item in items:
        if item.activity_id:
            taken |= Q(enrollment_id=item.enrollment_id, activity_id=item.activity_id)
        else:
            taken |= Q(enrollment_id=item.enrollment_id, kind=Certificate.Kind.SEASON)
    existing = set(
        Certificate.objects.filter(taken, revoked_at__isnull=True).values_list("enrollment_id", "activity_id")
    )
    return [item for item in items if (item.enrollment_id, item.activity_id) not in existing]


def _lock_counters(keys: set[tuple[int, int]]) -> dict[tuple[int, int], CertificateCounter]:
    """The (program, year) counters, created if missing and locked until the transaction ends."""
    counters: dict[tuple[int, int], CertificateCounter] = {}
    for program_id, year in sorted(keys):  # a fixed order: two runs never wait on each other in a cycle
        CertificateCounter.objects.get_or_create(program_id=program_id, year=year)
        counters[(program_id, year)] = CertificateCounter.objects.select_for_update().get(
            program_id=program_id, year=year
        )
    return counters


def _store_pdf(certificate: Certificate, data: bytes) -> None:
    """Save the file under its number, replacing a leftover of a killed run with the same name."""
    storage = certificate.pdf.storage
    name = f"certificates/{certificate.year}/{certificate.number}.pdf"
    if storage.exists(name):
        storage.delete(name)
    certificate.pdf.name = storage.save(name, ContentFile(data))
    certificate.pdf_sha256 = pdf_sha256(data)


def _notify(certificates: Sequence[Certificate]) -> None:
    cabinet = reverse("cabinet") + "#cabinet-certificates"
    drafts = []
    for certificate in certificates:
        user_id = certificate.enrollment.person.user_id
        if not user_id:
            continue
        program = certificate.enrollment.season.program
        drafts.append(
            NotificationDraft(
                user_id=user_id,
                kind=Notification.Kind.CERTIFICATE,
                title=_("Выдан сертификат %(number)s") % {"number": certificate.number},
                body=_("«%(program)s»: %(title)s.") % {"program": program.title, "title": certificate.title},
                url=cabinet,
                dedupe_key=f"certificate:{certificate.pk}",
                email_template=EMAIL_TEMPLATE,
                email_context={
                    "number": certificate.number,
                    "title": certificate.title,
                    "program": program.title,
                    "hours": str(certificate.hours.normalize()),
                    "cabinet_url": settings.SITE_URL.rstrip("/") + cabinet,
                    "verify_url": verify_url(certificate.code),
                },
            )
        )
    notifications_create(drafts=drafts)


def _issue_batch(
    items: Sequence[Owed], *, now: datetime, by: User | None, reissue_of: dict[int, Certificate] | None = None
) -> list[Certificate]:
    """Issue one batch in the caller's transaction; returns the certificates made."""
    enrollments = {
        e.pk: e
        for e in Enrollment.objects.filter(pk__in={i.enrollment_id for i in items}).select_related(
            "season__program", "person"
        )
    }
    activities = Activity.objects.in_bulk({i.activity_id for i in items if i.activity_id})
    year_of = {pk: certificate_year(season=e.season, now=now) for pk, e in enrollments.items()}
    counters = _lock_counters(
        {(enrollments[i.enrollment_id].season.program_id, year_of[i.enrollment_id]) for i in items}
    )
    items = _still_owed(items) if reissue_of is None else list(items)
    if not items:
        return []
    rows = []
    for item in items:
        enrollment = enrollments[item.enrollment_id]
        program = enrollment.season.program
        counter = counters[(program.pk, year_of[enrollment.pk])]
        counter.last += 1
        activity = activities.get(item.activity_id) if item.activity_id else None
        previous = (reissue_of or {}).get(id(item))
        rows.append(
            Certificate(
                number=certificate_number(code=program.code, year=counter.year, sequence=counter.last),
                code=verification_code(),
                program=program,
                year=counter.year,
                sequence=counter.last,
                title=certificate_title(activity=activity)[:400],
                enrollment=enrollment,
                activity=activity,
                kind=item.kind,
                hours=item.hours,
                issued_at=now,
                issued_by=by,
                reissue_of=previous,
            )
        )
    Certificate.objects.bulk_create(rows)
    rows_changed.send(sender=Certificate)
    CertificateCounter.objects.bulk_update(counters.values(), ["last"])
    # bulk_create sets pks on PostgreSQL and SQLite; reload with what the template reads.
    certificates = certificates_for_render([row.pk for row in rows])
    pdfs = certificates_render(certificates)
    for certificate in certificates:
        _store_pdf(certificate, pdfs[certificate.pk])
    Certificate.objects.bulk_update(certificates, ["pdf", "pdf_sha256"])
    # One history row per certificate, as issued (number and PDF together).
    with history_context(user=by):
        history_bulk_record(Certificate, certificates, created=True)
    _notify(certificates)
    return certificates


def certificates_issue(
    *,
    now: datetime,
    season=None,
    activity: Activity | None = None,
    by: User | None = None,
    job_id: int | None = None,
    batch_size: int = 50,
    enrollment_ids: Sequence[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Issue every certificate owed (all seasons, one season, one activity or some enrollments) in batches.

    Safe to run twice (what exists is not owed) and safe to kill (each batch commits whole or not at all).
    `progress(looked_at, owed)` is called before the first batch and inside each batch's transaction, so the
    count commits with the certificates it counts (a long job reports from it what the database holds); `job_id`
    alone reports the counts of this run.
    Returns {"issued": n, "owed": n, "batches": n}.
    """
    owed = certificates_owed(now=now, season=season, activity=activity, enrollment_ids=enrollment_ids)
    total = len(owed)
    if progress is None and job_id is not None:

        def progress(looked_at: int, owed: int) -> None:
            background_job_progress(job_id=job_id, done=looked_at, total=owed)

    if progress is not None:
        progress(0, total)
    issued = batches = 0
    for start in range(0, total, batch_size):
        with transaction.atomic():
            made = _issue_batch(owed[start : start + batch_size], now=now, by=by)
            if progress is not None:
                # The count commits with the batch it counts: a worker killed between two commits would leave the
                # job's page behind what the database holds (docs/decisions/0003-background-job-lease.md).
                progress(min(start + batch_size, total), total)
        issued += len(made)
        batches += 1
    return {"issued": issued, "owed": total, "batches": batches}


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, by: User | None, reason: str, now: datetime | None = None
) -> Certificate:
    """Revoke a valid certificate with a written reason; its number stays taken and its page says «Отозван»."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину отзыва сертификата.")})
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("Сертификат %(number)s уже отозван.") % {"number": locked.number})
    locked.revoked_at, locked.revoked_by, locked.revoke_reason = now, by, reason
    with history_context(user=by):
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return locked


@transaction.atomic
def certificate_reissue(
    *, certificate: Certificate, by: User | None, reason: str, now: datetime | None = None
) -> Certificate:
    """Revoke the certificate and issue a new one (a new number and PDF) for the same thing, linked to it."""
    now = now or timezone.now()
    old = certificate_revoke(certificate=certificate, by=by, reason=reason, now=now)
    hours = old.hours
    if old.activity_id:
        hours = Activity.objects.values_list("hours", flat=True).get(pk=old.activity_id)
    item = Owed(old.enrollment_id, old.activity_id, hours)
    (new,) = _issue_batch([item], now=now, by=by, reissue_of={id(item): old})
    return new


def certificates_for_activity(activity: Activity):
    """The activity's valid certificates with a stored file, in number order (for the ZIP)."""
    return (
        Certificate.objects.filter(activity=activity, revoked_at__isnull=True)
        .exclude(pdf="")
        .select_related("enrollment__person")
        .order_by("sequence", "pk")
    )
