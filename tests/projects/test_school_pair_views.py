"""«Школа – Школе» pages (сид 001): who reads and who runs them, what a POST changes, constant queries per page."""

import io
import shutil
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from activities.models import Attendance
from projects.imports_school_pairs import TEMPLATE_COLUMNS
from projects.models import AssessmentResult, PairPlanItem, SchoolPair
from projects.services_school_pairs import plan_item_add, plan_item_hold, school_pair_create
from tests.factories import OrganisationFactory
from tests.projects.school_pairs_world import build_world, teachers

pytestmark = pytest.mark.django_db

READERS = {"coordinator", "management", "director", "director_leader", "superuser"}
RUNNERS = {"coordinator", "superuser"}
OUTSIDERS = {"coordinator_other", "management_other", "director_other", "teacher"}


@pytest.fixture
def w():
    world = build_world()
    world["pair"] = school_pair_create(
        season=world["season"], leader=world["leader"], partner=world["weak"], starts_on=date(2025, 9, 1)
    )
    return world


def _result(school, subject, year, average, low, assessment="vpr", grade=5):
    return AssessmentResult.objects.create(
        organisation=school,
        subject=subject,
        year=year,
        assessment=assessment,
        grade=grade,
        participants=50,
        average=Decimal(average),
        low_share=Decimal(low),
    )


QUERIES = {"school_pairs": 5, "school_pairs_dynamics": 5, "school_pairs_report": 6, "school_pair_detail": 8}
READ_PAGES = [
    ("school_pairs", ()),
    ("school_pairs_dynamics", ()),
    ("school_pairs_report", ()),
    ("school_pairs_report_xlsx", ()),
]


@pytest.mark.parametrize("role", sorted(READERS | OUTSIDERS | {"director_other_school"}))
@pytest.mark.parametrize(("name", "args"), READ_PAGES)
def test_municipality_pages_by_role(client, w, role, name, args):
    """Each reader reads their own municipality (an outsider: their own, without our pairs); a teacher nothing."""
    client.force_login(w["users"][role])
    response = client.get(reverse(name, args=args), {"year": "2025"})
    assert response.status_code == (404 if role == "teacher" else 200)
    if role in OUTSIDERS and role != "teacher" and name != "school_pairs_report_xlsx":
        assert "ГБОУ школа № 500" not in response.content.decode()


def test_a_director_of_another_school_sees_no_pair_but_their_own(client, w):
    client.force_login(w["users"]["director_other_school"])
    assert "ГБОУ школа № 500" not in client.get(reverse("school_pairs")).content.decode()
    client.force_login(w["users"]["director"])
    assert "ГБОУ школа № 500" in client.get(reverse("school_pairs")).content.decode()


@pytest.mark.parametrize("role", sorted(READERS | OUTSIDERS | {"director_other_school"}))
def test_pair_page_by_role(client, w, role):
    client.force_login(w["users"][role])
    response = client.get(reverse("school_pair_detail", args=[w["pair"].pk]))
    assert response.status_code == (200 if role in READERS else 404)
    if role in READERS:
        has_forms = "Добавить мероприятие в план" in response.content.decode()
        assert has_forms == (role in RUNNERS)


def test_anonymous_is_sent_to_sign_in(client, w):
    response = client.get(reverse("school_pair_detail", args=[w["pair"].pk]))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("role", sorted((READERS | OUTSIDERS) - RUNNERS))
def test_only_coordinators_create_pairs_plan_hold_and_import(client, w, role):
    client.force_login(w["users"][role])
    pk = w["pair"].pk
    for name in ("school_pair_new", "school_pairs_results_import", "school_pairs_results_template"):
        # Another municipality's coordinator runs their own municipality's project, not ours.
        assert client.get(reverse(name)).status_code == (200 if role == "coordinator_other" else 404)
    post = client.post(
        reverse("school_pair_plan_add", args=[pk]), {"kind": "seminar", "title": "Т", "planned_on": "2025-10-01"}
    )
    assert post.status_code == 404
    hold = client.post(reverse("school_pair_plan_hold", args=[pk]), {})
    assert hold.status_code == 404
    assert not PairPlanItem.objects.exists()


def test_coordinator_creates_a_pair_with_russian_errors_first(client, w):
    client.force_login(w["users"]["coordinator"])
    page = client.get(reverse("school_pair_new"))
    assert page.status_code == 200 and page.context["form"].initial["season"] == w["season"].pk
    data = {
        "season": w["season"].pk,
        "leader": w["leader"].pk,
        "leader_role": "master",
        "partner": w["weak"].pk,  # already in an open pair
        "starts_on": "2026-01-10",
    }
    response = client.post(reverse("school_pair_new"), data)
    assert response.status_code == 200
    assert "периоды пересекаются" in response.content.decode()
    assert response.context["form"]["starts_on"].value() == "2026-01-10"  # nothing typed is lost
    response = client.post(reverse("school_pair_new"), data | {"partner": w["weak2"].pk})
    pair = SchoolPair.objects.get(partner=w["weak2"])
    assert response.status_code == 302 and response.url == reverse("school_pair_detail", args=[pair.pk])
    assert pair.leader_role == "master"


def test_another_municipalitys_school_cannot_be_posted(client, w):
    client.force_login(w["users"]["coordinator"])
    data = {"season": w["season"].pk, "leader": w["leader"].pk, "leader_role": "leader", "partner": w["far"].pk}
    response = client.post(reverse("school_pair_new"), data | {"starts_on": "2025-09-01"})
    assert response.status_code == 200 and "partner" in response.context["form"].errors
    assert not SchoolPair.objects.filter(partner=w["far"]).exists()


def test_coordinator_plans_and_holds_an_item_and_sees_both_schools_turnout(client, w):
    client.force_login(w["users"]["coordinator"])
    pk = w["pair"].pk
    bad = client.post(
        reverse("school_pair_plan_add", args=[pk]), {"kind": "seminar", "title": "", "planned_on": "1800-01-01"}
    )
    assert bad.status_code == 400 and set(bad.context["plan_form"].errors) == {"title", "planned_on"}
    ok = client.post(
        reverse("school_pair_plan_add", args=[pk]),
        {"kind": "open_lessons", "title": "Открытые уроки учителей школ-партнеров", "planned_on": "2026-02-12"},
    )
    assert ok.status_code == 302
    item = PairPlanItem.objects.get(pair_id=pk)
    leaders, weak = teachers(w["season"], w["leader"], 2), teachers(w["season"], w["weak"], 3)
    wrong = client.post(
        reverse("school_pair_plan_hold", args=[pk]),
        {"item": item.pk, "starts_at": "2026-02-12T15:00", "ends_at": "2026-02-12T14:00"},
    )
    assert wrong.status_code == 400 and "ends_at" in wrong.context["hold_form"].errors
    held = client.post(
        reverse("school_pair_plan_hold", args=[pk]),
        {"item": item.pk, "starts_at": "2026-02-12T14:00", "ends_at": "2026-02-12T16:00", "place": "ГБОУ школа № 358"},
    )
    assert held.status_code == 302
    session = PairPlanItem.objects.get(pk=item.pk).session
    Attendance.objects.create(session=session, enrollment=weak[0], status=Attendance.Status.PRESENT)
    Attendance.objects.create(session=session, enrollment=weak[1], status=Attendance.Status.ABSENT)
    Attendance.objects.create(session=session, enrollment=leaders[0], status=Attendance.Status.LATE)
    row = client.get(reverse("school_pair_detail", args=[pk])).context["plan"][0]
    assert (row.leader.attended, row.leader.invited, row.partner.attended, row.partner.invited) == (1, 2, 1, 3)


def test_a_plan_item_of_another_pair_cannot_be_held(client, w):
    other = school_pair_create(season=w["season"], leader=w["leader"], partner=w["weak2"], starts_on=date(2025, 9, 1))
    item = plan_item_add(pair=other, kind="seminar", title="Семинар", planned_on=date(2025, 11, 1))
    client.force_login(w["users"]["coordinator"])
    response = client.post(
        reverse("school_pair_plan_hold", args=[w["pair"].pk]),
        {"item": item.pk, "starts_at": "2025-11-01T14:00", "ends_at": "2025-11-01T16:00"},
    )
    assert response.status_code == 400 and "item" in response.context["hold_form"].errors
    assert not PairPlanItem.objects.get(pk=item.pk).is_held


def _upload(rows):
    workbook = Workbook()
    workbook.active.append([c.header for c in TEMPLATE_COLUMNS])
    for row in rows:
        workbook.active.append(row)
    buf = io.BytesIO()
    workbook.save(buf)
    return SimpleUploadedFile("results.xlsx", buf.getvalue())


def test_import_page_reports_problems_then_imports(client, w):
    client.force_login(w["users"]["coordinator"])
    bad = client.post(
        reverse("school_pairs_results_import"),
        {"file": _upload([["ГБОУ школа № 500", "2025", "ВПР", "Математика", "5", "54", "7", "10"]])},
    )
    assert bad.status_code == 400 and "не число от 2 до 5" in bad.content.decode()
    assert not AssessmentResult.objects.exists()
    good = client.post(
        reverse("school_pairs_results_import"),
        {"file": _upload([["ГБОУ школа № 500", "2025", "ВПР", "Математика", "5", "54", "3,7", "10"]])},
    )
    assert good.status_code == 302 and good.url == reverse("school_pairs_dynamics")
    assert AssessmentResult.objects.get().average == Decimal("3.70")
    template = client.get(reverse("school_pairs_results_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")


def test_a_wrong_file_is_a_russian_error_at_the_field(client, w):
    client.force_login(w["users"]["coordinator"])
    response = client.post(reverse("school_pairs_results_import"), {"file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert response.status_code == 400
    assert "Загрузите таблицу Excel" in response.context["form"].errors["file"][0]


def test_dynamics_shows_year_over_year_change(client, w):
    _result(w["weak"], w["math"], 2024, "3.2", "18")
    _result(w["weak"], w["math"], 2025, "3.5", "11")
    _result(w["weak"], w["russian"], 2025, "3.4", "9")
    client.force_login(w["users"]["management"])
    response = client.get(reverse("school_pairs_dynamics"))
    weak = next(s for s in response.context["dynamics"] if s.organisation_id == w["weak"].pk)
    assert weak.years == [2024, 2025]
    math = next(r for r in weak.rows if r.subject == "Математика")
    assert math.change(weak.years) == (Decimal("0.30"), Decimal("-7.00")) and math.improved is True
    russian = next(r for r in weak.rows if r.subject == "Русский язык")
    assert russian.improved is None and russian.cells[0] is None
    assert "низких результатов меньше" in response.content.decode()


def test_the_report_year_must_be_a_year(client, w):
    client.force_login(w["users"]["coordinator"])
    assert client.get(reverse("school_pairs_report"), {"year": "²"}).status_code == 404
    assert client.get(reverse("school_pairs_report"), {"year": "99999"}).status_code == 404


def _held_world(w, n_pairs: int):
    pairs = [w["pair"]]
    for _ in range(n_pairs - 1):
        partner = OrganisationFactory(municipality=w["home"], low_results=True)
        pairs.append(
            school_pair_create(season=w["season"], leader=w["leader"], partner=partner, starts_on=date(2025, 9, 1))
        )
    for pair in pairs:
        teachers(w["season"], pair.partner, 2)
        item = plan_item_add(
            pair=pair, kind="seminar", title="Семинар по подготовке к ГИА", planned_on=date(2025, 11, 20)
        )
        plan_item_add(pair=pair, kind="round_table", title="Круглый стол", planned_on=date(2026, 1, 20))
        plan_item_hold(
            item=item, starts_at=datetime(2025, 11, 20, 12, tzinfo=UTC), ends_at=datetime(2025, 11, 20, 14, tzinfo=UTC)
        )
        _result(pair.partner, w["math"], 2024, "3.1", "20")
        _result(pair.partner, w["math"], 2025, "3.3", "15")
    return pairs


@pytest.mark.parametrize(
    ("name", "with_pair", "queries"),
    [
        ("school_pairs", False, QUERIES["school_pairs"]),
        ("school_pairs_dynamics", False, QUERIES["school_pairs_dynamics"]),
        ("school_pairs_report", False, QUERIES["school_pairs_report"]),
        ("school_pair_detail", True, QUERIES["school_pair_detail"]),
    ],
)
def test_query_count_does_not_grow_with_pairs(client, w, django_assert_num_queries, name, with_pair, queries):
    """One pair or three, each with a held and a planned item, teachers and results: the same literal count."""
    client.force_login(w["users"]["coordinator"])
    url = reverse(name, args=[w["pair"].pk] if with_pair else [])
    _held_world(w, 1)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    for _ in range(2):
        partner = OrganisationFactory(municipality=w["home"], low_results=True)
        pair = school_pair_create(season=w["season"], leader=w["leader"], partner=partner, starts_on=date(2025, 9, 1))
        teachers(w["season"], pair.partner, 2)
        item = plan_item_add(pair=pair, kind="seminar", title="Семинар", planned_on=date(2025, 11, 20))
        plan_item_hold(
            item=item, starts_at=datetime(2025, 11, 20, 12, tzinfo=UTC), ends_at=datetime(2025, 11, 20, 14, tzinfo=UTC)
        )
        _result(pair.partner, w["math"], 2025, "3.3", "15")
        _result(pair.partner, w["russian"], 2024, "3.3", "15")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_yearly_report_xlsx_holds_pairs_plan_and_dynamics(client, w):
    _held_world(w, 1)
    client.force_login(w["users"]["coordinator"])
    response = client.get(reverse("school_pairs_report_xlsx"), {"year": "2025"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Пары", "Мероприятия плана", "Динамика результатов"]
    assert [c.value for c in workbook["Пары"][2]][:2] == ["ГБОУ школа № 358", "ГБОУ школа № 500"]
    plan = [c.value for c in workbook["Мероприятия плана"][2]]
    assert plan[1] == "Семинар" and plan[4] == "да"
    dynamics = [c.value for c in workbook["Динамика результатов"][2]]
    assert dynamics[:4] == ["ГБОУ школа № 500", "ВПР", 5, "Математика"] and dynamics[-1] == -5


def test_yearly_report_xlsx_opens_in_libreoffice(client, w, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice is not installed (apt-get install libreoffice-calc-nogui)")
    _held_world(w, 1)
    client.force_login(w["users"]["coordinator"])
    source = tmp_path / "report.xlsx"
    source.write_bytes(client.get(reverse("school_pairs_report_xlsx"), {"year": "2025"}).content)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # UTF-8
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (tmp_path / "report.csv").read_text(encoding="utf-8", errors="replace")
    assert "ГБОУ школа № 358" in text and "ГБОУ школа № 500" in text


def test_the_report_opens_on_the_municipality_s_own_year(client, w, monkeypatch):
    """Between 00:00 of 1 January in UTC+10 and 00:00 in Moscow the report opens on the new year there: the
    default year is the municipality's, not the server's nor the session's (a director is bound to a school, not to
    a municipality, so no zone of theirs is active)."""
    from django.utils import timezone

    w["home"].time_zone = "Asia/Vladivostok"
    w["home"].save(update_fields=["time_zone"])
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 31, 15, 30, tzinfo=UTC))  # 01:30 of 01.01.2027
    client.force_login(w["users"]["director"])
    response = client.get(reverse("school_pairs_report"))
    assert response.status_code == 200
    assert response.context["year"] == 2027
