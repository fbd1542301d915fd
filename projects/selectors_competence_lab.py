"""Reads of the lab of professional competences: the district mentor map by theme, the suggestions for a
learner's request, the express survey's summary and the yearly report (сид 001, «Лаборатория профессиональных
компетенций»)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from experts.models import MentoringPair
from programs.models import Organisation, Season

from .models.competence_lab import (
    LAB_PROGRAM_SLUG,
    CompetenceTheme,
    LabSurvey,
    LabSurveyAnswer,
    LearnerRequest,
    MentorOffer,
)

OS, RS = MentorOffer.Status, LearnerRequest.Status
# The organisations the express survey asks: «Экспресс-опрос ДОУ» — kindergartens, and the schools with
# pre-school departments («ГОУ Московского района, реализующих программы ДО»).
SURVEYED_KINDS = (Organisation.Kind.KINDERGARTEN, Organisation.Kind.SCHOOL)


def running_match_q(today: date, prefix: str = "") -> Q:
    """A matched request whose mentoring pair runs on `today` (not ended, or ending later)."""
    return Q(**{f"{prefix}status": RS.MATCHED, f"{prefix}pair__isnull": False}) & (
        Q(**{f"{prefix}pair__ended_on__isnull": True}) | Q(**{f"{prefix}pair__ended_on__gt": today})
    )


def offer_current_learners(offer: MentorOffer, *, today: date) -> int:
    return LearnerRequest.objects.filter(running_match_q(today), offer=offer).count()


def lab_season_on(municipality_id: int, day: date) -> Season | None:
    """The lab's season under way on `day` in the municipality (the latest started, if several overlap)."""
    return (
        Season.objects.filter(
            program__slug=LAB_PROGRAM_SLUG,
            program__municipality_id=municipality_id,
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .order_by("-starts_on", "-pk")
        .first()
    )


def lab_latest_season(municipality_id: int, day: date) -> Season | None:
    """The season the lab works in now, else its latest one (for the demo and the report)."""
    return lab_season_on(municipality_id, day) or (
        Season.objects.filter(program__slug=LAB_PROGRAM_SLUG, program__municipality_id=municipality_id)
        .order_by("-starts_on", "-pk")
        .first()
    )


def _current_matches(today: date) -> QuerySet[LearnerRequest]:
    return (
        LearnerRequest.objects.filter(running_match_q(today))
        .select_related("person", "organisation")
        .order_by("person__last_name", "pk")
    )


def lab_theme_map(municipality_id: int, *, today: date) -> list[CompetenceTheme]:
    """The map by theme: each theme with its approved mentors (their current learners) and its open requests.
    Four queries whatever the number of themes, mentors and requests."""
    mentors = (
        MentorOffer.objects.filter(status=OS.APPROVED)
        .select_related("person", "organisation")
        .prefetch_related(Prefetch("matches", queryset=_current_matches(today), to_attr="current_learners"))
        .order_by("person__last_name", "person__first_name", "pk")
    )
    requests = (
        LearnerRequest.objects.filter(status=RS.OPEN)
        .select_related("person", "organisation")
        .order_by("created_at", "pk")
    )
    themes = list(
        CompetenceTheme.objects.filter(municipality_id=municipality_id, is_active=True).prefetch_related(
            Prefetch("mentor_offers", queryset=mentors, to_attr="mentors"),
            Prefetch("learner_requests", queryset=requests, to_attr="open_requests"),
        )
    )
    for theme in themes:
        for offer in theme.mentors:
            offer.places_left = max(offer.capacity - len(offer.current_learners), 0)
    return themes


def matched_mentor_ids(person_id: int | None) -> set[int]:
    """The mentors a teacher learns from: only their contacts are shown to the teacher on the map."""
    if person_id is None:
        return set()
    return set(
        LearnerRequest.objects.filter(person_id=person_id, status=RS.MATCHED).values_list("offer__person_id", flat=True)
    )


def proposed_offers(municipality_id: int) -> list[MentorOffer]:
    return list(
        MentorOffer.objects.filter(theme__municipality_id=municipality_id, status=OS.PROPOSED)
        .select_related("person", "organisation", "theme")
        .order_by("created_at", "pk")
    )


def match_suggestions(request: LearnerRequest, *, today: date) -> list[MentorOffer]:
    """The approved mentors of the request's theme with a place left: another organisation's first (the lab
    organises mentoring «не только внутри ОУ, но и за их пределами»), then the most places left. A mentor of the
    learner's own organisation is allowed, but ranked last."""
    same = (
        When(organisation_id=request.organisation_id, then=Value(1))
        if request.organisation_id is not None
        else When(pk__in=[], then=Value(1))
    )
    return list(
        MentorOffer.objects.filter(theme_id=request.theme_id, status=OS.APPROVED)
        .exclude(person_id=request.person_id)
        .annotate(current=Count("matches", filter=running_match_q(today, "matches__")))
        .annotate(places_left=F("capacity") - F("current"))
        .filter(places_left__gt=0)
        .annotate(same_organisation=Case(same, default=Value(0), output_field=IntegerField()))
        .select_related("person", "organisation")
        .order_by("same_organisation", "-places_left", "person__last_name", "pk")
    )


def open_request_get(pk: int) -> LearnerRequest | None:
    return LearnerRequest.objects.select_related("person", "organisation", "theme").filter(pk=pk).first()


def lab_surveys(municipality_id: int) -> list[LabSurvey]:
    return list(
        LabSurvey.objects.filter(municipality_id=municipality_id)
        .annotate(answer_count=Count("answers"))
        .order_by("-year")
    )


@dataclass(frozen=True)
class SurveyRow:
    organisation: Organisation
    answer: LabSurveyAnswer | None


def survey_summary(survey: LabSurvey) -> list[SurveyRow]:
    """Every surveyed organisation of the municipality with its answer, or none yet: two queries."""
    answers = {
        a.organisation_id: a
        for a in LabSurveyAnswer.objects.filter(survey=survey).select_related("answered_by__person")
    }
    organisations = Organisation.objects.filter(
        Q(municipality_id=survey.municipality_id, kind__in=SURVEYED_KINDS, is_active=True) | Q(pk__in=list(answers))
    ).order_by(Case(When(kind=Organisation.Kind.KINDERGARTEN, then=Value(0)), default=Value(1)), "sort_key", "pk")
    return [SurveyRow(organisation, answers.get(organisation.pk)) for organisation in organisations]


def director_open_surveys(organisation: Organisation) -> list[LabSurvey]:
    """The open surveys of the director's municipality, each marked whether the organisation has answered."""
    return list(
        LabSurvey.objects.filter(municipality_id=organisation.municipality_id)
        .annotate(answered=Count("answers", filter=Q(answers__organisation=organisation)))
        .order_by("-year")
    )


@dataclass
class LabYear:
    themes: list[CompetenceTheme]
    offers: list[MentorOffer]
    requests: list[LearnerRequest]
    meetings: dict[int, int]  # pair id → meetings held in the year


def lab_year_report(municipality_id: int, year: int) -> LabYear:
    """What the yearly report holds (мероприятие 10: «Оформление отчетной документации … ежегодно до 01.06»):
    the themes, the mentors, the requests made in the year and the matches with the meetings they held in it."""
    themes = list(CompetenceTheme.objects.filter(municipality_id=municipality_id).order_by("order", "title"))
    offers = list(
        MentorOffer.objects.filter(theme__municipality_id=municipality_id)
        .select_related("person", "organisation", "theme")
        .annotate(matched=Count("matches", filter=Q(matches__status=RS.MATCHED)))
        .order_by("theme__order", "theme__title", "person__last_name", "pk")
    )
    requests = list(
        LearnerRequest.objects.filter(theme__municipality_id=municipality_id)
        .filter(Q(created_at__year=year) | Q(matched_at__year=year))
        .select_related("person", "organisation", "theme", "offer__person", "pair")
        .order_by("theme__order", "theme__title", "created_at", "pk")
    )
    pair_ids = [r.pair_id for r in requests if r.pair_id]
    meetings = dict(
        MentoringPair.objects.filter(pk__in=pair_ids)
        .annotate(held=Count("meetings", filter=Q(meetings__held_on__year=year)))
        .values_list("pk", "held")
    )
    return LabYear(themes, offers, requests, meetings)
