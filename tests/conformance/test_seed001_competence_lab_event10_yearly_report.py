"""Сид 001, «Лаборатория профессиональных компетенций», мероприятие 10: «Оформление отчетной документации о
реализации проекта — ежегодно до 01.06». The yearly report holds the themes, the mentors, the requests of the year
and the matches with the mentoring meetings they held that year; a match is an experts.MentoringPair of the lab's
season (мероприятие 7: «Деятельность участников проекта по алгоритмам наставника и ученика»), matched across
organisations first («педагог-наставник из одного учреждения заявляет о потенциале обучения ученика из другого
учреждения»)."""

from datetime import UTC, date, datetime

import pytest

from experts.models import MentoringPair
from experts.services import mentoring_meeting_log
from projects.selectors_competence_lab import lab_year_report, match_suggestions
from projects.services_competence_lab import (
    learner_request_create,
    learner_request_match,
    mentor_offer_create,
    mentor_offer_decide,
)
from tests.projects.lab_world import coordinator, kindergarten, lab_municipality, teacher, theme

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 5, 20, 9, 0, tzinfo=UTC)


def test_the_yearly_report_holds_themes_mentors_requests_matches_and_meetings():
    town = lab_municipality(starts_on=date(2024, 9, 1), ends_on=date(2025, 8, 31))
    committee = coordinator(town)
    first, second = kindergarten(town, "ГБДОУ детский сад № 1"), kindergarten(town, "ГБДОУ детский сад № 2")
    topic = theme(town, "Цифровые образовательные ресурсы в ДОО")
    own = mentor_offer_create(person=teacher(second, "Своя"), theme=topic, format="consultation", capacity=1)
    other = mentor_offer_create(person=teacher(first, "Наставникова"), theme=topic, format="master_class", capacity=1)
    for offer in (own, other):
        mentor_offer_decide(offer=offer, approve=True, by=committee, now=NOW)
    request = learner_request_create(person=teacher(second, "Ученикова"), theme=topic)
    assert [o.pk for o in match_suggestions(request, today=date(2025, 1, 15))] == [other.pk, own.pk]
    matched = learner_request_match(request=request, offer=other, started_on=date(2025, 1, 15), by=committee, now=NOW)
    pair = MentoringPair.objects.get(pk=matched.pair_id)
    mentoring_meeting_log(
        pair=pair, held_on=date(2025, 2, 10), form="in_person", topic="Мастер-класс", notes="", by=committee
    )
    report = lab_year_report(town.pk, 2025)
    assert [t.title for t in report.themes] == ["Цифровые образовательные ресурсы в ДОО"]
    assert {o.person.last_name: o.matched for o in report.offers} == {"Наставникова": 1, "Своя": 0}
    [row] = report.requests
    assert row.offer.person.last_name == "Наставникова"
    assert report.meetings[pair.pk] == 1
