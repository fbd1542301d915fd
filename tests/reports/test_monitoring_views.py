"""The half-year monitoring pages (seed 002, п. 7.3, 7.5): who reads, who writes, what a POST changes."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from reports.models import KpiSnapshot, MonitoringRecommendation, MonitoringReport
from reports.monitoring import kpi_half_year_snapshots_take, monitoring_analysis_save
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.reports.dashboard_world import build_world, coordinator, director, management

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = build_world()
    kpi_half_year_snapshots_take(now=datetime(2025, 7, 1, 0, 30, tzinfo=UTC))
    world["snapshot"] = KpiSnapshot.objects.get(municipality=world["home"], automatic=True)
    world["foreign_snapshot"] = KpiSnapshot.objects.get(municipality=world["other"], automatic=True)
    world["users"] = {
        "coordinator": coordinator(world["home"]),
        "management": management(world["home"]),
        "director": director(world["s1"]),
        "coordinator_other": coordinator(world["other"]),
        "management_other": management(world["other"]),
        "director_other": director(world["far"]),
        "teacher": PersonFactory(organisation=world["s1"], user=UserFactory()).user,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    return world


READERS = {"coordinator", "management", "director", "superuser"}
OUTSIDERS = {"coordinator_other", "management_other", "director_other", "teacher"}


def _rec_data(w, **over):
    return {
        "organisation": w["s1"].pk,
        "addressee_group": "",
        "text": "Провести открытые уроки по функциональной грамотности",
        "due_on": "2025-12-01",
        "responsible": "Руководитель ШМО",
        **over,
    }


@pytest.mark.parametrize("role", sorted(READERS | OUTSIDERS))
def test_list_and_page_by_role(client, w, role):
    client.force_login(w["users"][role])
    expected = 200 if role in READERS else 404
    listing = client.get(reverse("monitoring_list"))
    if role == "superuser":
        listing = client.get(reverse("monitoring_list"), {"municipality": w["home"].pk})
    assert listing.status_code == (200 if role in READERS or role.endswith("_other") else 404)
    if listing.status_code == 200 and role in READERS:
        assert "1-е полугодие 2025" in listing.content.decode()
        assert reverse("monitoring_detail", args=[w["snapshot"].pk]) in listing.content.decode()
    for name in ("monitoring_detail", "monitoring_compare", "monitoring_pdf", "monitoring_xlsx"):
        response = client.get(reverse(name, args=[w["snapshot"].pk]))
        assert response.status_code == expected, (name, role)


def test_an_outsider_reads_their_own_municipality_list_only(client, w):
    client.force_login(w["users"]["coordinator_other"])
    body = client.get(reverse("monitoring_list")).content.decode()
    assert reverse("monitoring_detail", args=[w["foreign_snapshot"].pk]) in body
    assert reverse("monitoring_detail", args=[w["snapshot"].pk]) not in body
    assert client.get(reverse("monitoring_list"), {"municipality": w["home"].pk}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, w):
    response = client.get(reverse("monitoring_detail", args=[w["snapshot"].pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_nightly_snapshot_is_no_monitoring_page(client, w):
    nightly = KpiSnapshot.objects.create(taken_on=date(2025, 7, 1), municipality=w["home"])
    client.force_login(w["users"]["coordinator"])
    assert client.get(reverse("monitoring_detail", args=[nightly.pk])).status_code == 404
    assert client.get(reverse("monitoring_detail", args=[999_999])).status_code == 404


def test_page_shows_frozen_numbers_with_target_and_status(client, w):
    client.force_login(w["users"]["management"])
    response = client.get(reverse("monitoring_detail", args=[w["snapshot"].pk]))
    body = response.content.decode()
    row = next(r for r in response.context["page"].rows if r.code == "dpo-federal-registry-diagnostics")
    # build_world's numbers are of this year; the snapshot of 2025's first half counts up to 30 June 2025.
    assert row.value == w["snapshot"].values["dpo-federal-registry-diagnostics"]["value"]
    assert row.name in body and "Сохранить анализ" not in body  # management reads only


def test_coordinator_writes_analysis_and_recommendation(client, w):
    client.force_login(w["users"]["coordinator"])
    page = reverse("monitoring_detail", args=[w["snapshot"].pk])
    assert "Сохранить анализ" in client.get(page).content.decode()
    assert client.post(page, {"analysis": "Доля выросла за счёт курсов ДПО."}).status_code == 302
    response = client.post(reverse("monitoring_recommendation_new", args=[w["snapshot"].pk]), _rec_data(w))
    assert response.status_code == 302
    report = MonitoringReport.objects.get(snapshot=w["snapshot"])
    assert report.analysis == "Доля выросла за счёт курсов ДПО." and report.author == w["users"]["coordinator"]
    (recommendation,) = report.recommendations.all()
    assert recommendation.organisation == w["s1"] and recommendation.due_on == date(2025, 12, 1)
    body = client.get(page).content.decode()
    assert "Провести открытые уроки по функциональной грамотности" in body and "01.12.2025" in body


def test_a_foreign_organisation_id_is_refused_and_nothing_changes(client, w):
    client.force_login(w["users"]["coordinator"])
    data = _rec_data(w, organisation=w["far"].pk)
    response = client.post(reverse("monitoring_recommendation_new", args=[w["snapshot"].pk]), data)
    assert response.status_code == 200
    form = response.context["recommendation_form"]
    assert form.errors["organisation"] == ["Выберите организацию своего муниципалитета."]
    body = response.content.decode()
    assert "Выберите организацию своего муниципалитета." in body
    assert "Провести открытые уроки по функциональной грамотности" in body  # what was typed is kept
    assert not MonitoringRecommendation.objects.exists() and not MonitoringReport.objects.exists()


def test_the_form_offers_only_the_municipalitys_organisations(client, w):
    client.force_login(w["users"]["coordinator"])
    response = client.get(reverse("monitoring_detail", args=[w["snapshot"].pk]))
    offered = set(response.context["recommendation_form"].fields["organisation"].queryset)
    assert offered == {w["s1"], w["s2"], w["s3"]}


def test_bad_input_gets_russian_errors(client, w):
    client.force_login(w["users"]["coordinator"])
    data = _rec_data(w, organisation="", addressee_group="", text="", due_on="31.02.2025", responsible="")
    response = client.post(reverse("monitoring_recommendation_new", args=[w["snapshot"].pk]), data)
    errors = response.context["recommendation_form"].errors
    assert errors["addressee_group"] == ["Укажите, кому адресована рекомендация: организацию или группу педагогов."]
    assert errors["text"] == ["Напишите, что рекомендуется сделать."]
    assert errors["due_on"] == ["Укажите срок датой, например 31.12.2025."]
    assert errors["responsible"] == ["Укажите ответственного."]
    far = _rec_data(w, due_on="9999-12-31")
    response = client.post(reverse("monitoring_recommendation_new", args=[w["snapshot"].pk]), far)
    assert response.context["recommendation_form"].errors["due_on"] == ["Укажите дату между 01.01.1900 и 31.12.2100."]


@pytest.mark.parametrize("role", ["management", "director", "coordinator_other", "teacher"])
def test_readers_and_outsiders_cannot_write(client, w, role):
    client.force_login(w["users"][role])
    pk = w["snapshot"].pk
    assert client.post(reverse("monitoring_detail", args=[pk]), {"analysis": "Чужой анализ"}).status_code == 404
    assert client.post(reverse("monitoring_recommendation_new", args=[pk]), _rec_data(w)).status_code == 404
    assert client.post(reverse("monitoring_approve", args=[pk])).status_code == 404
    assert not MonitoringReport.objects.exists()


def test_approval_then_read_only(client, w):
    client.force_login(w["users"]["coordinator"])
    pk = w["snapshot"].pk
    response = client.post(reverse("monitoring_approve", args=[pk]), follow=True)
    assert "Перед утверждением напишите анализ" in response.content.decode()
    client.post(reverse("monitoring_detail", args=[pk]), {"analysis": "Анализ полугодия"})
    client.post(reverse("monitoring_recommendation_new", args=[pk]), _rec_data(w))
    client.post(reverse("monitoring_approve", args=[pk]))
    report = MonitoringReport.objects.get(snapshot_id=pk)
    assert report.is_approved
    recommendation = report.recommendations.get()

    body = client.get(reverse("monitoring_detail", args=[pk])).content.decode()
    assert "Анализ полугодия" in body and "Отчёт утверждён" in body
    assert "Сохранить анализ" not in body and "Добавить рекомендацию" not in body
    response = client.post(reverse("monitoring_detail", args=[pk]), {"analysis": "Переписано"}, follow=True)
    assert "утверждён: он больше не изменяется" in response.content.decode()
    client.post(reverse("monitoring_recommendation_new", args=[pk]), _rec_data(w, text="Ещё одна"))
    client.post(reverse("monitoring_recommendation_remove", args=[pk, recommendation.pk]))
    report.refresh_from_db()
    assert report.analysis == "Анализ полугодия"
    assert list(report.recommendations.values_list("pk", flat=True)) == [recommendation.pk]


def test_delete_a_recommendation_of_another_snapshot_is_404(client, w):
    monitoring_analysis_save(snapshot=w["foreign_snapshot"], analysis="x", by=None, now=datetime.now(UTC))
    foreign = MonitoringRecommendation.objects.create(
        report=w["foreign_snapshot"].monitoring_report,
        organisation=w["far"],
        text="Чужая",
        due_on=date(2025, 12, 1),
        responsible="—",
    )
    client.force_login(w["users"]["coordinator"])
    response = client.post(reverse("monitoring_recommendation_remove", args=[w["snapshot"].pk, foreign.pk]))
    assert response.status_code == 404
    assert MonitoringRecommendation.objects.filter(pk=foreign.pk).exists()


def test_compare_defaults_to_the_half_before(client, w):
    kpi_half_year_snapshots_take(now=datetime(2026, 1, 1, 0, 30, tzinfo=UTC))
    second = KpiSnapshot.objects.get(municipality=w["home"], automatic=True, half=2)
    client.force_login(w["users"]["director"])
    response = client.get(reverse("monitoring_compare", args=[second.pk]))
    assert response.context["earlier"] == w["snapshot"] and response.context["later"] == second
    codes = [item.row.code for item in response.context["rows"]]
    assert "dpo-federal-registry-diagnostics" in codes
    # Choosing the later one from the earlier page puts them in time order all the same.
    response = client.get(reverse("monitoring_compare", args=[w["snapshot"].pk]), {"other": second.pk})
    assert response.context["earlier"] == w["snapshot"] and response.context["later"] == second


def test_compare_with_a_foreign_or_bad_snapshot_is_a_russian_error(client, w):
    client.force_login(w["users"]["coordinator"])
    for bad in (w["foreign_snapshot"].pk, "abc"):
        response = client.get(reverse("monitoring_compare", args=[w["snapshot"].pk]), {"other": bad})
        assert response.status_code == 200
        assert response.context["form"].errors["other"] == ["Выберите срез этого же муниципалитета."]
        assert response.context["rows"] == []


def test_dashboard_links_the_monitoring(client, w):
    client.force_login(w["users"]["management"])
    assert reverse("monitoring_list") in client.get(reverse("kpi_dashboard")).content.decode()


def test_organisation_of_the_other_municipality_via_superuser_is_refused_too(client, w):
    client.force_login(w["users"]["superuser"])
    response = client.post(
        reverse("monitoring_recommendation_new", args=[w["snapshot"].pk]), _rec_data(w, organisation=w["far"].pk)
    )
    assert response.status_code == 200 and not MonitoringRecommendation.objects.exists()
    OrganisationFactory(municipality=w["home"], short_name="Новая школа")
    assert client.get(reverse("monitoring_list"), {"municipality": "999999"}).status_code == 404
