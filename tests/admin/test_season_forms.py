import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from programs.models import RoadmapModule, Season
from tests.factories import RoadmapModuleFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _season_post(season, **changes):
    data = {
        "program": season.program_id,
        "title": season.title,
        "starts_on": "2025-09-01",
        "ends_on": "2026-06-30",
        "time_zone": "Asia/Yekaterinburg",
        "registration_opens_at_0": "2025-09-10",
        "registration_opens_at_1": "00:00:00",
        "registration_closes_at_0": "2025-09-24",
        "registration_closes_at_1": "00:00:00",
        "requires_approval": "on",
        "exclusion_policy": "confirmation",
        "default_attendance_status": "absent",
        "video_max_size_mb": "2048",
        "weight_attendance": "1",
        "weight_video_score": "10",
        "video_score_rule": "mean",
        "visit_period": season.visit_period,
        "weight_achievement_municipal": "1",
        "weight_achievement_regional": "2",
        "weight_achievement_federal": "3",
        "weight_achievement_international": "4",
    }
    for prefix in ("modules", "expert_roles", "experts"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_education_levels_are_checkboxes(admin_client):
    season = SeasonFactory()
    url = reverse("admin:programs_season_change", args=[season.pk])
    page = admin_client.get(url).content.decode()
    assert 'type="checkbox" name="eligible_education_levels" value="higher"' in page
    response = admin_client.post(
        url, _season_post(season, eligible_education_levels=["higher", "secondary_vocational"])
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    season.refresh_from_db()
    assert season.eligible_education_levels == ["higher", "secondary_vocational"]


def test_bad_registration_window_is_refused_in_russian_and_keeps_input(admin_client):
    season = SeasonFactory()
    url = reverse("admin:programs_season_change", args=[season.pk])
    response = admin_client.post(
        url, _season_post(season, registration_closes_at_0="2025-09-01", title="Новое название")
    )
    assert response.status_code == 200
    assert "Регистрация должна закрываться позже, чем открывается." in response.content.decode()
    assert 'value="Новое название"' in response.content.decode()
    assert Season.objects.get(pk=season.pk).title == season.title


def test_learning_formats_one_per_line(admin_client):
    module = RoadmapModuleFactory(learning_formats=["Мультимодальное обучение"])
    url = reverse("admin:programs_roadmapmodule_change", args=[module.pk])
    page = admin_client.get(url).content.decode()
    assert "Мультимодальное обучение</textarea>" in page
    response = admin_client.post(
        url,
        {
            "season": module.season_id,
            "order": module.order,
            "number": module.number,
            "title": module.title,
            "starts_on": "2024-10-01",
            "ends_on": "2024-10-31",
            "learning_formats": "Мультимодальное обучение\n\n  Обучение на основе вызовов  \n",
            "activities-TOTAL_FORMS": "0",
            "activities-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RoadmapModule.objects.get(pk=module.pk).learning_formats == [
        "Мультимодальное обучение",
        "Обучение на основе вызовов",
    ]


def test_opening_videos_to_all_experts_asks_for_the_reason(admin_client):
    season = SeasonFactory()
    url = reverse("admin:programs_season_change", args=[season.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="videos_open_to_experts"' in page and "собирает материалы от участников" in page

    refused = admin_client.post(url, _season_post(season, videos_open_to_experts="on", videos_open_reason="  "))
    assert refused.status_code == 200
    assert "Укажите, почему видеоуроки открыты всем экспертам сезона" in refused.content.decode()
    assert Season.objects.get(pk=season.pk).videos_open_to_experts is False

    reason = "Технический специалист собирает материалы от участников (приложение к приказу № 643-од)"
    saved = admin_client.post(url, _season_post(season, videos_open_to_experts="on", videos_open_reason=reason))
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    season.refresh_from_db()
    assert (season.videos_open_to_experts, season.videos_open_reason) == (True, reason)


def test_the_database_refuses_an_opening_without_a_reason():
    season = SeasonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Season.objects.filter(pk=season.pk).update(videos_open_to_experts=True, videos_open_reason="")
