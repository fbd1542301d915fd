"""Writes of the lab of professional competences (сид 001, «Лаборатория профессиональных компетенций»).

The organising committee of the lab is the municipality's coordinator (мероприятие 1: «Создание
организационного комитета Лаборатории»; мероприятие 9: «Координация оргкомитетом действий участников
проекта»): they keep the themes, approve mentors' offers, match learners' requests and open the yearly express
survey (мероприятие 3), which directors answer for their organisations.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from experts.models import ExpertAssignment, ExpertRole
from experts.services import mentoring_pair_create
from participants.models import Enrollment, Person
from participants.roles import user_is_coordinator
from participants.services import enrollment_approve
from programs.models import Municipality, Organisation, Program, Season
from programs.templates_service import CREATED, UNCHANGED

from .models.competence_lab import (
    LAB_PROGRAM_SLUG,
    CompetenceTheme,
    LabSurvey,
    LabSurveyAnswer,
    LabSurveyLine,
    LearnerRequest,
    MentorOffer,
)
from .selectors_competence_lab import lab_season_on, offer_current_learners

OS, RS = MentorOffer.Status, LearnerRequest.Status


def _refuse_other_municipality():
    raise ValidationError(_("Эта запись относится к другому муниципалитету."), code="other_municipality")


def _check_committee(by, municipality_id: int) -> None:
    """The organising committee is a coordinator of the municipality (мероприятие 1), or a superuser; a service
    called from code (by=None) is trusted."""
    if by is None or getattr(by, "is_superuser", False):
        return
    if getattr(by, "municipality_id", None) != municipality_id:
        _refuse_other_municipality()
    if not user_is_coordinator(by):
        raise ValidationError(
            _("Это решает оргкомитет лаборатории — координатор муниципалитета."), code="not_committee"
        )


def _theme_check(theme: CompetenceTheme, person: Person, field: str = "theme") -> None:
    if not theme.is_active:
        raise ValidationError({field: ValidationError(_("Этой темы больше нет на карте."), code="inactive")})
    if person.organisation_id is None or person.organisation.municipality_id != theme.municipality_id:
        raise ValidationError(
            _("Педагог работает не в муниципалитете этой карты наставников."), code="other_municipality"
        )


# --- Mentors' offers and learners' requests ------------------------------------------------------------------


@transaction.atomic
def mentor_offer_create(
    *, person: Person, theme: CompetenceTheme, format: str, capacity: int, note: str = "", survey_answer=None
) -> MentorOffer:
    """A teacher offers to mentor on a theme; the offer waits for the organising committee's decision."""
    _theme_check(theme, person)
    if capacity is None or capacity < 1:
        raise ValidationError(
            {"capacity": ValidationError(_("Укажите, сколько учеников наставник может взять (от 1)."), code="min")}
        )
    if MentorOffer.objects.filter(person=person, theme=theme).exists():
        raise ValidationError(
            {"theme": ValidationError(_("Вы уже предложили себя наставником по этой теме."), code="duplicate")}
        )
    return MentorOffer.objects.create(
        person=person,
        theme=theme,
        organisation_id=person.organisation_id,
        format=format,
        capacity=capacity,
        note=(note or "").strip(),
        survey_answer=survey_answer,
    )


@transaction.atomic
def mentor_offer_decide(*, offer: MentorOffer, approve: bool, by, now: datetime) -> MentorOffer:
    """The organising committee approves an offer (it appears on the map) or declines it."""
    offer = MentorOffer.objects.select_for_update(of=("self",)).select_related("theme").get(pk=offer.pk)
    _check_committee(by, offer.theme.municipality_id)
    if not approve and offer.matches.filter(status=RS.MATCHED).exists():
        raise ValidationError(
            _("У наставника уже есть ученики по этой теме: отклонить предложение нельзя."), code="has_learners"
        )
    offer.status = OS.APPROVED if approve else OS.DECLINED
    offer.decided_at, offer.decided_by = now, by
    offer.save(update_fields=["status", "decided_at", "decided_by"])
    return offer


@transaction.atomic
def learner_request_create(
    *, person: Person, theme: CompetenceTheme, note: str = "", survey_answer=None
) -> LearnerRequest:
    """A teacher asks to learn a theme from a mentor, often of another organisation (сид 001: «педагог-наставник
    из одного учреждения заявляет о потенциале обучения ученика из другого учреждения»)."""
    _theme_check(theme, person)
    if LearnerRequest.objects.filter(person=person, theme=theme, status=RS.OPEN).exists():
        raise ValidationError(
            {"theme": ValidationError(_("Ваш запрос по этой теме уже ждёт наставника."), code="duplicate")}
        )
    return LearnerRequest.objects.create(
        person=person,
        theme=theme,
        organisation_id=person.organisation_id,
        note=(note or "").strip(),
        survey_answer=survey_answer,
    )


@transaction.atomic
def learner_request_withdraw(*, request: LearnerRequest, by_person: Person) -> LearnerRequest:
    request = LearnerRequest.objects.select_for_update().get(pk=request.pk)
    if request.person_id != by_person.pk:
        raise ValidationError(_("Отозвать запрос может только тот, кто его подал."), code="not_owner")
    if request.status != RS.OPEN:
        raise ValidationError(_("Отозвать можно только запрос, который ждёт наставника."), code="not_open")
    request.status = RS.WITHDRAWN
    request.save(update_fields=["status"])
    return request


# --- Matching ----------------------------------------------------------------------------------------------------


def _mentor_assignment(season: Season, person: Person) -> ExpertAssignment:
    assignment, _created = ExpertAssignment.objects.get_or_create(
        season=season, person=person, role=ExpertRole.MENTOR, subject=None
    )
    if not assignment.is_active:
        raise ValidationError(
            {"offer": ValidationError(_("Наставник выведен из команды сезона лаборатории."), code="inactive_mentor")}
        )
    return assignment


def _learner_enrollment(season: Season, person: Person, by) -> Enrollment:
    """The learner takes part in the lab's season: a new participant is admitted by the match itself."""
    enrollment = Enrollment.objects.filter(season=season, person=person).first()
    if enrollment is None:
        enrollment = Enrollment.objects.create(season=season, person=person, status=Enrollment.Status.APPLIED)
    if enrollment.status == Enrollment.Status.APPLIED:
        enrollment = enrollment_approve(enrollment=enrollment, actor=by, reason=_("Подобран наставник лаборатории"))
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(
            _("Ученик не участвует в сезоне лаборатории: статус «%(status)s».")
            % {"status": enrollment.get_status_display()},
            code="not_active",
        )
    return enrollment


@transaction.atomic
def learner_request_match(
    *, request: LearnerRequest, offer: MentorOffer, started_on: date, by, now: datetime
) -> LearnerRequest:
    """Match a learner's request with an approved mentor of the same theme who has a place left: the pair becomes
    an experts.MentoringPair of the lab's season under way on `started_on` (сид 001, мероприятие 7: «Деятельность
    участников проекта по алгоритмам наставника и ученика»)."""
    request = (
        LearnerRequest.objects.select_for_update(of=("self",))
        .select_related("theme", "person__organisation")
        .get(pk=request.pk)
    )
    _check_committee(by, request.theme.municipality_id)
    # The offer's row is locked so that two matches at once never take one place twice.
    offer = MentorOffer.objects.select_for_update(of=("self",)).select_related("person").get(pk=offer.pk)
    if request.status != RS.OPEN:
        raise ValidationError(
            _("Запрос уже не ждёт наставника: «%(status)s».") % {"status": request.get_status_display()},
            code="not_open",
        )
    if started_on is None:
        raise ValidationError({"started_on": ValidationError(_("Укажите дату начала."), code="required")})
    errors = []
    if offer.theme_id != request.theme_id:
        errors.append(ValidationError(_("Наставник выбран по другой теме."), code="other_theme"))
    elif offer.status != OS.APPROVED:
        errors.append(ValidationError(_("Предложение наставника ещё не одобрено оргкомитетом."), code="not_approved"))
    elif offer.person_id == request.person_id:
        errors.append(ValidationError(_("Наставник не может быть наставником самому себе."), code="self"))
    elif (current := offer_current_learners(offer, today=started_on)) >= offer.capacity:
        errors.append(
            ValidationError(
                _("У наставника не осталось мест: учеников %(count)s из %(capacity)s.")
                % {"count": current, "capacity": offer.capacity},
                code="no_capacity",
            )
        )
    if errors:
        raise ValidationError({"offer": errors})
    season = lab_season_on(request.theme.municipality_id, started_on)
    if season is None:
        raise ValidationError(
            {
                "started_on": ValidationError(
                    _(
                        "На %(date)s нет идущего сезона программы «Лаборатория профессиональных компетенций»: "
                        "создайте сезон или выберите другую дату."
                    )
                    % {"date": started_on.strftime("%d.%m.%Y")},
                    code="no_season",
                )
            }
        )
    mentor = _mentor_assignment(season, offer.person)
    mentee = _learner_enrollment(season, request.person, by)
    pair = mentoring_pair_create(
        season=season,
        mentor=mentor,
        mentee=mentee,
        goals=_("Тема лаборатории: %(theme)s") % {"theme": request.theme.title},
        started_on=started_on,
        by=by,
    )
    request.status, request.offer, request.pair = RS.MATCHED, offer, pair
    request.matched_at, request.matched_by = now, by
    request.save(update_fields=["status", "offer", "pair", "matched_at", "matched_by"])
    return request


# --- Themes ------------------------------------------------------------------------------------------------------

# The portal's example list for kindergartens (ФГОС ДО): the seed names no themes, so the committee starts from
# this list and edits it in the admin; each row is marked «из примерного перечня портала».
EXAMPLE_THEMES = (
    "Развивающая предметно-пространственная среда ДОО",
    "Игровые технологии в образовательной деятельности",
    "Цифровые образовательные ресурсы в работе воспитателя",
    "Речевое развитие дошкольников",
    "Познавательно-исследовательская деятельность дошкольников",
    "Взаимодействие с семьями воспитанников",
    "Инклюзивная практика в ДОО",
    "Педагогическая диагностика в ДОО",
)


def competence_themes_seed(*, municipality: Municipality, titles: Sequence[str]) -> int:
    """Adds the portal's example list of themes to a municipality's map (its titles not there yet); safe to run
    twice. The seed names no themes: the list is marked as the portal's example."""
    have = set(CompetenceTheme.objects.filter(municipality=municipality).values_list("title", flat=True))
    rows = [
        CompetenceTheme(municipality=municipality, title=title, is_example=True, order=n)
        for n, title in enumerate(titles, start=1)
        if title not in have
    ]
    CompetenceTheme.objects.bulk_create(rows)
    return len(rows)


def competence_lab_templates_load(*, today: date, changes: Counter) -> str:
    """The `load_programs` step (programs.template_loaders): the lab's program loaded, its municipality's map gets
    the example themes (the seed names none); a second run adds nothing."""
    program = Program.objects.filter(slug=LAB_PROGRAM_SLUG).select_related("municipality").first()
    if program is None:
        return _("Лаборатория профессиональных компетенций: программа не загружена, темы не добавлены")
    added = competence_themes_seed(municipality=program.municipality, titles=EXAMPLE_THEMES)
    changes[CREATED] += added
    changes[UNCHANGED] += len(EXAMPLE_THEMES) - added
    return _("Лаборатория профессиональных компетенций: примерных тем добавлено на карту наставников: %(n)d") % {
        "n": added
    }


# --- The yearly express survey (мероприятие 3) --------------------------------------------------------------------


@transaction.atomic
def lab_survey_open(*, municipality: Municipality, year: int, by, now: datetime) -> LabSurvey:
    _check_committee(by, municipality.pk)
    if LabSurvey.objects.filter(municipality=municipality, year=year).exists():
        raise ValidationError(
            {"year": ValidationError(_("Экспресс-опрос %(year)s года уже открыт.") % {"year": year}, code="duplicate")}
        )
    return LabSurvey.objects.create(municipality=municipality, year=year, opened_at=now, opened_by=by)


@transaction.atomic
def lab_survey_close(*, survey: LabSurvey, by, now: datetime) -> LabSurvey:
    survey = LabSurvey.objects.select_for_update().get(pk=survey.pk)
    _check_committee(by, survey.municipality_id)
    if survey.closed_at is None:
        survey.closed_at = now
        survey.save(update_fields=["closed_at"])
    return survey


@dataclass(frozen=True)
class SurveyLine:
    kind: str
    person: Person
    theme: CompetenceTheme
    format: str = ""
    capacity: int | None = None


@transaction.atomic
def lab_survey_answer(
    *,
    survey: LabSurvey,
    organisation: Organisation,
    lines: Sequence[SurveyLine],
    comment: str,
    by,
    now: datetime,
) -> LabSurveyAnswer:
    """An organisation answers the year's survey once; its lines prefill mentors' offers (for the committee to
    approve) and learners' requests, skipping those the teacher has already made."""
    survey = LabSurvey.objects.select_for_update().get(pk=survey.pk)
    if organisation.municipality_id != survey.municipality_id:
        _refuse_other_municipality()
    if not survey.is_open:
        raise ValidationError(_("Экспресс-опрос %(year)s года закрыт.") % {"year": survey.year}, code="closed")
    if LabSurveyAnswer.objects.filter(survey=survey, organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s уже ответила на экспресс-опрос %(year)s года.")
            % {"organisation": organisation, "year": survey.year},
            code="answered",
        )
    for line in lines:
        if line.person.organisation_id != organisation.pk:
            raise ValidationError(
                _("%(person)s не работает в %(organisation)s.") % {"person": line.person, "organisation": organisation},
                code="other_organisation",
            )
        if line.theme.municipality_id != survey.municipality_id:
            _refuse_other_municipality()
    try:
        with transaction.atomic():
            answer = LabSurveyAnswer.objects.create(
                survey=survey,
                organisation=organisation,
                answered_by=by,
                answered_at=now,
                mentors_count=len({ln.person.pk for ln in lines if ln.kind == LabSurveyLine.Kind.MENTOR}),
                learners_count=len({ln.person.pk for ln in lines if ln.kind == LabSurveyLine.Kind.LEARNER}),
                comment=(comment or "").strip(),
            )
    except IntegrityError:
        raise ValidationError(_("Организация уже ответила на этот экспресс-опрос."), code="answered") from None
    LabSurveyLine.objects.bulk_create(
        LabSurveyLine(
            answer=answer,
            kind=ln.kind,
            person=ln.person,
            theme=ln.theme,
            format=ln.format if ln.kind == LabSurveyLine.Kind.MENTOR else "",
            capacity=ln.capacity if ln.kind == LabSurveyLine.Kind.MENTOR else None,
        )
        for ln in lines
    )
    offered = set(
        MentorOffer.objects.filter(person__in=[ln.person for ln in lines]).values_list("person_id", "theme_id")
    )
    asked = set(
        LearnerRequest.objects.filter(person__in=[ln.person for ln in lines], status=RS.OPEN).values_list(
            "person_id", "theme_id"
        )
    )
    offers, requests = [], []
    for ln in lines:
        key = (ln.person.pk, ln.theme.pk)
        if ln.kind == LabSurveyLine.Kind.MENTOR and key not in offered:
            offered.add(key)
            offers.append(
                MentorOffer(
                    person=ln.person,
                    theme=ln.theme,
                    organisation=organisation,
                    format=ln.format,
                    capacity=ln.capacity or 1,
                    survey_answer=answer,
                )
            )
        elif ln.kind == LabSurveyLine.Kind.LEARNER and key not in asked:
            asked.add(key)
            requests.append(
                LearnerRequest(person=ln.person, theme=ln.theme, organisation=organisation, survey_answer=answer)
            )
    MentorOffer.objects.bulk_create(offers)
    LearnerRequest.objects.bulk_create(requests)
    return answer
