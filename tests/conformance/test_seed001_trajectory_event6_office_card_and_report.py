"""Сид 001, «Траектория развития», мероприятие 6: «Организация и проведение образовательных интенсивов для
педагогов — не менее 1 раза в учебном полугодии» — the half-year left without an intensive is flagged on the project
office's card of the project and in the cascade report (page, XLSX, PDF), read by the trajectory's own selector.

The season runs 10.01.2025 – 30.06.2026 with one intensive on 20.03.2025: 2/2025 and 1/2026 are over without one."""

import io
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import ActivityKind
from projects.models.office import Project
from projects.selectors_office import office_cascade, office_project_get, project_rows
from projects.selectors_trajectory import HalfYear
from tests.factories import ActivityFactory, SessionFactory
from tests.projects.office_world import project_in
from tests.projects.trajectory_world import build_world

pytestmark = pytest.mark.django_db
FLAG = "Интенсив в полугодии не проводился"


def _intensive(season, starts_at: datetime):
    activity = ActivityFactory(season=season, kind=ActivityKind.INTENSIVE, title="Образовательный интенсив")
    return SessionFactory(activity=activity, starts_at=starts_at, ends_at=starts_at.replace(hour=starts_at.hour + 2))


@pytest.fixture
def w():
    world = build_world()
    world["project"] = project_in(world["home"], 1)
    Project.objects.filter(pk=world["project"].pk).update(program=world["season"].program)
    world["plain"] = project_in(world["home"], 2)  # a project without the trajectory's program
    _intensive(world["season"], datetime(2025, 3, 20, 9, tzinfo=UTC))
    return world


def test_the_office_reads_the_trajectorys_half_years(w):
    rows = dict(project_rows(office_cascade(w["home"]), date(2026, 3, 16)))
    by_pk = {p.pk: tally for p, tally in rows.items()}
    assert [g.half for g in by_pk[w["project"].pk].intensive_gaps] == [HalfYear(2025, 2)]  # 1/2026 still runs
    assert by_pk[w["plain"].pk].intensive_gaps == []
    later = dict(project_rows(office_cascade(w["home"]), date(2026, 7, 1)))
    gaps = next(t.intensive_gaps for p, t in later.items() if p.pk == w["project"].pk)
    assert [g.half for g in gaps] == [HalfYear(2025, 2), HalfYear(2026, 1)]
    assert str(gaps[0]).startswith(FLAG + ": 2-е полугодие 2025")


def test_an_intensive_clears_its_half_year(w):
    _intensive(w["season"], datetime(2025, 10, 2, 9, tzinfo=UTC))
    rows = project_rows([office_project_get(w["project"].pk)], date(2026, 3, 16))
    assert rows[0][1].intensive_gaps == []


def test_one_query_for_the_trajectorys_seasons_none_for_other_projects(w):
    plain = [office_project_get(w["plain"].pk)]
    with CaptureQueriesContext(connection) as none:
        project_rows(plain, date(2026, 3, 16))
    assert len(none) == 0
    projects = office_cascade(w["home"])
    with CaptureQueriesContext(connection) as one:
        project_rows(projects, date(2026, 3, 16))
    assert len(one) == 1


def test_the_card_and_the_report_show_the_flag(w):
    client = Client()
    client.force_login(w["users"]["coordinator"])
    card = client.get(reverse("office_project", args=[w["project"].pk])).content.decode()
    assert FLAG in card and 'data-intensive-gap="2025-2"' in card and 'data-intensive-gap="2026-1"' in card
    assert 'data-intensive-gap="2025-1"' not in card
    assert FLAG not in client.get(reverse("office_project", args=[w["plain"].pk])).content.decode()
    report = client.get(reverse("office_cascade_report")).content.decode()
    assert report.count('data-intensive-gap="2025-2"') == 1
    project_report = client.get(reverse("office_project_report", args=[w["project"].pk])).content.decode()
    assert 'data-intensive-gap="2026-1"' in project_report


def test_the_xlsx_and_the_pdf_show_the_flag(w):
    client = Client()
    client.force_login(w["users"]["management"])
    response = client.get(reverse("office_cascade_xlsx"))
    sheet = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Проекты"].values)
    column = sheet[0].index("Образовательные интенсивы (не менее 1 раза в учебном полугодии)")
    cells = {row[0]: row[column] for row in sheet[1:]}
    assert cells[w["project"].title].count(FLAG) == 2 and "2-е полугодие 2025" in cells[w["project"].title]
    assert not cells[w["plain"].title]

    from pypdf import PdfReader

    pdf = client.get(reverse("office_project_pdf", args=[w["project"].pk])).content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert FLAG in text and "2-е полугодие 2025" in text


def test_the_registry_counts_the_half_years_without_an_intensive(w):
    """Today (after 30.06.2026) both 2/2025 and 1/2026 are over without one: the registry's row says 2 and links to
    the card; a project of another program says nothing."""
    client = Client()
    client.force_login(w["users"]["coordinator"])
    registry = client.get(reverse("office_registry")).content.decode()
    assert registry.count("data-intensive-gaps=") == 1
    assert 'data-intensive-gaps="2"' in registry and "Полугодий без интенсива: 2" in registry
    _intensive(w["season"], datetime(2026, 2, 2, 9, tzinfo=UTC))
    assert 'data-intensive-gaps="1"' in client.get(reverse("office_registry")).content.decode()
