"""The reserve's pages: the coordinator's list, member page, forms, update and report; the psychologist's
diagnostics; the member's own trajectory. Another municipality, another member, a director → 404."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance
from participants.models import Enrollment, User
from projects.models.reserve import (
    ReserveDiagnostic,
    ReserveMember,
    ReserveReview,
    ReserveSource,
    ReserveStatus,
    TrajectoryItem,
)
from projects.services_reserve import reserve_diagnostic_record, trajectory_item_add
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
)
from tests.projects.reserve_world import member_in, reserve_world

pytestmark = pytest.mark.django_db

SECRET = "Дефицит-маркер диагностики"


@pytest.fixture
def w():
    return reserve_world()


@pytest.fixture
def other():
    return reserve_world("Чужой район")


def director_of(school) -> User:
    user = UserFactory(role=User.Role.DIRECTOR)
    PersonFactory(user=user, organisation=school, position="Директор")
    return user


def test_the_list_shows_the_members_and_filters_them(client, w):
    member_in(w, last_name="Контестова")
    member_in(w, last_name="Рекомендова", source=ReserveSource.RECOMMENDATION, status=ReserveStatus.CANDIDATE)
    client.force_login(w.coordinator)
    page = client.get(reverse("reserve_list")).content.decode()
    assert "Контестова" in page and "Рекомендова" in page
    page = client.get(reverse("reserve_list"), {"source": "recommendation"}).content.decode()
    assert "Рекомендова" in page and "Контестова" not in page
    page = client.get(reverse("reserve_list"), {"status": "nonsense"}).content.decode()
    assert "Контестова" in page  # a bad filter value filters nothing and breaks nothing


@pytest.mark.parametrize("rows", [1, 3])
def test_the_list_runs_the_same_queries_for_one_and_three_members(client, django_assert_num_queries, w, rows):
    for i in range(rows):
        member = member_in(w, last_name=f"Резервова{i}")
        trajectory_item_add(member=member, kind="coaching", title=f"Коучинг {i}", due_on=date(2025, 1, 1))
    client.force_login(w.coordinator)
    client.get(reverse("reserve_list"))
    with django_assert_num_queries(10):
        response = client.get(reverse("reserve_list"))
    assert response.status_code == 200


def test_another_municipalitys_coordinator_sees_their_own_reserve_only(client, w, other):
    member = member_in(w, last_name="Резервова")
    item = trajectory_item_add(member=member, kind="coaching", title="Коучинг", due_on=date(2026, 5, 1))
    client.force_login(other.coordinator)
    assert "Резервова" not in client.get(reverse("reserve_list")).content.decode()
    assert client.get(reverse("reserve_member", args=[member.pk])).status_code == 404
    assert client.post(reverse("reserve_item_new", args=[member.pk]), {}).status_code == 404
    assert client.get(reverse("reserve_item_edit", args=[item.pk])).status_code == 404
    assert client.get(reverse("my_trajectory_report", args=[item.pk])).status_code == 404


def test_directors_management_and_teachers_get_404(client, w):
    member = member_in(w, last_name="Резервова")
    management = UserFactory(role=User.Role.MANAGEMENT, municipality=w.municipality, is_staff=True)
    # The director of the member's own school as much as another school's: reserve records are personal data.
    for user in (director_of(w.school), director_of(w.other_school), management, PersonFactory().user):
        client.force_login(user)
        for name, args in (("reserve_list", []), ("reserve_member", [member.pk]), ("reserve_report", [])):
            assert client.get(reverse(name, args=args)).status_code == 404, (user, name)
        assert client.post(reverse("reserve_item_new", args=[member.pk]), {}).status_code == 404
    client.logout()
    assert client.get(reverse("reserve_member", args=[member.pk])).status_code == 302


def test_the_coordinator_adds_a_member_and_a_bad_form_keeps_what_was_typed(client, w):
    person = PersonFactory(organisation=w.school, last_name="Новикова")
    client.force_login(w.coordinator)
    data = {
        "person": person.pk,
        "status": "in_reserve",
        "source": "contest",
        "listed_on": "2025-03-01",
        "position": "Заместитель директора",
    }
    response = client.post(reverse("reserve_member_new"), data)
    assert response.status_code == 200
    assert "Укажите решение о включении" in response.content.decode()
    assert 'value="Заместитель директора"' in response.content.decode()
    response = client.post(reverse("reserve_member_new"), data | {"decision": "Распоряжение № 12"})
    member = ReserveMember.objects.get(person=person)
    assert response.url == reverse("reserve_member", args=[member.pk])
    assert (member.status, member.position) == (ReserveStatus.IN_RESERVE, "Заместитель директора")


def test_a_person_of_another_municipality_is_not_offered(client, w, other):
    stranger = PersonFactory(organisation=other.school)
    client.force_login(w.coordinator)
    response = client.post(
        reverse("reserve_member_new"),
        {"person": stranger.pk, "status": "candidate", "source": "contest", "listed_on": "2025-03-01"},
    )
    assert response.status_code == 200
    assert "Выберите человека из списка" in response.content.decode()
    assert not ReserveMember.objects.exists()


def test_the_member_page_and_its_forms(client, w):
    member = member_in(w, last_name="Резервова")
    client.force_login(w.coordinator)
    url = reverse("reserve_member", args=[member.pk])
    assert "Резервова" in client.get(url).content.decode()
    response = client.post(
        reverse("reserve_item_new", args=[member.pk]),
        {
            "kind": "mentoring",
            "title": "Менторинг с директором школы № 376",
            "due_on": "2026-05-01",
            "state": "planned",
        },
    )
    assert response.url == url
    assert TrajectoryItem.objects.get(member=member).kind == "mentoring"
    response = client.post(
        reverse("reserve_member_status", args=[member.pk]), {"to_status": "excluded", "on": "2026-01-10"}
    )
    assert response.status_code == 400
    assert "Укажите основание исключения" in response.content.decode()
    response = client.post(
        reverse("reserve_analysis_new", args=[member.pk]),
        {"year": "2025", "consulted_on": "2025-11-20", "analysis": "Индивидуальный план выполнен на 80 %"},
    )
    assert response.url == url
    response = client.post(reverse("reserve_young_director", args=[member.pk]), {"year": "2025", "state": "studying"})
    assert response.url == url
    page = client.get(url).content.decode()
    assert "Индивидуальный план выполнен на 80 %" in page and "Обучается" in page


def test_the_item_edit_page_is_the_coordinators_of_the_municipality(client, w, other):
    member = member_in(w)
    item = trajectory_item_add(member=member, kind="project", title="Проект", due_on=date(2026, 5, 1))
    client.force_login(other.coordinator)
    assert client.get(reverse("reserve_item_edit", args=[item.pk])).status_code == 404
    client.force_login(w.coordinator)
    response = client.post(
        reverse("reserve_item_edit", args=[item.pk]),
        {"kind": "project", "title": "Проект", "due_on": "2026-05-01", "state": "done"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == TrajectoryItem.State.DONE


def test_the_diagnostic_is_read_by_its_psychologist_only(client, w):
    member = member_in(w)
    reserve_diagnostic_record(
        member=member,
        psychologist=w.psychologist,
        year=2025,
        held_on=date(2025, 10, 20),
        strengths="С",
        deficits=SECRET,
    )
    url = reverse("reserve_member", args=[member.pk])
    client.force_login(w.coordinator)
    page = client.get(url).content.decode()
    assert "Психологова" in page and SECRET not in page and "Конфиденциально" in page
    client.force_login(w.psychologist.person.user)
    page = client.get(url).content.decode()
    assert SECRET in page
    assert "Индивидуальная траектория" not in page  # the psychologist sees the diagnostics only
    client.force_login(member.person.user)
    assert client.get(url).status_code == 404


def test_the_psychologist_records_a_diagnostic_and_nobody_else_may(client, w):
    member = member_in(w)
    url = reverse("reserve_diagnostic_new", args=[member.pk])
    data = {"year": "2025", "held_on": "2025-11-10", "strengths": "Стратегическое мышление", "deficits": SECRET}
    client.force_login(w.coordinator)
    assert client.post(url, data).status_code == 404
    client.force_login(w.psychologist.person.user)
    response = client.post(url, data | {"held_on": "2025-12-10"})
    assert response.status_code == 400 and "октябре – ноябре" in response.content.decode()
    assert client.post(url, data).status_code == 302
    assert ReserveDiagnostic.objects.get(member=member).deficits == SECRET


def test_the_yearly_update_page(client, w):
    staying = member_in(w, last_name="Остаётся")
    leaving = member_in(w, last_name="Уходит")
    client.force_login(w.coordinator)
    assert "Остаётся" in client.get(reverse("reserve_review")).content.decode()
    data = {
        "held_on": "2026-01-15",
        "decision": "Распоряжение № 3",
        f"outcome_{staying.pk}": "kept",
        f"outcome_{leaving.pk}": "removed",
    }
    response = client.post(reverse("reserve_review"), data)
    assert response.status_code == 200 and "Укажите основание исключения" in response.content.decode()
    response = client.post(reverse("reserve_review"), data | {f"reason_{leaving.pk}": "Переход в другой район"})
    assert response.url == reverse("reserve_list")
    assert ReserveReview.objects.get().entries.count() == 2


def test_the_yearly_report_counts_by_status_and_source(client, w):
    from openpyxl import load_workbook

    for i in range(3):
        member_in(w, last_name=f"Конкурсова{i}")
    member_in(w, source=ReserveSource.RECOMMENDATION, last_name="Рекомендова")
    member_in(w, status=ReserveStatus.CANDIDATE, last_name="Кандидатова")
    client.force_login(w.coordinator)
    response = client.get(reverse("reserve_report"), {"year": "2025"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    summary = [[c for c in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert "Кадровый резерв включает 4 человек, 3 из них пришли через конкурс «Управленцы будущего»." == summary[1][0]
    assert ["В резерве", 4] in [list(r[:2]) for r in summary]
    assert ["Кандидат", 1] in [list(r[:2]) for r in summary]
    assert book.worksheets[1].max_row == 6
    assert client.get(reverse("reserve_report"), {"year": "99999"}).status_code == 200  # a bad year: this year


def test_the_member_sees_and_reports_on_their_own_trajectory_only(client, w):
    member = member_in(w)
    item = trajectory_item_add(member=member, kind="coaching", title="Коучинг-сессия", due_on=date(2026, 5, 1))
    someone = member_in(w)
    theirs = trajectory_item_add(member=someone, kind="coaching", title="Чужой пункт", due_on=date(2026, 5, 1))
    client.force_login(member.person.user)
    page = client.get(reverse("my_trajectory")).content.decode()
    assert "Коучинг-сессия" in page and "Чужой пункт" not in page
    assert client.get(reverse("my_trajectory_report", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("my_trajectory_report", args=[theirs.pk]), {"report": "x"}).status_code == 404
    response = client.post(reverse("my_trajectory_report", args=[item.pk]), {"report": ""})
    assert response.status_code == 200 and "Напишите, что сделано" in response.content.decode()
    response = client.post(reverse("my_trajectory_report", args=[item.pk]), {"report": "Прошла три сессии"})
    assert response.url == reverse("my_trajectory")
    item.refresh_from_db()
    assert item.report == "Прошла три сессии"
    client.force_login(PersonFactory().user)
    assert client.get(reverse("my_trajectory")).status_code == 404


def test_the_member_page_shows_attendance_at_the_leaders_school(client, w):
    member = member_in(w)
    enrollment = EnrollmentFactory(season=w.season, person=member.person, status=Enrollment.Status.ACTIVE)
    session = SessionFactory(
        activity=ActivityFactory(season=w.season, title="Управленческий мастер-класс (акселератор)"),
        starts_at=timezone.now() - timedelta(days=2),
    )
    AttendanceFactory(session=session, enrollment=enrollment, status=Attendance.Status.PRESENT)
    client.force_login(w.coordinator)
    page = client.get(reverse("reserve_member", args=[member.pk])).content.decode()
    assert "Управленческий мастер-класс (акселератор)" in page


def test_the_cabinet_shows_the_trajectory_to_a_reserve_member_in_any_season_or_none(client, w):
    # Membership of the reserve is the person's, not an enrollment's: the trajectory shows before they take part in
    # a «Школа Лидеров образования» season and after.
    member = member_in(w)
    trajectory_item_add(member=member, kind="internship", title="Стажировка-маркер", due_on=date(2026, 4, 1))
    client.force_login(member.person.user)
    assert "Стажировка-маркер" in client.get(reverse("cabinet")).content.decode()
    EnrollmentFactory(season=w.season, person=member.person, status=Enrollment.Status.ACTIVE)
    assert "Стажировка-маркер" in client.get(reverse("cabinet")).content.decode()


def test_the_cabinet_shows_no_trajectory_to_a_teacher_outside_the_reserve(client, w):
    member = member_in(w)
    trajectory_item_add(member=member, kind="internship", title="Стажировка-маркер", due_on=date(2026, 4, 1))
    other = EnrollmentFactory(season=w.season, status=Enrollment.Status.ACTIVE)
    client.force_login(other.person.user)
    assert "Стажировка-маркер" not in client.get(reverse("cabinet")).content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_the_member_page_runs_the_same_queries_for_one_and_three_rows(client, django_assert_num_queries, w, rows):
    from projects.services_reserve import reserve_analysis_record, young_director_record

    member = member_in(w)
    enrollment = EnrollmentFactory(season=w.season, person=member.person, status=Enrollment.Status.ACTIVE)
    for i in range(rows):
        trajectory_item_add(member=member, kind="coaching", title=f"Коучинг {i}", due_on=date(2026, 5, 1))
        reserve_analysis_record(member=member, year=2020 + i, analysis="А", consulted_on=date(2020 + i, 11, 2))
        reserve_diagnostic_record(
            member=member,
            psychologist=w.psychologist,
            year=2020 + i,
            held_on=date(2020 + i, 10, 2),
            strengths="С",
            deficits="Д",
        )
        young_director_record(member=member, year=2020 + i, state="completed")
        session = SessionFactory(
            activity=ActivityFactory(season=w.season), starts_at=timezone.now() - timedelta(days=i + 1)
        )
        AttendanceFactory(session=session, enrollment=enrollment, status=Attendance.Status.PRESENT)
    client.force_login(w.coordinator)
    url = reverse("reserve_member", args=[member.pk])
    client.get(url)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
