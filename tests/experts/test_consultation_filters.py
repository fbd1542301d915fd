"""The expert's consultations list filtered by experts.filters.ConsultationFilterSet: season, kind, the days
held (in the season's time zone); a foreign season, garbage and dates outside 1900–2100 are Russian errors."""

from datetime import datetime

import pytest
from django.urls import reverse

from experts.models import Consultation, ExpertRole
from experts.services import consultation_log
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory

pytestmark = pytest.mark.django_db
URL = reverse("expert_consultations")


@pytest.fixture
def world():
    season, other_season = SeasonFactory(), SeasonFactory()
    curator = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    again = ExpertAssignmentFactory(season=other_season, role=ExpertRole.CURATOR, person=curator.person)
    # Asia/Yekaterinburg (UTC+5): 01:30 on 10 March there is still 9 March in Moscow.
    tz = season.tz

    def log(expert, kind, when, topic):
        enrollments = [EnrollmentFactory(season=expert.season) for _ in range(1 if kind == "individual" else 2)]
        return consultation_log(expert=expert, kind=kind, held_at=when, topic=topic, participants=enrollments)

    march = log(curator, "individual", datetime(2026, 3, 10, 1, 30, tzinfo=tz), "Март")
    april = log(curator, "group", datetime(2026, 4, 20, 12, 0, tzinfo=tz), "Апрель")
    other = log(again, "individual", datetime(2026, 4, 21, 12, 0, tzinfo=other_season.tz), "Другой сезон")
    stranger = ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST)
    foreign = log(stranger, "individual", datetime(2026, 4, 20, 12, 0, tzinfo=tz), "Чужая")
    return {
        "season": season,
        "other_season": other_season,
        "curator": curator,
        "march": march,
        "april": april,
        "other": other,
        "foreign": foreign,
    }


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [c.pk for c in response.context["consultations"]]


def test_each_filter_narrows(client, world):
    client.force_login(world["curator"].person.user)
    everything = [world["other"].pk, world["april"].pk, world["march"].pk]
    assert listed(client.get(URL)) == everything
    assert listed(client.get(URL, {"season": world["season"].pk})) == [world["april"].pk, world["march"].pk]
    assert listed(client.get(URL, {"kind": Consultation.Kind.GROUP})) == [world["april"].pk]
    # The day is the season's: 10.03 01:30 in Yekaterinburg is on the 10th though Moscow still has the 9th.
    assert listed(client.get(URL, {"held_from": "2026-03-10", "held_to": "2026-03-10"})) == [world["march"].pk]
    assert listed(client.get(URL, {"held_to": "2026-03-09"})) == []
    assert listed(client.get(URL, {"held_from": "2026-04-01"})) == [world["other"].pk, world["april"].pk]
    page = client.get(URL, {"kind": "group", "held_from": "2026-04-01"}).content.decode()
    assert 'value="2026-04-01"' in page and '<option value="group" selected>' in page


def test_another_experts_consultations_never_appear(client, world):
    client.force_login(world["curator"].person.user)
    assert world["foreign"].pk not in listed(client.get(URL, {"season": world["season"].pk}))


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"season": "FOREIGN"}, "season", "Такого сезона нет среди ваших"),
        ({"season": "abc"}, "season", "Такого сезона нет среди ваших"),
        ({"season": "²"}, "season", "Такого сезона нет среди ваших"),
        ({"kind": "<script>"}, "kind", "Такого вида консультации нет"),
        ({"held_from": "0001-01-01"}, "held_from", "Укажите дату между 01.01.1900 и 31.12.2100."),
        ({"held_to": "9999-12-31"}, "held_to", "Укажите дату между 01.01.1900 и 31.12.2100."),
        ({"held_from": "31.02.2026"}, "held_from", "Введите дату"),
        ({"held_from": "2026-05-01", "held_to": "2026-04-01"}, "held_to", "Конец периода раньше его начала"),
    ],
)
def test_bad_values_are_russian_errors_and_filter_nothing_away(client, world, params, field, message):
    foreign_season = SeasonFactory()  # another municipality's program
    params = {k: (foreign_season.pk if v == "FOREIGN" else v) for k, v in params.items()}
    client.force_login(world["curator"].person.user)
    response = client.get(URL, params)
    assert response.status_code == 200
    errors = response.context["filters"].errors
    assert any(message in error for error in errors[field]), errors
    assert message in response.content.decode()
    assert world["foreign"].pk not in listed(response)


def test_anonymous_and_a_teacher_get_no_list(client, world):
    assert client.get(URL, {"season": world["season"].pk}).status_code == 302
    teacher = EnrollmentFactory(season=world["season"])
    client.force_login(teacher.person.user)
    assert client.get(URL, {"season": world["season"].pk}).status_code == 404
