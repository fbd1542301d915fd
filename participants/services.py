"""Business rules for enrollments: every status change is checked and recorded with who, when and why."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import EducationLevel, Organisation, Program, Season

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


def _check(enrollment: Enrollment, to_status: str, reason: str) -> None:
    if to_status not in ALLOWED_TRANSITIONS.get(enrollment.status, set()):
        raise ValidationError(
            _("Нельзя перевести участие из статуса «%(old)s» в «%(new)s».")
            % {"old": enrollment.get_status_display(), "new": S(to_status).label}
        )
    if to_status in REASON_REQUIRED and not reason.strip():
        raise ValidationError(
            _("Укажите причину: статус «%(new)s» без причины не ставится.") % {"new": S(to_status).label}
        )


@transaction.atomic
def enrollment_set_status(
    *, enrollment: Enrollment, to_status: str, actor: User | None, reason: str = ""
) -> Enrollment:
    """Move one enrollment to a new status, locking its row so that two coordinators cannot race."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    _check(enrollment, to_status, reason)
    now = timezone.now()
    EnrollmentStatusChange.objects.create(
        enrollment=enrollment,
        from_status=enrollment.status,
        to_status=to_status,
        changed_at=now,
        changed_by=actor,
        reason=reason.strip(),
    )
    enrollment.status = to_status
    enrollment.status_changed_at = now
    enrollment.save(update_fields=["status", "status_changed_at"])
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


def enrollment_complete(*, enrollment: Enrollment, actor: User | None, reason: str = "") -> Enrollment:
    return enrollment_set_status(enrollment=enrollment, to_status=S.COMPLETED, actor=actor, reason=reason)


@transaction.atomic
def enrollments_set_status(
    *, enrollments: Iterable[Enrollment], to_status: str, actor: User | None, reason: str = ""
) -> tuple[int, list[tuple[Enrollment, str]]]:
    """Bulk change for admin actions, set-based: returns (changed, [(enrollment, why it was skipped)])."""
    ids = [e.pk for e in enrollments]
    locked = list(Enrollment.objects.select_for_update().select_related("person").filter(pk__in=ids).order_by("pk"))
    ok, skipped = [], []
    for enrollment in locked:
        try:
            _check(enrollment, to_status, reason)
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
    consent_pd: bool
    consent_rating: bool = False
    experience_years: int | None = None


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


@transaction.atomic
def registration_submit(*, season: Season, data: RegistrationData, now: datetime | None = None) -> Enrollment:
    """Register a new person for a season: window, places, eligibility, consent, duplicates — then create the
    account (unconfirmed), the person, their consents and the enrollment, in one transaction.

    Errors are ValidationError with a field name where one field caused them, so the form can show them there.
    """
    now = now or timezone.now()
    # Lock the season row: two last-place registrations must not both get in.
    season = Season.objects.select_for_update().get(pk=season.pk)
    if not season.registration_is_open(now):
        raise ValidationError(
            _("Регистрация на сезон «%(season)s» закрыта.") % {"season": season}, code="registration_closed"
        )
    if season.capacity is not None:
        taken = season.enrollments.filter(status__in=[S.APPLIED, S.ACTIVE]).count()
        if taken >= season.capacity:
            raise ValidationError(_("Все места в программе заняты."), code="no_places")
    allowed = season.eligible_education_levels or []
    if allowed and data.education_level not in allowed:
        labels = ", ".join(str(EducationLevel(level).label).lower() for level in allowed)
        raise ValidationError(
            {
                "education_level": ValidationError(
                    _("В программе могут участвовать педагоги с таким образованием: %(levels)s.") % {"levels": labels},
                    code="not_eligible",
                )
            }
        )
    if not data.consent_pd:
        raise ValidationError(
            {
                "consent_pd": ValidationError(
                    _("Без согласия на обработку персональных данных зарегистрироваться нельзя."),
                    code="consent_required",
                )
            }
        )
    email = User.objects.normalize_email(data.email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    _(
                        "Этот адрес уже зарегистрирован на портале. Войдите в личный кабинет "
                        "или восстановите пароль — второй учётной записи не нужно."
                    ),
                    code="duplicate_email",
                )
            }
        )
    if _duplicate_person(data) is not None:
        raise ValidationError(
            _(
                "Педагог с такими ФИО и датой рождения уже есть на портале. Войдите под своей почтой "
                "или обратитесь к координатору программы — второй раз регистрироваться не нужно."
            ),
            code="duplicate_person",
        )

    user = User.objects.create_user(email=email, password=data.password, role=User.Role.TEACHER)
    person = Person.objects.create(
        user=user,
        last_name=data.last_name.strip(),
        first_name=data.first_name.strip(),
        middle_name=data.middle_name.strip(),
        birth_date=data.birth_date,
        email=email,
        phone=data.phone.strip(),
        organisation=data.organisation,
        position=data.position.strip(),
        education_level=data.education_level,
        experience_years=data.experience_years,
    )
    consent_texts = [consents.PD_PROCESSING] + ([consents.RATING_PUBLICATION] if data.consent_rating else [])
    Consent.objects.bulk_create(
        Consent(person=person, kind=c.kind, text_version=c.version, text_sha256=c.digest, given_at=now)
        for c in consent_texts
    )
    status = S.APPLIED if season.requires_approval else S.ACTIVE
    enrollment = Enrollment.objects.create(
        person=person, season=season, status=status, applied_at=now, status_changed_at=now
    )
    EnrollmentStatusChange.objects.create(
        enrollment=enrollment,
        from_status="",
        to_status=status,
        changed_at=now,
        changed_by=user,
        reason=_("Регистрация на портале")
        if season.requires_approval
        else _("Регистрация на портале, без утверждения"),
    )
    return enrollment


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
                "school": applicant.organisation,
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


def _school_application_email(application_id: int) -> None:
    application = (
        SchoolApplication.objects.select_related("season__program", "organisation", "applicant__user")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return
    applicant = application.applicant
    to = applicant.email or (applicant.user.email if applicant.user_id else "")
    if not to:
        return
    context = {
        "application": application,
        "approved": application.status == SA.APPROVED,
        "person": applicant,
        "site_name": settings.PORTAL_NAME,
    }
    subject = " ".join(render_to_string("emails/school_application_decided/subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string("emails/school_application_decided/body.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string("emails/school_application_decided/body.html", context), "text/html")
    message.send()


@transaction.atomic
def school_application_decide(
    *,
    applications: Iterable[SchoolApplication],
    approve: bool,
    reason: str = "",
    by: User | None,
    now: datetime | None = None,
) -> tuple[int, list[tuple[SchoolApplication, str]]]:
    """Approve or reject applications under consideration, in bulk; each applicant is told by e-mail.

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
    for application in decided:
        transaction.on_commit(lambda pk=application.pk: _school_application_email(pk))
    return len(decided), skipped


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
    questions = list(FeedbackQuestion.objects.filter(season=enrollment.season, is_active=True).order_by("order", "pk"))
    if not questions:
        raise ValidationError(_("В этом сезоне нет вопросов обратной связи."))
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
        answer = FeedbackAnswer(question=question)
        if question.kind == FeedbackQuestion.Kind.SCALE:
            if isinstance(value, bool) or str(value) not in {"1", "2", "3", "4", "5"}:
                errors[name] = [ValidationError(_("Оценка — целое число от 1 до 5."), code="scale")]
                continue
            answer.scale_value = int(value)
        elif question.kind == FeedbackQuestion.Kind.CHOICE:
            if value not in question.choices:
                errors[name] = [ValidationError(_("Выберите один из предложенных вариантов."), code="choice")]
                continue
            answer.text_value = value
        else:
            answer.text_value = str(value)
        rows.append(answer)
    if errors:
        raise ValidationError(errors)
    response = FeedbackResponse.objects.create(enrollment=enrollment, year=year, quarter=quarter)
    for answer in rows:
        answer.response = response
    FeedbackAnswer.objects.bulk_create(rows)
    return response


# --- Voluntary withdrawal ----------------------------------------------------------------------------


def _send_templated_email(*, name: str, to: list[str], context: dict) -> int:
    """Send templates/emails/<name>/ subject.txt, body.txt and body.html to each address separately."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    context = {"site_name": settings.PORTAL_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{name}/subject.txt", context).split())
    text = render_to_string(f"emails/{name}/body.txt", context)
    html = render_to_string(f"emails/{name}/body.html", context)
    sent = 0
    for address in to:
        message = EmailMultiAlternatives(subject, text, to=[address])
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent


def season_coordinators(season: Season):
    """Active staff users of the «Координаторы» group who work in the season's municipality."""
    from .roles import COORDINATORS

    return (
        User.objects.filter(
            is_active=True,
            is_staff=True,
            groups__name=COORDINATORS,
            municipality_id=season.program.municipality_id,
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def _withdrawal_notify(*, enrollment_id: int, reason: str, admin_url: str) -> None:
    import logging

    enrollment = Enrollment.objects.select_related("person__organisation", "season__program").get(pk=enrollment_id)
    recipients = list(season_coordinators(enrollment.season).values_list("email", flat=True))
    if not recipients:
        return
    try:
        _send_templated_email(
            name="enrollment_withdrawn",
            to=recipients,
            context={"enrollment": enrollment, "person": enrollment.person, "reason": reason, "admin_url": admin_url},
        )
    except Exception:  # the withdrawal is already recorded; a mail outage must not turn it into an error page
        logging.getLogger(__name__).exception("withdrawal e-mail for enrollment %s was not sent", enrollment_id)


@transaction.atomic
def enrollment_withdraw_by_participant(
    *, enrollment: Enrollment, by: User, reason: str, admin_url: str = ""
) -> Enrollment:
    """The participant leaves a program of their own will (seed 000 §5.6): only their own applied or active
    enrollment, with a reason; the season's coordinators are told by e-mail once the change is committed."""
    if enrollment.person.user_id != by.pk:
        raise ValidationError(_("Выйти из программы может только сам участник."))
    if enrollment.status not in (S.APPLIED, S.ACTIVE):
        raise ValidationError(
            _("Участие в статусе «%(status)s» завершить нельзя.") % {"status": enrollment.get_status_display()}
        )
    enrollment = enrollment_withdraw(enrollment=enrollment, actor=by, reason=reason)
    reason = reason.strip()
    transaction.on_commit(lambda: _withdrawal_notify(enrollment_id=enrollment.pk, reason=reason, admin_url=admin_url))
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
def person_erase(*, person: Person, by: User | None, reason: str = "") -> PersonalDataRequest:
    """Anonymise a person at their request (152-FZ, art. 21): ФИО, birth date, contacts and free text go;
    enrollments, statuses, attendance, scores and scale answers stay, so that KPIs keep their numbers.

    Every app's eraser (participants.personal_data registry) clears its own free text and files; files are
    removed from storage only after the transaction commits. The request row records what was done.
    """
    from .personal_data import run_erasers

    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_anonymised:
        raise ValidationError(_("Данные этого человека уже обезличены."))
    now = timezone.now()
    request = PersonalDataRequest.objects.create(
        person=person,
        person_ref=str(person.pk),
        kind=PersonalDataRequest.Kind.ERASURE,
        status=PersonalDataRequest.Status.REQUESTED,
        reason=reason.strip(),
        requested_at=now,
        processed_by=by,
    )
    done = [_("ФИО, дата рождения, телефон, адрес почты и должность удалены")]
    done += run_erasers(person)

    person.last_name, person.first_name = erased_full_name(person.pk)
    person.middle_name = ""
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
            "birth_date",
            "email",
            "phone",
            "position",
            "calendar_token",
            "is_anonymised",
        ]
    )
    withdrawn = Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(withdrawn_at=now)
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
    request.save(update_fields=["status", "completed_at", "result"])
    return request
