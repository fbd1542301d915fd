"""Business rules for enrollments: every status change is checked and recorded with who, when and why."""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.history import history_bulk_record, history_context
from core.outgoing_emails import Letter, outgoing_emails_queue
from core.typography import inner_quotes
from core.zones import moment_text
from programs.models import EducationLevel, Organisation, Program, Season, Subject
from programs.signals import rows_changed

from . import consents
from .models import (
    Consent,
    Enrollment,
    EnrollmentStatusChange,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    Person,
    PersonalDataRequest,
    SchoolApplication,
    User,
)

logger = logging.getLogger(__name__)

S = Enrollment.Status

# Which statuses each status may move to. Reinstatement is excluded/withdrawn -> active.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.APPLIED: {S.ACTIVE, S.REJECTED, S.WITHDRAWN},
    S.ACTIVE: {S.WITHDRAWN, S.EXCLUDED, S.COMPLETED},
    S.REJECTED: {S.ACTIVE},
    S.WITHDRAWN: {S.ACTIVE},
    S.EXCLUDED: {S.ACTIVE},
    S.COMPLETED: {S.ACTIVE},
}
# These changes must carry a written reason.
REASON_REQUIRED = {S.REJECTED, S.EXCLUDED, S.WITHDRAWN}


# --- Higher apps' part of a status change -----------------------------------------------------------------
# participants cannot import the apps above it, yet a withdrawal or an exclusion ends, say, a mentoring pair
# (experts). Each such app registers here, from its AppConfig.ready(), a handler called inside the status
# change's own transaction: handler(enrollments=[...], to_status=..., changed_at=...), the enrollments already
# carrying their new status. A handler writes set-based; an error in it undoes the whole change.

StatusChangeHandler = Callable[..., None]
_status_change_handlers: dict[str, StatusChangeHandler] = {}


def register_status_change_handler(fn: StatusChangeHandler) -> None:
    """Register (or replace, on autoreload) a higher app's reaction to enrollments changing status."""
    _status_change_handlers[f"{fn.__module__}.{fn.__qualname__}"] = fn


def _status_changed(enrollments: Sequence[Enrollment], to_status: str, changed_at: datetime) -> None:
    if not enrollments:
        return
    for handler in _status_change_handlers.values():
        handler(enrollments=list(enrollments), to_status=to_status, changed_at=changed_at)


# --- E-mails -------------------------------------------------------------------------------------------


def _person_context(person: Person | None) -> dict | None:
    """The letter's addressee as JSON: the greeting names them by first name and patronymic when it is sent."""
    if person is None:
        return None
    return {"first_name": person.first_name, "middle_name": person.middle_name}


def _season_context(season: Season | None) -> dict | None:
    if season is None:
        return None
    return {"pk": season.pk, "title": str(season.title), "program": {"title": str(season.program.title)}}


def _absolute(site_url: str, path: str) -> str:
    return f"{site_url.rstrip('/')}{path}" if site_url else ""


def _address(person: Person) -> str:
    return person.email or (person.user.email if person.user_id else "")


def _status_emails(changes: Iterable[tuple[Enrollment, str]], to_status: str, reason: str, site_url: str):
    """Approval (applied → active) and rejection letters, only to people with an address."""
    letters = []
    for enrollment, from_status in changes:
        address = _address(enrollment.person)
        if not address:
            continue
        season = _season_context(enrollment.season)
        context = {
            "person": _person_context(enrollment.person),
            "season": season,
            "program": season["program"],
            "reason": reason.strip(),
            "cabinet_url": _absolute(site_url, reverse("cabinet")),
            # Seed 000 §4.4: joining the participants' chat is a condition of taking part.
            "chat_url": enrollment.season.chat_url,
            "chat_service": str(enrollment.season.chat_service_name),
        }
        if to_status == S.ACTIVE and from_status == S.APPLIED:
            letters.append(Letter(address, "enrollment_approved", context))
        elif to_status == S.REJECTED:
            letters.append(Letter(address, "enrollment_rejected", context))
    return letters


def _check(
    enrollment: Enrollment, to_status: str, reason: str, *, admitted: set[tuple[int, int]] | None = None
) -> None:
    """`admitted`: the (season, school) pairs with an approved application, read once for a bulk change."""
    if to_status not in ALLOWED_TRANSITIONS.get(enrollment.status, set()):
        raise ValidationError(
            _("Нельзя перевести участие из статуса «%(old)s» в «%(new)s».")
            % {"old": enrollment.get_status_display(), "new": S(to_status).label}
        )
    if to_status in REASON_REQUIRED and not reason.strip():
        raise ValidationError(
            _("Укажите причину: статус «%(new)s» без причины не ставится.") % {"new": S(to_status).label}
        )
    if to_status == S.ACTIVE:
        school_gate_check(
            season=enrollment.season,
            organisation_id=enrollment.person.organisation_id,
            enrollment=enrollment,
            admitted=admitted,
        )


@transaction.atomic
def enrollment_set_status(
    *, enrollment: Enrollment, to_status: str, actor: User | None, reason: str = "", site_url: str = ""
) -> Enrollment:
    """Move one enrollment to a new status, locking its row so that two coordinators cannot race.

    Approval and rejection are mailed to the person after the commit (site_url makes the cabinet link).
    """
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("person", "season__program")
        .get(pk=enrollment.pk)
    )
    _check(enrollment, to_status, reason)
    now = timezone.now()
    from_status = enrollment.status
    EnrollmentStatusChange.objects.create(
        enrollment=enrollment,
        from_status=from_status,
        to_status=to_status,
        changed_at=now,
        changed_by=actor,
        reason=reason.strip(),
    )
    enrollment.status = to_status
    enrollment.status_changed_at = now
    with history_context(user=actor):
        enrollment.save(update_fields=["status", "status_changed_at"])
    _status_changed([enrollment], to_status, now)
    if to_status in (S.ACTIVE, S.REJECTED):
        mailed = Enrollment.objects.select_related("person__user", "season__program").get(pk=enrollment.pk)
        outgoing_emails_queue(letters=_status_emails([(mailed, from_status)], to_status, reason, site_url))
    return enrollment


def enrollment_approve(*, enrollment: Enrollment, actor: User | None, reason: str = "") -> Enrollment:
    return enrollment_set_status(enrollment=enrollment, to_status=S.ACTIVE, actor=actor, reason=reason)


def enrollment_reject(*, enrollment: Enrollment, actor: User | None, reason: str) -> Enrollment:
    return enrollment_set_status(enrollment=enrollment, to_status=S.REJECTED, actor=actor, reason=reason)


def enrollment_withdraw(*, enrollment: Enrollment, actor: User | None, reason: str) -> Enrollment:
    return enrollment_set_status(enrollment=enrollment, to_status=S.WITHDRAWN, actor=actor, reason=reason)


def enrollment_exclude(*, enrollment: Enrollment, actor: User | None, reason: str) -> Enrollment:
    return enrollment_set_status(enrollment=enrollment, to_status=S.EXCLUDED, actor=actor, reason=reason)


def enrollment_reinstate(*, enrollment: Enrollment, actor: User | None, reason: str) -> Enrollment:
    if not reason.strip():
        raise ValidationError(_("Укажите причину восстановления."))
    return enrollment_set_status(enrollment=enrollment, to_status=S.ACTIVE, actor=actor, reason=reason)


@transaction.atomic
def enrollments_set_status(
    *, enrollments: Iterable[Enrollment], to_status: str, actor: User | None, reason: str = "", site_url: str = ""
) -> tuple[int, list[tuple[Enrollment, str]]]:
    """Bulk change for admin actions, set-based: returns (changed, [(enrollment, why it was skipped)]).

    Approval and rejection letters go out after the commit, all over one SMTP connection.
    """
    ids = [e.pk for e in enrollments]
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to the user.
    locked = list(
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("person__user", "season__program")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    ok, skipped = [], []
    gated = {e.season_id for e in locked if to_status == S.ACTIVE and season_requires_school_application(e.season)}
    admitted = schools_admitted(season_ids=gated) if gated else None
    for enrollment in locked:
        try:
            _check(enrollment, to_status, reason, admitted=admitted)
        except ValidationError as exc:
            skipped.append((enrollment, " ".join(exc.messages)))
        else:
            ok.append(enrollment)
    now = timezone.now()
    EnrollmentStatusChange.objects.bulk_create(
        EnrollmentStatusChange(
            enrollment=e,
            from_status=e.status,
            to_status=to_status,
            changed_at=now,
            changed_by=actor,
            reason=reason.strip(),
        )
        for e in ok
    )
    Enrollment.objects.filter(pk__in=[e.pk for e in ok]).update(status=to_status, status_changed_at=now)
    changes = [(e, e.status) for e in ok]  # each with the status it had: the letters depend on it
    for enrollment in ok:
        enrollment.status, enrollment.status_changed_at = to_status, now
    with history_context(user=actor):
        history_bulk_record(Enrollment, ok)
    _status_changed(ok, to_status, now)
    rows_changed.send(sender=Enrollment)
    rows_changed.send(sender=EnrollmentStatusChange)
    outgoing_emails_queue(letters=_status_emails(changes, to_status, reason, site_url))
    return len(ok), skipped


# --- Registration ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationData:
    """What the public registration form collects, already cleaned."""

    email: str
    password: str
    last_name: str
    first_name: str
    middle_name: str
    birth_date: date
    phone: str
    organisation: Organisation
    position: str
    education_level: str
    consent_personal_data: bool
    consent_rating: bool = False
    experience_years: int | None = None
    subjects: Sequence[Subject] = ()
    category: str = Person.Category.NONE
    preferred_format: str = ""
    gender: str = ""


def _name_key(*parts: str) -> tuple[str, ...]:
    # casefold in Python: SQLite compares Cyrillic case-sensitively, and «Ё» is often typed as «Е».
    return tuple(" ".join(p.split()).casefold().replace("ё", "е") for p in parts)


def _duplicate_person(data: RegistrationData) -> Person | None:
    """The same ФИО and birth date: birth date narrows to a handful of rows through its index."""
    wanted = _name_key(data.last_name, data.first_name, data.middle_name)
    for person in Person.objects.filter(birth_date=data.birth_date).order_by("pk"):
        if _name_key(person.last_name, person.first_name, person.middle_name) == wanted:
            return person
    return None


def places_left(season: Season) -> int | None:
    """Free places of the season (None: no limit); applied and active enrollments hold a place."""
    if season.capacity is None:
        return None
    taken = season.enrollments.filter(status__in=[S.APPLIED, S.ACTIVE]).count()
    return max(season.capacity - taken, 0)


def _eligibility_error(season: Season, education_level: str) -> ValidationError | None:
    allowed = season.eligible_education_levels or []
    if not allowed or education_level in allowed:
        return None
    labels = ", ".join(str(EducationLevel(level).label).lower() for level in allowed)
    return ValidationError(
        _("В программе могут участвовать педагоги с таким образованием: %(levels)s.") % {"levels": labels},
        code="not_eligible",
    )


def admission_for_admitted_schools(season: Season, now: datetime) -> bool:
    """Outside the registration window, a season of the «Методический абонемент» still takes the teachers of a
    school whose request it approved, for as long as it takes schools' requests (seed 004, §III.2: the school's
    request comes first, its teachers' requests follow)."""
    return (
        season_requires_school_application(season)
        and not season.registration_is_open(now)
        and school_application_window_is_open(season, now)
    )


def _admission_check(season: Season, now: datetime, organisation_id: int | None = None) -> None:
    """Window and places; the caller holds the season's row lock."""
    if admission_for_admitted_schools(season, now):
        school_gate_check(season=season, organisation_id=organisation_id)
    elif not season.registration_is_open(now):
        raise ValidationError(
            _("Регистрация на сезон «%(season)s» закрыта.") % {"season": season}, code="registration_closed"
        )
    if places_left(season) == 0:
        raise ValidationError(_("Все места в программе заняты."), code="no_places")


def _enroll(*, person: Person, season: Season, actor: User | None, now: datetime, reason: str, **extra) -> Enrollment:
    status = S.APPLIED if season.requires_approval else S.ACTIVE
    enrollment = Enrollment.objects.create(
        person=person, season=season, status=status, applied_at=now, status_changed_at=now, **extra
    )
    EnrollmentStatusChange.objects.create(
        enrollment=enrollment, from_status="", to_status=status, changed_at=now, changed_by=actor, reason=reason
    )
    return enrollment


@transaction.atomic
def registration_submit(
    *,
    season: Season,
    data: RegistrationData,
    now: datetime | None = None,
    site_url: str = "",
    hint_allowed: bool = True,
) -> Enrollment | None:
    """Register a new person for a season: window, places, eligibility, consent, duplicates — then create the
    account (unconfirmed), the person, their consents and the enrollment, in one transaction, and mail the
    confirmation link after the commit (site_url, e.g. "https://portal.example", makes the link absolute).

    An address that already has an account is not an error: the visitor must not learn who is registered, so the
    caller answers as for a new address; nothing is created, and the address itself is mailed the way in (see
    _known_address_hint) when `hint_allowed` (the caller's limit on letters a visitor can ask for). None then.

    Errors are ValidationError with a field name where one field caused them, so the form can show them there.
    """
    now = now or timezone.now()
    # Lock the season row: two last-place registrations must not both get in.
    season = Season.objects.select_for_update().get(pk=season.pk)
    organisation_id = data.organisation.pk if data.organisation else None
    try:
        _admission_check(season, now, organisation_id)
    except ValidationError as exc:
        if exc.code in ("school_not_admitted", "other_municipality"):
            raise ValidationError({"organisation": exc}) from exc
        raise
    not_eligible = _eligibility_error(season, data.education_level)
    if not_eligible is not None:
        raise ValidationError({"education_level": not_eligible})
    try:
        school_gate_check(season=season, organisation_id=organisation_id)
    except ValidationError as exc:
        raise ValidationError({"organisation": exc}) from exc
    if not data.consent_personal_data:
        raise ValidationError(
            {
                "consent_personal_data": ValidationError(
                    _("Без согласия на обработку персональных данных зарегистрироваться нельзя."),
                    code="consent_required",
                )
            }
        )
    email = User.objects.normalize_email(data.email).strip().lower()
    known = User.objects.filter(email__iexact=email).first()
    if known is not None:
        make_password(data.password)  # the work a new account's password costs: the answer's time tells nothing
        _known_address_hint(user=known, season=season, site_url=site_url, allowed=hint_allowed)
        return None
    if _duplicate_person(data) is not None:
        raise ValidationError(
            _(
                "Педагог с такими ФИО и датой рождения уже есть на портале. Войдите под своей почтой "
                "или обратитесь к координатору программы — второй раз регистрироваться не нужно."
            ),
            code="duplicate_person",
        )

    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=data.password, role=User.Role.TEACHER)
    except IntegrityError:  # the same address registered for another season at the same moment
        _known_address_hint(
            user=User.objects.get(email__iexact=email), season=season, site_url=site_url, allowed=hint_allowed
        )
        return None
    person = Person.objects.create(
        user=user,
        last_name=" ".join(data.last_name.split()),
        first_name=" ".join(data.first_name.split()),
        middle_name=" ".join(data.middle_name.split()),
        gender=data.gender,
        birth_date=data.birth_date,
        email=email,
        phone=data.phone.strip(),
        organisation=data.organisation,
        position=data.position.strip(),
        education_level=data.education_level,
        experience_years=data.experience_years,
        category=data.category or Person.Category.NONE,
    )
    if data.subjects:
        person.subjects.set(data.subjects)
    consent_texts = [consents.PERSONAL_DATA_PROCESSING] + ([consents.RATING_PUBLICATION] if data.consent_rating else [])
    Consent.objects.bulk_create(
        Consent(person=person, kind=c.kind, text_version=c.version, text_sha256=c.digest, given_at=now)
        for c in consent_texts
    )
    enrollment = _enroll(
        person=person,
        season=season,
        actor=user,
        now=now,
        reason=_("Регистрация на портале")
        if season.requires_approval
        else _("Регистрация на портале, без утверждения"),
        preferred_format=data.preferred_format.strip(),
    )
    outgoing_emails_queue(letters=[_confirmation_email(user=user, person=person, season=season, site_url=site_url)])
    return enrollment


def _known_address_hint(*, user: User, season: Season, site_url: str, allowed: bool) -> None:
    """Someone registered with an address that has an account: tell the address, not the visitor. An account
    still awaiting confirmation gets a fresh confirmation link; any other the way in — sign in or reset the
    password — and that a stranger's attempt can be ignored. An inactive account is sent nothing."""
    if not allowed or not user.is_active:
        return
    person = Person.objects.filter(user=user).first()
    if awaits_email_confirmation(user):
        outgoing_emails_queue(letters=[_confirmation_email(user=user, person=person, season=None, site_url=site_url)])
        return
    season_path = reverse("season_register", kwargs={"slug": season.program.slug, "season_id": season.pk})
    login_path = f"{reverse('login')}?next={season_path}"
    season_context = _season_context(season)
    context = {
        "person": _person_context(person),
        "season": season_context,
        "program": season_context["program"],
        "email": user.email,
        "login_url": _absolute(site_url, login_path) or login_path,
        "password_reset_url": _absolute(site_url, reverse("password_reset")) or reverse("password_reset"),
    }
    outgoing_emails_queue(letters=[Letter(user.email, "registration_known_address", context)])


def person_has_processing_consent(person: Person) -> bool:
    """Whether the person's consent to the processing of their personal data is in force (one query)."""
    return person.consents.filter(kind=consents.PERSONAL_DATA_PROCESSING.kind, withdrawn_at__isnull=True).exists()


@transaction.atomic
def enrollment_apply(
    *,
    person: Person,
    season: Season,
    preferred_format: str = "",
    consent_given: bool = False,
    now: datetime | None = None,
) -> Enrollment:
    """A person who already has an account applies for another season: the same window, places and
    eligibility rules as a new registration, with no second account.

    A person whose consent to processing is in force applies with it; one who withdrew it (or never gave it, as
    an imported person) must give it again with this application (`consent_given`): never silently.
    """
    now = now or timezone.now()
    season = Season.objects.select_for_update(of=("self",)).select_related("program").get(pk=season.pk)
    if Enrollment.objects.filter(person=person, season=season).exists():
        raise ValidationError(_("Вы уже подали заявку на этот сезон."), code="already_enrolled")
    _admission_check(season, now, person.organisation_id)
    not_eligible = _eligibility_error(season, person.education_level)
    if not_eligible is not None:
        raise not_eligible
    school_gate_check(season=season, organisation_id=person.organisation_id)
    if not person_has_processing_consent(person):
        if not consent_given:
            raise ValidationError(
                {"consent_personal_data": _("Без согласия на обработку персональных данных подать заявку нельзя.")},
                code="consent_required",
            )
        Consent.objects.create(
            person=person,
            kind=consents.PERSONAL_DATA_PROCESSING.kind,
            text_version=consents.PERSONAL_DATA_PROCESSING.version,
            text_sha256=consents.PERSONAL_DATA_PROCESSING.digest,
            given_at=now,
        )
    return _enroll(
        person=person,
        season=season,
        actor=person.user,
        now=now,
        reason=_("Заявка из личного кабинета"),
        preferred_format=preferred_format.strip(),
    )


# --- E-mail confirmation -------------------------------------------------------------------------------

EMAIL_CONFIRM_SALT = "participants.email-confirm"
EMAIL_CONFIRM_MAX_AGE = timedelta(days=3)


def email_confirm_token(*, user: User) -> str:
    """A signed, timestamped token naming the account and its address: a changed address voids it."""
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=EMAIL_CONFIRM_SALT)


def _confirmation_email(*, user: User, person: Person | None, season: Season | None, site_url: str) -> Letter:
    path = reverse("email_confirm", kwargs={"token": email_confirm_token(user=user)})
    context = {
        "person": _person_context(person),
        "season": _season_context(season),
        "confirm_url": _absolute(site_url, path) or path,
        "valid_days": EMAIL_CONFIRM_MAX_AGE.days,
        "login_url": _absolute(site_url, reverse("login")),
    }
    return Letter(user.email, "registration_confirm", context, secret=True)


def email_confirm(*, user: User, now: datetime | None = None) -> bool:
    """Mark the address confirmed; True when this call confirmed it, False when it already was."""
    changed = User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(
        email_confirmed_at=now or timezone.now()
    )
    return bool(changed)


# --- Methodical Subscription: a school's application (seed 004, §III.1–2) ----------------------------

SA = SchoolApplication.Status


def person_is_school_administrator(person: Person | None) -> bool:
    """A school's administrator: a manager (director, deputy) of an organisation, or a director's account."""
    if person is None or person.organisation_id is None:
        return False
    user = person.user
    return person.is_manager or (user is not None and user.role == User.Role.DIRECTOR)


def school_application_window_is_open(season: Season, now: datetime | None = None) -> bool:
    """Schools apply while the season takes registrations or while it runs."""
    now = now or timezone.now()
    return season.registration_is_open(now) or season.is_running(timezone.localdate(now, timezone=season.tz))


def school_application_check(*, season: Season, applicant: Person, now: datetime) -> None:
    """Whether this administrator may apply for their school now; raises ValidationError saying why not."""
    if season.program.kind != Program.Kind.SUBSCRIPTION:
        raise ValidationError(
            _("Заявки школ принимаются только в программу «Методический абонемент»."), code="not_subscription"
        )
    if not person_is_school_administrator(applicant):
        raise ValidationError(
            _("Заявку от имени школы подаёт её руководитель или заместитель руководителя."),
            code="not_school_administrator",
        )
    if applicant.organisation.municipality_id != season.program.municipality_id:
        raise ValidationError(
            _("Ваша организация относится к другому муниципалитету: заявку в эту программу подать нельзя."),
            code="other_municipality",
        )
    if not school_application_window_is_open(season, now):
        raise ValidationError(
            _(
                "Заявки школ на сезон «%(season)s» сейчас не принимаются: приём идёт, пока открыта регистрация "
                "и пока сезон продолжается."
            )
            % {"season": season},
            code="window_closed",
        )


@transaction.atomic
def school_application_submit(
    *,
    season: Season,
    applicant: Person,
    grounds: list[str],
    details: str = "",
    teachers_planned: int | None = None,
    now: datetime | None = None,
) -> SchoolApplication:
    """A school administrator's official request for the school to join a season of the Subscription."""
    now = now or timezone.now()
    # The season row serialises two administrators of one school submitting at the same moment.
    season = Season.objects.select_for_update().select_related("program").get(pk=season.pk)
    applicant = Person.objects.select_related("organisation", "user").get(pk=applicant.pk)
    school_application_check(season=season, applicant=applicant, now=now)
    chosen = [g for g in SchoolApplication.Ground.values if g in set(grounds)]
    errors = {}
    if not chosen or len(chosen) != len(set(grounds)):
        errors["grounds"] = ValidationError(
            _("Отметьте хотя бы одно основание для включения школы в проект."), code="grounds_required"
        )
    details = details.strip()
    needs_details = {SchoolApplication.Ground.VPR, SchoolApplication.Ground.DIAGNOSTICS} & set(chosen)
    if needs_details and not details:
        errors["details"] = ValidationError(
            _("Опишите результаты ВПР или выявленные дефициты: на их основании координатор рассмотрит заявку."),
            code="details_required",
        )
    if teachers_planned is not None and teachers_planned < 1:
        errors["teachers_planned"] = ValidationError(
            _("Укажите, сколько педагогов школы будут участвовать, — не меньше одного."), code="teachers_planned"
        )
    if errors:
        raise ValidationError(errors)
    existing = (
        SchoolApplication.objects.filter(
            season=season, organisation_id=applicant.organisation_id, status__in=[SA.APPLIED, SA.APPROVED]
        )
        .select_related("applicant")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            _(
                "Заявка школы «%(school)s» на этот сезон уже подана (%(when)s, %(who)s) и имеет статус "
                "«%(status)s». Вторая заявка не нужна."
            )
            % {
                "school": inner_quotes(str(applicant.organisation)),
                "when": timezone.localtime(existing.submitted_at, season.tz).strftime("%d.%m.%Y"),
                "who": existing.applicant.short_name,
                "status": existing.get_status_display(),
            },
            code="duplicate",
        )
    return SchoolApplication.objects.create(
        season=season,
        organisation_id=applicant.organisation_id,
        applicant=applicant,
        grounds=chosen,
        details=details,
        teachers_planned=teachers_planned,
        submitted_at=now,
    )


def _school_application_letters(application_ids: list[int]) -> list[Letter]:
    """The decision letters to the applicants who have an address (one query): rendered when sent, so JSON only."""
    letters = []
    applications = SchoolApplication.objects.select_related(
        "season__program", "organisation", "applicant__user"
    ).filter(pk__in=application_ids)
    for application in applications.order_by("pk"):
        address = _address(application.applicant)
        if not address:
            continue
        season = _season_context(application.season)
        context = {
            "person": _person_context(application.applicant),
            "approved": application.status == SA.APPROVED,
            "school": str(application.organisation),
            "season": season,
            "program": season["program"],
            "decision_reason": application.decision_reason,
            "cabinet_url": _absolute(settings.SITE_URL, reverse("cabinet") + "#cabinet-school-application"),
        }
        letters.append(Letter(address, "school_application_decided", context))
    return letters


@transaction.atomic
def school_application_decide(
    *,
    applications: Iterable[SchoolApplication],
    approve: bool,
    reason: str = "",
    by: User | None,
    now: datetime | None = None,
) -> tuple[int, list[tuple[SchoolApplication, str]]]:
    """Approve or reject applications under consideration, in bulk; each applicant is told by a letter queued in
    the same transaction (core.outgoing_emails: sent after the commit, retried while the mail server is down).

    Returns (decided, [(application, why it was skipped)]). A rejection must carry its reason.
    """
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Укажите причину отказа: её получит заявитель."), code="reason_required")}
        )
    now = now or timezone.now()
    ids = [a.pk for a in applications]
    locked = list(
        SchoolApplication.objects.select_for_update()
        .select_related("organisation", "season")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    to_status = SA.APPROVED if approve else SA.REJECTED
    decided, skipped = [], []
    for application in locked:
        if application.status != SA.APPLIED:
            skipped.append(
                (
                    application,
                    _("заявка уже рассмотрена (статус «%(status)s»).") % {"status": application.get_status_display()},
                )
            )
        else:
            decided.append(application)
    SchoolApplication.objects.filter(pk__in=[a.pk for a in decided]).update(
        status=to_status, decided_at=now, decided_by=by, decision_reason=reason
    )
    rows_changed.send(sender=SchoolApplication)
    outgoing_emails_queue(letters=_school_application_letters([a.pk for a in decided]), now=now)
    return len(decided), skipped


# --- Methodical Subscription: teachers come from schools whose request was approved (seed 004, §III.2) ------
#
# «на уровне муниципалитета: … согласование письменного обращения общеобразовательной организации о включении
# в программу педагогического коллектива в проект «Методический абонемент»; формирование банка запросов от
# тьюторантов» (Положение, раздел III, п. 2): the bank and the routes are for the teachers of admitted schools.

SCHOOL_GATE_SOURCE = gettext_lazy(
    "Приказ МКУ «ЦРОиОК» г. Армавира № 18 от 10.02.2021, Положение, раздел III, п. 2: педагоги участвуют от школы, "
    "чьё письменное обращение о включении в «Методический абонемент» согласовано"
)


def season_requires_school_application(season: Season) -> bool:
    """Seasons of the «Методический абонемент» kind of program admit teachers of approved schools only."""
    return season.program.kind == Program.Kind.SUBSCRIPTION


def school_is_admitted(*, season: Season, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    return SchoolApplication.objects.filter(
        season_id=season.pk, organisation_id=organisation_id, status=SA.APPROVED
    ).exists()


def schools_admitted(*, season_ids: set[int]) -> set[tuple[int, int]]:
    """The (season, school) pairs whose school application is approved, for many enrollments in one query."""
    return set(
        SchoolApplication.objects.filter(season_id__in=season_ids, status=SA.APPROVED).values_list(
            "season_id", "organisation_id"
        )
    )


def _school_gate_error() -> ValidationError:
    return ValidationError(
        _(
            "Ваша школа ещё не подала заявку на участие в «Методическом абонементе» или заявка не одобрена "
            "(Положение, раздел III, п. 2). Обратитесь к координатору."
        ),
        code="school_not_admitted",
    )


def school_gate_check(
    *,
    season: Season,
    organisation_id: int | None,
    enrollment: Enrollment | None = None,
    admitted: set[tuple[int, int]] | None = None,
) -> None:
    """Raise ValidationError unless the teacher's school is admitted to the season or a coordinator admitted the
    teacher with a written reason (the enrollment's override). `admitted` (from schools_admitted) spares the query."""
    if not season_requires_school_application(season):
        return
    if enrollment is not None and enrollment.has_school_gate_override:
        return
    if admitted is not None:
        if (season.pk, organisation_id) not in admitted:
            raise _school_gate_error()
    elif not school_is_admitted(season=season, organisation_id=organisation_id):
        other = (
            Organisation.objects.filter(pk=organisation_id)
            .exclude(municipality_id=season.program.municipality_id)
            .select_related("municipality")
            .first()
        )
        if other is not None:
            # No request of this school can ever be approved: the project takes its own municipality's schools.
            raise ValidationError(
                _(
                    "Программа «%(program)s» проводится для школ муниципалитета «%(here)s», а ваша организация "
                    "относится к муниципалитету «%(there)s»: подать заявку в эту программу нельзя."
                )
                % {
                    "program": season.program.title,
                    "here": season.program.municipality,
                    "there": other.municipality,
                },
                code="other_municipality",
            )
        raise _school_gate_error()


def user_may_override_school_gate(user: User | None, season: Season) -> bool:
    return user is not None and user.has_perm("participants.override_school_gate", season)


@transaction.atomic
def enrollment_school_gate_override(
    *, enrollment: Enrollment, actor: User, reason: str, now: datetime | None = None
) -> Enrollment:
    """A coordinator of the season admits a teacher whose school has no approved request: who, when and why are
    kept on the enrollment and in its journal."""
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",)).select_related("season__program").get(pk=enrollment.pk)
    )
    if not season_requires_school_application(enrollment.season):
        raise ValidationError(
            _("В этой программе заявка школы не требуется: допуск без неё не нужен."), code="not_subscription"
        )
    if not user_may_override_school_gate(actor, enrollment.season):
        raise ValidationError(
            _("Допустить педагога без одобренной заявки школы может только координатор этого сезона."),
            code="not_season_coordinator",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Укажите, на каком основании педагог допускается без одобренной заявки школы."),
                    code="reason_required",
                )
            }
        )
    enrollment.school_gate_override_reason = reason
    enrollment.school_gate_override_at = now or timezone.now()
    enrollment.school_gate_override_by = actor
    with history_context(user=actor, reason=_("Допуск без одобренной заявки школы (Положение, раздел III, п. 2)")):
        enrollment.save(
            update_fields=["school_gate_override_reason", "school_gate_override_at", "school_gate_override_by"]
        )
    return enrollment


# --- Quarterly feedback ------------------------------------------------------------------------------


@transaction.atomic
def feedback_submit(
    *, enrollment: Enrollment, year: int, quarter: int, answers: dict[int, object], by: User | None
) -> FeedbackResponse:
    """Store one participant's answers for a quarter: once per quarter, required questions answered,
    a scale within 1–5 and a choice among the question's choices.

    `answers` maps a question id to its value. Errors name the form field (q_<id>) that caused them.
    """
    # Lock the enrollment: a double click must not create two responses (the DB constraint is the last guard).
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",)).select_related("season", "person").get(pk=enrollment.pk)
    )
    if by is not None and not by.is_staff and enrollment.person.user_id != by.pk:
        raise ValidationError(_("Отвечать за другого участника нельзя."))
    if enrollment.status != S.ACTIVE:
        raise ValidationError(_("Отвечать на вопросы обратной связи могут только действующие участники программы."))
    if not 1 <= quarter <= 4:
        raise ValidationError(_("Квартал должен быть от 1 до 4."))
    if FeedbackResponse.objects.filter(enrollment=enrollment, year=year, quarter=quarter).exists():
        raise ValidationError(
            _(
                "Вы уже ответили на вопросы за %(quarter)s квартал %(year)s года. Спасибо! "
                "Следующий опрос — в новом квартале."
            )
            % {"quarter": quarter, "year": year},
            code="already_answered",
        )
    questions = list(
        FeedbackQuestion.objects.filter(
            season=enrollment.season, is_active=True, audience=FeedbackQuestion.Audience.PARTICIPANTS
        ).order_by("order", "pk")
    )
    if not questions:
        raise ValidationError(_("В этом сезоне нет вопросов обратной связи."))
    rows = [
        FeedbackAnswer(question=question, scale_value=scale, text_value=text)
        for question, scale, text in feedback_answers_check(questions=questions, answers=answers)
    ]
    response = FeedbackResponse.objects.create(enrollment=enrollment, year=year, quarter=quarter)
    for answer in rows:
        answer.response = response
    FeedbackAnswer.objects.bulk_create(rows)
    rows_changed.send(sender=FeedbackAnswer)
    return response


def feedback_answers_check(
    *, questions: list[FeedbackQuestion], answers: dict[int, object]
) -> list[tuple[FeedbackQuestion, int | None, str]]:
    """(question, scale value, text) for each answered question: required questions answered, a scale within
    1–5, a choice among the question's choices. Errors name the form field (q_<id>) that caused them; the
    experts' quarterly feedback is checked by the same rules."""
    errors: dict[str, list[ValidationError]] = {}
    rows = []
    for question in questions:
        name = f"q_{question.pk}"
        value = answers.get(question.pk)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if question.is_required:
                errors[name] = [ValidationError(_("Ответьте на этот вопрос: он обязательный."), code="required")]
            continue
        if question.kind == FeedbackQuestion.Kind.SCALE:
            if isinstance(value, bool) or str(value) not in {"1", "2", "3", "4", "5"}:
                errors[name] = [ValidationError(_("Оценка — целое число от 1 до 5."), code="scale")]
                continue
            rows.append((question, int(value), ""))
        elif question.kind == FeedbackQuestion.Kind.CHOICE:
            if value not in question.choices:
                errors[name] = [ValidationError(_("Выберите один из предложенных вариантов."), code="choice")]
                continue
            rows.append((question, None, value))
        else:
            rows.append((question, None, str(value)))
    if errors:
        raise ValidationError(errors)
    return rows


# --- Voluntary withdrawal ----------------------------------------------------------------------------


def coordinators_of(municipality_ids: Iterable[int]):
    """Active staff users of the «Координаторы» group who work in these municipalities, with an address."""
    from .roles import COORDINATORS

    return (
        User.objects.filter(
            is_active=True, is_staff=True, groups__name=COORDINATORS, municipality_id__in=list(municipality_ids)
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def season_coordinators(season: Season):
    """Active staff users of the «Координаторы» group who work in the season's municipality."""
    return coordinators_of([season.program.municipality_id])


def _withdrawal_letters(enrollment_ids: list[int], reason: str) -> list[Letter]:
    """One letter to each coordinator of each withdrawn enrollment's municipality (two queries whatever their
    number): who left, from where, when on the season's clock, why, and the enrollment's page in the admin."""
    enrollments = list(
        Enrollment.objects.select_related("person__organisation", "season__program")
        .filter(pk__in=enrollment_ids)
        .order_by("pk")
    )
    coordinators: dict[int, list[str]] = {}
    municipality_ids = {e.season.program.municipality_id for e in enrollments}
    for municipality_id, email in coordinators_of(municipality_ids).values_list("municipality_id", "email"):
        coordinators.setdefault(municipality_id, []).append(email)
    letters = []
    for enrollment in enrollments:
        person, season = enrollment.person, enrollment.season
        season_context = _season_context(season)
        path = reverse("admin:participants_enrollment_change", args=[enrollment.pk])
        context = {
            # The pk lets the person's erasure find the letters about them (participants.personal_data).
            "participant": {
                "pk": person.pk,
                "full_name": person.full_name,
                "organisation": person.organisation.name if person.organisation_id else "",
            },
            "season": season_context,
            "program": season_context["program"],
            "withdrawn_at": moment_text(enrollment.status_changed_at, season.tz),
            "reason": reason,
            "admin_url": _absolute(settings.SITE_URL, path),
        }
        letters += [
            Letter(address, "enrollment_withdrawn", context)
            for address in coordinators.get(season.program.municipality_id, [])
        ]
    return letters


@transaction.atomic
def enrollment_withdraw_by_participant(*, enrollment: Enrollment, by: User, reason: str) -> Enrollment:
    """The participant leaves a program of their own will (seed 000 §5.6): only their own applied or active
    enrollment, with a reason; the season's coordinators are told by letters queued with the change."""
    if enrollment.person.user_id != by.pk:
        raise ValidationError(_("Выйти из программы может только сам участник."))
    if enrollment.status not in (S.APPLIED, S.ACTIVE):
        raise ValidationError(
            _("Участие в статусе «%(status)s» завершить нельзя.") % {"status": enrollment.get_status_display()}
        )
    enrollment = enrollment_withdraw(enrollment=enrollment, actor=by, reason=reason)
    outgoing_emails_queue(letters=_withdrawal_letters([enrollment.pk], reason.strip()))
    return enrollment


# --- Personal data (152-FZ): export record and erasure ---------------------------------------------------


def personal_data_export_record(*, person: Person, by: User | None, fmt: str) -> PersonalDataRequest:
    """Record that the person downloaded their data (the file itself is made by participants.personal_data)."""
    now = timezone.now()
    return PersonalDataRequest.objects.create(
        person=person,
        person_ref=str(person.pk),
        kind=PersonalDataRequest.Kind.EXPORT,
        status=PersonalDataRequest.Status.DONE,
        requested_at=now,
        completed_at=now,
        processed_by=by,
        result=_("Выгрузка в формате %(fmt)s выдана участнику") % {"fmt": fmt.upper()},
    )


ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: a name that can never receive mail


def erased_full_name(person_id: int) -> tuple[str, str]:
    """(last name, first name) that replace the ФИО of an erased person."""
    return _("Удалённый участник"), f"№{person_id}"


@transaction.atomic
def person_erase(
    *,
    person: Person,
    by: User | None,
    reason: str = "",
    basis: str = PersonalDataRequest.Basis.REQUEST,
    request: PersonalDataRequest | None = None,
) -> PersonalDataRequest:
    """Anonymise a person (152-FZ, art. 21): ФИО, birth date, contacts and free text go; enrollments, statuses,
    attendance, scores and scale answers stay, so that KPIs keep their numbers.

    Every app's eraser (participants.personal_data registry) clears its own free text and files; files are
    removed from storage only after the transaction commits. The request row records what was done: `request`
    is an erasure already opened (a withdrawn consent's), otherwise a new row with `basis` is written. `by` is
    None when the portal itself destroys the data (the retention job).
    """
    from .personal_data import run_erasers

    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_anonymised:
        raise ValidationError(_("Данные этого человека уже обезличены."))
    now = timezone.now()
    if request is None:
        request = PersonalDataRequest.objects.create(
            person=person,
            person_ref=str(person.pk),
            kind=PersonalDataRequest.Kind.ERASURE,
            basis=basis,
            status=PersonalDataRequest.Status.REQUESTED,
            reason=reason.strip(),
            requested_at=now,
            processed_by=by,
        )
    else:
        request = PersonalDataRequest.objects.select_for_update().get(pk=request.pk)
        if (request.person_id, request.kind, request.status) != (
            person.pk,
            PersonalDataRequest.Kind.ERASURE,
            PersonalDataRequest.Status.REQUESTED,
        ):
            raise ValidationError(_("Этот запрос уже исполнен или относится к другому человеку."))
        request.processed_by = by
    done = [_("ФИО, пол, дата рождения, телефон, адрес почты и должность удалены")]
    done += run_erasers(person)

    person.last_name, person.first_name = erased_full_name(person.pk)
    person.middle_name = ""
    person.gender = ""
    person.birth_date = None
    person.email = ""
    person.phone = ""
    person.position = ""
    person.calendar_token = None
    person.is_anonymised = True
    person.save(
        update_fields=[
            "last_name",
            "first_name",
            "middle_name",
            "gender",
            "birth_date",
            "email",
            "phone",
            "position",
            "calendar_token",
            "is_anonymised",
        ]
    )
    withdrawn = Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(withdrawn_at=now)
    rows_changed.send(sender=Consent)
    if withdrawn:
        done.append(_("Отозвано согласий: %(n)d") % {"n": withdrawn})
    if person.user_id:
        user = User.objects.select_for_update().get(pk=person.user_id)
        user.email = f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["email", "password", "is_active"])
        done.append(_("Учётная запись отключена, адрес почты заменён, пароль удалён"))
    request.status = PersonalDataRequest.Status.DONE
    request.completed_at = now
    request.result = "\n".join(str(line) for line in done)
    request.save(update_fields=["status", "completed_at", "result", "processed_by"])
    return request


def email_confirm_by_token(*, token: str, now: datetime | None = None) -> tuple[User, bool]:
    """Confirm the address a link names: (user, confirmed by this call). ValidationError with code "expired"
    or "invalid" for a stale or altered link."""
    try:
        payload = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=EMAIL_CONFIRM_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("Срок действия ссылки истёк."), code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("Ссылка повреждена или недействительна."), code="invalid") from exc
    user = User.objects.filter(pk=payload.get("u"), email__iexact=payload.get("e", ""), is_active=True).first()
    if user is None:
        raise ValidationError(_("Ссылка повреждена или недействительна."), code="invalid")
    return user, email_confirm(user=user, now=now)


def awaits_email_confirmation(user: User) -> bool:
    """An account that registered itself and has not confirmed its address yet.

    Staff, demo and imported accounts were made by someone else (imported people confirm by setting their
    password through the mailed link), and anyone who has signed in before is not held back.
    """
    if user.email_confirmed_at is not None or user.last_login is not None:
        return False
    return EnrollmentStatusChange.objects.filter(
        changed_by=user, from_status="", enrollment__person__user=user
    ).exists()


@transaction.atomic
def email_confirm_resend(*, email: str, site_url: str = "") -> bool:
    """Mail a fresh confirmation link when the address belongs to an account awaiting confirmation.

    The caller must not tell the visitor which way it went: the answer is for tests and logs only.
    """
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).select_related("person").first()
    if user is None or not awaits_email_confirmation(user):
        return False
    person = getattr(user, "person", None)
    outgoing_emails_queue(letters=[_confirmation_email(user=user, person=person, season=None, site_url=site_url)])
    return True


def invitation_email(*, person: Person, season: Season, site_url: str) -> Letter:
    """An imported person's invitation with a password-set link (Django's password-reset token)."""
    user = person.user
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    season_context = _season_context(season)
    context = {
        "person": _person_context(person),
        "season": season_context,
        "program": season_context["program"],
        "set_password_url": _absolute(site_url, path) or path,
        "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
        "password_reset_url": _absolute(site_url, reverse("password_reset")),
        "email": user.email,
    }
    return Letter(user.email, "import_invitation", context, secret=True)


# --- Import of a Google Form export --------------------------------------------------------------------


@dataclass
class ImportRow:
    """One checked row of an import: what registration would collect, with the form's own timestamp."""

    row_number: int
    email: str
    last_name: str
    first_name: str
    middle_name: str
    organisation: Organisation
    consent_at: datetime
    birth_date: date | None = None
    phone: str = ""
    position: str = ""
    education_level: str = ""
    experience_years: int | None = None
    category: str = Person.Category.NONE
    subjects: list[Subject] = field(default_factory=list)
    consent_rating: bool = False
    preferred_format: str = ""


@dataclass(frozen=True)
class RowProblem:
    """One problem of an import file: its row (0: the file as a whole), the column key and the Russian message."""

    row_number: int  # 0: the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = _("Строка %(n)d") % {"n": self.row_number} if self.row_number else _("Файл")
        column = f" ({self.column})" if self.column else ""
        return f"{where}{column}: {self.message}"


class ImportRejected(Exception):
    """The import was refused as a whole; problems holds the row-by-row report."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def import_conflicts(*, season: Season, rows: Sequence[ImportRow]) -> list[RowProblem]:
    """Rows that clash with what the database already holds: an address or ФИО + birth date taken."""
    problems = []
    emails = {row.email for row in rows}
    taken = set(User.objects.annotate(lower=Lower("email")).filter(lower__in=emails).values_list("lower", flat=True))
    birth_dates = {row.birth_date for row in rows if row.birth_date}
    known = {}
    for person in Person.objects.filter(birth_date__in=birth_dates).only(
        "last_name", "first_name", "middle_name", "birth_date"
    ):
        known[(person.birth_date, _name_key(person.last_name, person.first_name, person.middle_name))] = person
    # An import creates enrollments like a registration does: schools not admitted to the season are refused.
    admitted = {row.organisation.pk for row in rows if row.organisation is not None}
    if season_requires_school_application(season):
        admitted = set(
            SchoolApplication.objects.filter(
                season_id=season.pk, organisation_id__in=admitted, status=SA.APPROVED
            ).values_list("organisation_id", flat=True)
        )
    for row in rows:
        if row.email in taken:
            problems.append(
                RowProblem(
                    row.row_number,
                    "email",
                    _("Адрес %(email)s уже зарегистрирован на портале.") % {"email": row.email},
                )
            )
        key = (row.birth_date, _name_key(row.last_name, row.first_name, row.middle_name))
        if row.birth_date and key in known:
            problems.append(
                RowProblem(
                    row.row_number,
                    "full_name",
                    _("Педагог «%(name)s» с этой датой рождения уже есть на портале.") % {"name": known[key]},
                )
            )
        not_eligible = _eligibility_error(season, row.education_level) if row.education_level else None
        if not_eligible is not None:
            problems.append(RowProblem(row.row_number, "education_level", not_eligible.messages[0]))
        if row.organisation is not None and row.organisation.pk not in admitted:
            problems.append(RowProblem(row.row_number, "organisation", _school_gate_error().messages[0]))
    left = places_left(season)
    if left is not None and len(rows) > left:
        problems.append(
            RowProblem(
                0,
                "",
                _("В сезоне осталось мест: %(left)d, а в файле участников: %(rows)d.")
                % {"left": left, "rows": len(rows)},
            )
        )
    return problems


@transaction.atomic
def registrations_import(
    *, season: Season, rows: Sequence[ImportRow], actor: User | None, now: datetime | None = None, site_url: str = ""
) -> list[Enrollment]:
    """Import checked rows of a Google Form export, all or nothing: accounts with an unusable password,
    people, consents dated by the form's timestamp, enrollments; then invitation letters after the commit.

    Raises ImportRejected with the report when anything clashes; then nothing is saved.
    """
    now = now or timezone.now()
    season = Season.objects.select_for_update().select_related("program").get(pk=season.pk)
    if not rows:
        raise ImportRejected([RowProblem(0, "", _("В файле нет ни одной строки с данными."))])
    problems = import_conflicts(season=season, rows=rows)
    if problems:
        raise ImportRejected(problems)

    users = []
    for row in rows:
        user = User(email=row.email, role=User.Role.TEACHER)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    people = Person.objects.bulk_create(
        Person(
            user=user,
            last_name=row.last_name,
            first_name=row.first_name,
            middle_name=row.middle_name,
            birth_date=row.birth_date,
            email=row.email,
            phone=row.phone,
            organisation=row.organisation,
            position=row.position,
            education_level=row.education_level,
            experience_years=row.experience_years,
            category=row.category or Person.Category.NONE,
        )
        for row, user in zip(rows, users, strict=True)
    )
    Through = Person.subjects.through
    Through.objects.bulk_create(
        Through(person_id=person.pk, subject_id=subject.pk)
        for row, person in zip(rows, people, strict=True)
        for subject in {s.pk: s for s in row.subjects}.values()
    )
    consent_rows = []
    for row, person in zip(rows, people, strict=True):
        texts = [consents.PERSONAL_DATA_PROCESSING] + ([consents.RATING_PUBLICATION] if row.consent_rating else [])
        consent_rows += [
            Consent(person=person, kind=c.kind, text_version=c.version, text_sha256=c.digest, given_at=row.consent_at)
            for c in texts
        ]
    Consent.objects.bulk_create(consent_rows)
    status = S.APPLIED if season.requires_approval else S.ACTIVE
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            person=person,
            season=season,
            status=status,
            applied_at=row.consent_at,
            status_changed_at=now,
            preferred_format=row.preferred_format,
        )
        for row, person in zip(rows, people, strict=True)
    )
    with history_context(user=actor, reason=_("Импорт из Google Формы")):
        history_bulk_record(Enrollment, enrollments, created=True)
    EnrollmentStatusChange.objects.bulk_create(
        EnrollmentStatusChange(
            enrollment=enrollment,
            from_status="",
            to_status=status,
            changed_at=now,
            changed_by=actor,
            reason=_("Импорт из Google Формы"),
        )
        for enrollment in enrollments
    )
    for model in (Person, Enrollment, EnrollmentStatusChange):
        rows_changed.send(sender=model)
    for person, user in zip(people, users, strict=True):
        person.user = user
    outgoing_emails_queue(
        letters=[invitation_email(person=person, season=season, site_url=site_url) for person in people], now=now
    )
    return enrollments


# --- Consents given or withdrawn from the cabinet ---------------------------------------------------------


@transaction.atomic
def consent_set(*, person: Person, kind: str, given: bool, now: datetime | None = None) -> Consent | None:
    """Give (the current text's version) or withdraw a person's consent of a kind; returns the consent in force.

    Safe to repeat: giving a consent already in force keeps it (its date and version stay what the person
    agreed to), withdrawing one not in force does nothing. Withdrawn consents stay as history (152-FZ).
    """
    text = consents.CURRENT.get(kind)
    if text is None:
        raise ValidationError(_("Неизвестный вид согласия."), code="unknown_kind")
    now = now or timezone.now()
    # Locking the person serialises two clicks at once, which the one-in-force constraint would otherwise reject.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    in_force = Consent.objects.filter(person=person, kind=kind, withdrawn_at__isnull=True).first()
    if given:
        if in_force is not None:
            return in_force
        return Consent.objects.create(
            person=person, kind=kind, text_version=text.version, text_sha256=text.digest, given_at=now
        )
    if in_force is not None:
        in_force.withdrawn_at = now
        in_force.save(update_fields=["withdrawn_at"])
    return None


CONSENT_WITHDRAWN_REASON = gettext_lazy("Отозвано согласие на обработку персональных данных")


@transaction.atomic
def personal_data_consent_withdraw(
    *, person: Person, by: User | None, now: datetime | None = None
) -> PersonalDataRequest:
    """The person withdraws their consent to processing (152-FZ art. 9 §2): the withdrawal is recorded, their
    current participation ends (a program cannot be run for a person whose data may not be processed), and an
    erasure is opened that the nightly job carries out within the law's 30 days (art. 21 §5) unless a coordinator
    does it sooner. Until then the person can still sign in and download their data.

    Safe to repeat: a second call finds the consent withdrawn and the erasure already open and returns it.
    """
    now = now or timezone.now()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_anonymised:
        raise ValidationError(_("Данные этого человека уже обезличены."))
    consent_set(person=person, kind=consents.PERSONAL_DATA_PROCESSING.kind, given=False, now=now)
    reason = str(CONSENT_WITHDRAWN_REASON)
    withdrawn = []
    for enrollment in Enrollment.objects.filter(person=person, status__in=(S.APPLIED, S.ACTIVE)).order_by("pk"):
        enrollment_withdraw(enrollment=enrollment, actor=by, reason=reason)
        withdrawn.append(enrollment.pk)
    # The seasons' coordinators learn of it as of any withdrawal.
    outgoing_emails_queue(letters=_withdrawal_letters(withdrawn, reason), now=now)
    open_request = PersonalDataRequest.objects.filter(
        person=person, kind=PersonalDataRequest.Kind.ERASURE, status=PersonalDataRequest.Status.REQUESTED
    ).first()
    if open_request is not None:
        return open_request
    return PersonalDataRequest.objects.create(
        person=person,
        person_ref=str(person.pk),
        kind=PersonalDataRequest.Kind.ERASURE,
        basis=PersonalDataRequest.Basis.CONSENT_WITHDRAWN,
        status=PersonalDataRequest.Status.REQUESTED,
        reason=reason,
        requested_at=now,
        processed_by=by,
    )
