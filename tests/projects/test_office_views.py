import io
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from projects.models.office import ProjectEvent, WorkState
from tests.factories import UserFactory

from .office_world import coordinator_of, management_of, office_municipality, project_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    home = office_municipality()
    other = office_municipality("Другой район")
    return {
        "home": home,
        "other": other,
        "project": project_in(home),
        "foreign": project_in(other, 2),
        "coordinator": coordinator_of(home),
        "management": management_of(home),
    }


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_registry_lists_own_municipality_only(client, world):
    client.force_login(world["coordinator"])
    page = client.get(reverse("office_registry")).content.decode()
    assert world["project"].title in page
    assert world["foreign"].title not in page


def test_registry_filters_by_direction_and_overdue(client, world):
    client.force_login(world["management"])
    url = reverse("office_registry")
    assert world["project"].title in client.get(url, {"direction": "modern_school"}).content.decode()
    assert world["project"].title not in client.get(url, {"direction": "digital"}).content.decode()
    # The seminar of 30.09 is still planned: overdue on 07.12.
    assert world["project"].title in client.get(url, {"state": "overdue"}).content.decode()
    assert world["project"].title not in client.get(url, {"state": "done"}).content.decode()
    bad = client.get(url, {"state": "lost"})
    assert bad.status_code == 200
    assert "Выберите состояние из списка." in bad.content.decode()


def test_registry_other_municipality_in_query_is_refused(client, world):
    client.force_login(world["coordinator"])
    page = client.get(reverse("office_registry"), {"municipality": world["other"].pk}).content.decode()
    assert world["foreign"].title not in page


def test_teacher_and_anonymous(client, world):
    url = reverse("office_registry")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(municipality=world["home"]))
    assert client.get(url).status_code == 404
    assert client.get(reverse("office_project", args=[world["project"].pk])).status_code == 404


def test_project_of_another_municipality_is_404(client, world):
    client.force_login(world["coordinator"])
    for name in ("office_project", "office_project_report", "office_project_xlsx", "office_project_pdf"):
        assert client.get(reverse(name, args=[world["foreign"].pk])).status_code == 404
    event = ProjectEvent.objects.filter(project=world["foreign"]).first()
    url = reverse("office_item_state", args=[world["foreign"].pk, "event", event.pk])
    assert client.post(url, {"state": "done"}).status_code == 404
    # Another project's event under one's own project: 404 as well, and unknown kinds.
    own = world["project"].pk
    assert (
        client.post(reverse("office_item_state", args=[own, "event", event.pk]), {"state": "done"}).status_code == 404
    )
    assert (
        client.post(reverse("office_item_state", args=[own, "thing", event.pk]), {"state": "done"}).status_code == 404
    )


def test_coordinator_marks_event_done(client, world):
    client.force_login(world["coordinator"])
    event = ProjectEvent.objects.get(project=world["project"], number="2")
    url = reverse("office_item_state", args=[world["project"].pk, "event", event.pk])
    response = client.post(url, {"state": "done", "note": "Проведён"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("office_project", args=[world["project"].pk])
    assert "выполнено" in response.content.decode()
    event.refresh_from_db()
    assert (event.state, event.result_note) == (WorkState.DONE, "Проведён")


def test_bad_transition_shows_russian_error_and_keeps_note(client, world):
    client.force_login(world["coordinator"])
    event = ProjectEvent.objects.get(project=world["project"], number="9")  # starts in three years
    url = reverse("office_item_state", args=[world["project"].pk, "event", event.pk])
    response = client.post(url, {"state": "done", "note": "Текст координатора"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Отметить выполненным можно с даты начала" in body
    assert "Текст координатора" in body
    event.refresh_from_db()
    assert event.state == WorkState.PLANNED


def test_management_reads_but_does_not_write(client, world):
    client.force_login(world["management"])
    project = world["project"]
    page = client.get(reverse("office_project", args=[project.pk])).content.decode()
    assert "Лужецкая Ирина Геннадьевна" in page
    assert "Отметить" not in page
    event = ProjectEvent.objects.get(project=project, number="2")
    url = reverse("office_item_state", args=[project.pk, "event", event.pk])
    assert client.post(url, {"state": "done"}).status_code == 404


def test_registry_query_count_constant(client, world):
    client.force_login(world["coordinator"])
    url = reverse("office_registry")
    one = _queries(client, url)
    project_in(world["home"], 3)
    project_in(world["home"], 4)
    assert _queries(client, url) == one


def test_project_page_and_cascade_report_query_count_constant(client, world):
    client.force_login(world["coordinator"])
    project = world["project"]
    page, report = reverse("office_project", args=[project.pk]), reverse("office_cascade_report")
    page_queries, report_queries = _queries(client, page), _queries(client, report)
    for n in (5, 6):
        extra = project_in(world["home"], n)
        for event in extra.events.all():
            event.pk, event.project, event.number = None, project, f"{n}.{event.number}"
            event.save()
    assert _queries(client, page) == page_queries
    assert _queries(client, report) == report_queries


def _cascade_xlsx(client, world) -> bytes:
    client.force_login(world["coordinator"])
    response = client.get(reverse("office_cascade_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def test_cascade_xlsx_opened_by_openpyxl(client, world):
    ProjectEvent.objects.filter(number="9").update(title="=HYPERLINK(1)")
    workbook = load_workbook(io.BytesIO(_cascade_xlsx(client, world)))
    assert workbook.sheetnames == ["Проекты", "Этапы", "Мероприятия", "Рабочие группы"]
    projects = list(workbook["Проекты"].values)
    assert [row[0] for row in projects[1:]] == [world["project"].title]  # not another municipality's
    assert projects[1][7] == 1  # the seminar of 30.09 is overdue
    events = {row[1]: row for row in workbook["Мероприятия"].values}
    assert events["2"][6] == "запланировано, просрочено"
    assert events["9"][2] == "'=HYPERLINK(1)"


def test_cascade_xlsx_opened_by_libreoffice(client, world, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice is not installed (apt-get install libreoffice-calc-nogui)")
    source = tmp_path / "kaskad.xlsx"
    source.write_bytes(_cascade_xlsx(client, world))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (tmp_path / "kaskad.csv").read_text(encoding="utf-8", errors="replace")
    assert world["project"].title in text


def test_cascade_pdf(client, world):
    client.force_login(world["management"])
    response = client.get(reverse("office_cascade_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert world["project"].title in text
    assert world["foreign"].title not in text
