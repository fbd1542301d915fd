"""The pages of «Траектория развития» (сид 001): the project page, the bank of mentoring practices and its review,
the monitoring of mentoring forms (entry, district page, XLSX); the query counts do not grow with the data."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Practice
from projects.models.trajectory import MentoringFormsReport
from projects.selectors_trajectory import HalfYear
from projects.services_communities import practice_add
from projects.services_trajectory import (
    mentoring_forms_report_save,
    mentoring_practice_recommend,
    mentoring_practice_review,
)
from tests.factories import OrganisationFactory
from tests.projects.trajectory_world import build_world, mentor_community

pytestmark = pytest.mark.django_db
QUERIES = {"trajectory": 6, "trajectory_practices": 6, "trajectory_monitoring": 7}
COUNTS = {
    "teacher_teacher": 4,
    "head_teacher": 1,
    "employer_student": 0,
    "teacher_pupil": 7,
    "pupil_pupil": 3,
    "student_pupil": 0,
}


@pytest.fixture
def w():
    return build_world()


def _practice(w, community=None, member=None, title="Наставничество «учитель – ученик»") -> Practice:
    return practice_add(
        community=community or w["community"],
        kind=Practice.Kind.MENTORING,
        title=title,
        description="Описание практики",
        link="https://school.example/p",
        by=member or w["users"]["member"],
    )


def test_a_member_submits_a_mentoring_practice_through_the_communities_bank(client, w):
    client.force_login(w["users"]["member"])
    response = client.post(
        reverse("community_practice_new", args=[w["community"].pk]),
        {
            "kind": "mentoring",
            "title": "Клуб молодого педагога",
            "description": "Наставники ведут молодых коллег",
            "link": "https://school358.example/klub",
        },
    )
    assert response.status_code == 302
    practice = Practice.objects.get(title="Клуб молодого педагога")
    assert practice.review == Practice.Review.SUBMITTED
    page = client.get(reverse("community_bank", args=[w["season"].pk])).content.decode()
    assert 'data-review="submitted"' in page


def test_the_coordinator_reviews_recommends_and_downloads_the_recommended(client, w):
    practice = _practice(w)
    client.force_login(w["users"]["coordinator"])
    act = reverse("trajectory_practice_act", args=[practice.pk])
    response = client.post(act, {"action": "recommend"}, follow=True)
    assert "сначала её рассматривают" in response.content.decode()
    client.post(act, {"action": "review", "conclusion": ""})
    practice.refresh_from_db()
    assert practice.review == Practice.Review.SUBMITTED
    client.post(act, {"action": "review", "conclusion": "Опыт школы № 358 — к конкурсу"})
    client.post(act, {"action": "recommend"})
    practice.refresh_from_db()
    assert practice.review == Practice.Review.RECOMMENDED
    page = client.get(reverse("trajectory_practices"), {"review": "recommended"}).content.decode()
    assert "Наставничество «учитель – ученик»" in page
    response = client.get(reverse("trajectory_recommended_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = [c.value for c in sheet[2]]
    assert row[:3] == ["ГБОУ школа № 358", "Наставничество «учитель – ученик»", str(practice.author.person)]
    assert row[6] == "Опыт школы № 358 — к конкурсу"


def test_the_bank_filters_by_school_and_a_director_sees_their_school_only(client, w):
    _practice(w, title="Практика школы № 358")
    other_community, members = mentor_community(w["season"], w["school2"], name="Наставники школы № 376")
    _practice(w, community=other_community, member=members[0].enrollment.person.user, title="Практика школы № 376")
    client.force_login(w["users"]["coordinator"])
    page = client.get(reverse("trajectory_practices"), {"organisation": w["school2"].pk}).content.decode()
    assert "Практика школы № 376" in page and "Практика школы № 358" not in page
    client.force_login(w["users"]["director"])
    page = client.get(reverse("trajectory_practices")).content.decode()
    assert "Практика школы № 358" in page and "Практика школы № 376" not in page
    assert 'action="/projects/trajectory/practices/' not in page  # a director does not review


def test_a_practice_of_another_municipality_is_404_for_the_coordinator(client, w):
    practice = _practice(w)
    client.force_login(w["users"]["coordinator_other"])
    response = client.post(reverse("trajectory_practice_act", args=[practice.pk]), {"action": "review"})
    assert response.status_code == 404


def test_the_director_enters_the_monitoring_with_russian_errors_first(client, w):
    client.force_login(w["users"]["director"])
    url = reverse("trajectory_monitoring_enter") + f"?season={w['season'].pk}"
    page = client.get(url).content.decode()
    assert "«ученик – ученик»" in page
    data = {"organisation": w["school"].pk, "half": "2025-2", "note": "Первые пары", **COUNTS}
    response = client.post(url, data | {"pupil_pupil": "-1"})
    assert response.status_code == 400
    assert "Первые пары" in response.content.decode()  # nothing typed is lost
    response = client.post(url, data | {"organisation": w["school2"].pk})
    assert response.status_code == 400
    assert not MentoringFormsReport.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    report = MentoringFormsReport.objects.get()
    assert (report.organisation, report.year, report.half, report.teacher_pupil) == (w["school"], 2025, 2, 7)


def test_the_district_page_shows_who_has_not_reported_and_the_dynamics(client, w):
    season = w["season"]
    now = datetime(2026, 3, 1, tzinfo=UTC)
    coordinator = w["users"]["coordinator"]
    mentoring_forms_report_save(
        season=season, organisation=w["school"], half=HalfYear(2025, 1), counts=COUNTS, by=coordinator, now=now
    )
    mentoring_forms_report_save(
        season=season,
        organisation=w["school"],
        half=HalfYear(2025, 2),
        counts=COUNTS | {"pupil_pupil": 6},
        by=coordinator,
        now=now,
    )
    client.force_login(w["users"]["management"])
    page = client.get(reverse("trajectory_monitoring"), {"half": "2025-2"}).content.decode()
    not_reported = page.split('id="not-reported"')[1].split("</div>")[0]
    assert "ГБОУ школа № 376" in not_reported and "ГБОУ школа № 358" not in not_reported
    assert "2-е полугодие 2025" in page
    response = client.get(reverse("trajectory_monitoring_xlsx"), {"half": "2025-2"})
    workbook = load_workbook(io.BytesIO(response.content))
    first = workbook.worksheets[0]
    rows = {r[0].value: [c.value for c in r] for r in first.iter_rows(min_row=2)}
    assert rows["ГБОУ школа № 358"][2:8] == [4, 1, 0, 7, 6, 0]
    assert rows["ГБОУ школа № 376"][1] == "не сдан"
    dynamics = [[c.value for c in r] for r in workbook["Динамика"].iter_rows(min_row=2)]
    assert [d[:2] + [d[6]] for d in dynamics[:2]] == [["1-е полугодие 2025", 1, 3], ["2-е полугодие 2025", 1, 6]]


def test_a_bad_half_or_season_in_the_query_string_is_404_not_500(client, w):
    client.force_login(w["users"]["coordinator"])
    for half in ("2031-1", "x", "2025-3", "9" * 40):
        assert client.get(reverse("trajectory_monitoring"), {"half": half}).status_code == 404
    assert client.get(reverse("trajectory"), {"season": "9" * 40}).status_code == 200


def _grow(w, start: int, n: int):
    for i in range(start, start + n):
        school = OrganisationFactory(municipality=w["home"], short_name=f"ГБОУ школа № {600 + i}")
        community, members = mentor_community(w["season"], school, name=f"Наставники школы № {600 + i}")
        practice = _practice(w, community=community, member=members[0].enrollment.person.user, title=f"Практика {i}")
        mentoring_practice_review(practice=practice, conclusion="Да", by=w["users"]["coordinator"])
        mentoring_practice_recommend(practice=practice, by=w["users"]["coordinator"])
        mentoring_forms_report_save(
            season=w["season"], organisation=school, half=HalfYear(2025, 2), counts=COUNTS, by=w["users"]["coordinator"]
        )


@pytest.mark.parametrize("name", list(QUERIES))
def test_query_count_does_not_grow_with_schools_and_practices(client, w, django_assert_num_queries, name):
    client.force_login(w["users"]["coordinator"])
    url = reverse(name)
    _grow(w, 0, 1)
    client.get(url)
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(url).status_code == 200
    _grow(w, 1, 2)
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(url).status_code == 200
