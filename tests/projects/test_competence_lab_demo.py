"""The demo's lab of professional competences: nothing without the lab's program; with it, the example themes,
approved mentors, matched pairs in the lab's season and one organisation's survey answer (seed 001)."""

from datetime import date
from random import Random

import pytest
from django.utils import timezone

from demo.cascade_competence_lab import CompetenceLabMixin
from experts.models import MentoringPair
from projects.models import CompetenceTheme, LabSurveyAnswer, LearnerRequest, MentorOffer
from projects.services_competence_lab import EXAMPLE_THEMES
from tests.projects.lab_world import kindergarten, lab_municipality, teacher

pytestmark = pytest.mark.django_db


class _Demo(CompetenceLabMixin):
    def __init__(self):
        self.rng = Random(42)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.counts = {}


def test_without_the_lab_program_the_demo_adds_nothing():
    lab_municipality(season=False)
    _Demo().create_competence_lab()
    assert not CompetenceTheme.objects.exists()


def test_with_the_lab_program_the_demo_fills_the_map():
    today = timezone.localdate()
    town = lab_municipality(starts_on=date(today.year - 1, 9, 1), ends_on=date(today.year + 1, 8, 31))
    gardens = [kindergarten(town, f"ГБДОУ детский сад № {n}") for n in range(1, 5)]
    for n in range(16):
        teacher(gardens[n % 4], f"Педагог{n}")
    _Demo().create_competence_lab()
    assert CompetenceTheme.objects.filter(municipality=town, is_example=True).count() == len(EXAMPLE_THEMES)
    assert MentorOffer.objects.filter(status=MentorOffer.Status.APPROVED).count() >= 5
    assert LearnerRequest.objects.filter(status=LearnerRequest.Status.MATCHED).count() == MentoringPair.objects.count()
    assert MentoringPair.objects.count() >= 1
    assert LabSurveyAnswer.objects.count() == 1
    _Demo().create_competence_lab()  # safe to run twice
    assert LabSurveyAnswer.objects.count() == 1
