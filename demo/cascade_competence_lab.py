"""The lab of professional competences (seed 001): the example themes, mentors and learners of the
municipality's organisations, a few matched pairs in the lab's season and the year's express survey answered by
one organisation. Runs only where the lab's program exists (programs/program_templates/_imc_moskovsky.py)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError

from participants.models import Person
from programs.models import Program
from projects.models import LabSurvey, LabSurveyLine, MentorOffer
from projects.models.competence_lab import LAB_PROGRAM_SLUG, CompetenceTheme, MentoringFormat
from projects.selectors_competence_lab import lab_latest_season
from projects.services_competence_lab import (
    EXAMPLE_THEMES,
    SurveyLine,
    competence_themes_seed,
    lab_survey_answer,
    lab_survey_open,
    learner_request_create,
    learner_request_match,
    mentor_offer_create,
    mentor_offer_decide,
)

MENTORS, LEARNERS, MATCHED = 6, 6, 3


class CompetenceLabMixin:
    def create_competence_lab(self) -> None:
        program = Program.objects.filter(slug=LAB_PROGRAM_SLUG).select_related("municipality").first()
        if program is None:
            return
        town = program.municipality
        competence_themes_seed(municipality=town, titles=EXAMPLE_THEMES)
        if MentorOffer.objects.filter(theme__municipality=town).exists():
            return  # the lab's demo is there already
        themes = list(CompetenceTheme.objects.filter(municipality=town, is_active=True).order_by("order", "pk"))
        people = list(
            Person.objects.filter(organisation__municipality=town, user__isnull=False, is_anonymised=False)
            .exclude(lab_mentor_offers__isnull=False)
            .exclude(lab_requests__isnull=False)
            .select_related("organisation")
            .order_by("organisation__sort_key", "last_name", "pk")[: MENTORS + LEARNERS + 2]
        )
        if len(people) < 4 or not themes:
            return
        self.rng.shuffle(people)
        mentors, learners = people[:MENTORS], people[MENTORS : MENTORS + LEARNERS]
        formats = list(MentoringFormat.values)
        offers = []
        for n, person in enumerate(mentors):
            offer = mentor_offer_create(
                person=person,
                theme=themes[n % len(themes)],
                format=formats[n % len(formats)],
                capacity=self.rng.randint(1, 3),
            )
            offers.append(mentor_offer_decide(offer=offer, approve=n < MENTORS - 1, by=None, now=self.now))
        requests = [
            learner_request_create(person=person, theme=themes[n % len(themes)]) for n, person in enumerate(learners)
        ]
        season = lab_latest_season(town.pk, self.today)
        matched = 0
        if season is not None:
            start = max(season.starts_on, min(self.today, season.ends_on) - timedelta(days=30))
            for request in requests:
                offer = next((o for o in offers if o.theme_id == request.theme_id and o.status == "approved"), None)
                if offer is None or matched >= MATCHED:
                    continue
                try:
                    learner_request_match(request=request, offer=offer, started_on=start, by=None, now=self.now)
                except ValidationError:
                    continue
                matched += 1
        survey = LabSurvey.objects.filter(municipality=town, year=self.today.year).first() or lab_survey_open(
            municipality=town, year=self.today.year, by=None, now=self.now
        )
        first = mentors[0].organisation
        staff = [p for p in people if p.organisation_id == first.pk]
        lines = [SurveyLine(LabSurveyLine.Kind.MENTOR, staff[0], themes[0], formats[0], 2)]
        lines += [SurveyLine(LabSurveyLine.Kind.LEARNER, p, themes[-1]) for p in staff[1:2]]
        if not survey.answers.filter(organisation=first).exists():
            lab_survey_answer(survey=survey, organisation=first, lines=lines, comment="", by=None, now=self.now)
        self.counts["Лаборатория: наставники"] = len(offers)
        self.counts["Лаборатория: пары"] = matched
