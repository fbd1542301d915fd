from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.cabinet import CabinetContext
from participants.models import Consent, Enrollment
from participants.selectors import person_enrollments
from ratings.cabinet_achievements import achievements_context
from ratings.models import Achievement
from tests.factories import EnrollmentFactory, PersonFactory, SeasonFactory

from .achievement_helpers import PNG_BYTES, AchievementFactory, coordinator_of, expert_of, pdf_upload, with_file

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)


@pytest.fixture
def achievement():
    return with_file(AchievementFactory(enrollment__season=SeasonFactory()))


def _data(enrollment, **overrides):
    data = {
        "enrollment": enrollment.pk,
        "title": "Вебинар «Формирующее оценивание»",
        "kind": Achievement.Kind.WEBINAR,
        "level": Achievement.Level.FEDERAL,
        "result": "Ведущий",
        "happened_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "proof_url": "https://webinar.example.ru/records/15",
    }
    data.update(overrides)
    return data


# --- The proof file: owner, another teacher, anonymous, experts, coordinator -----------------------------


def test_proof_for_the_owner(client, achievement):
    _login(client, achievement.enrollment.person.user)
    response = client.get(reverse("achievement_proof", args=[achievement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_image_proof_opens_inline(client):
    achievement = with_file(AchievementFactory(), content=PNG_BYTES, name="scan.png")
    _login(client, achievement.enrollment.person.user)
    response = client.get(reverse("achievement_proof", args=[achievement.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" not in response.get("Content-Disposition", "")


def test_proof_is_404_for_another_teacher(client, achievement):
    _login(client, EnrollmentFactory(season=achievement.enrollment.season).person.user)
    assert client.get(reverse("achievement_proof", args=[achievement.pk])).status_code == 404


def test_proof_sends_anonymous_to_login(client, achievement):
    response = client.get(reverse("achievement_proof", args=[achievement.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_proof_for_an_expert_of_the_season(client, achievement):
    _login(client, expert_of(achievement.enrollment.season).person.user)
    assert client.get(reverse("achievement_proof", args=[achievement.pk])).status_code == 200


def test_proof_is_404_for_an_expert_of_another_season(client, achievement):
    _login(client, expert_of(SeasonFactory()).person.user)
    assert client.get(reverse("achievement_proof", args=[achievement.pk])).status_code == 404


def test_proof_for_the_coordinator(client, achievement):
    _login(client, coordinator_of(achievement.enrollment.season))
    assert client.get(reverse("achievement_proof", args=[achievement.pk])).status_code == 200


def test_proof_of_a_link_only_achievement_is_404(client):
    achievement = AchievementFactory()
    _login(client, achievement.enrollment.person.user)
    assert client.get(reverse("achievement_proof", args=[achievement.pk])).status_code == 404


# --- Adding, editing, deleting -------------------------------------------------------------------------


def test_owner_adds_an_achievement(client):
    enrollment = EnrollmentFactory()
    _login(client, enrollment.person.user)
    page = client.get(reverse("achievement_create") + f"?enrollment={enrollment.pk}")
    assert page.status_code == 200
    assert "Новое достижение" in page.content.decode()
    response = client.post(reverse("achievement_create"), _data(enrollment))
    assert response.status_code == 302 and response["Location"].endswith("#my-achievements")
    item = Achievement.objects.get()
    assert (item.enrollment, item.level, item.status) == (enrollment, "federal", "pending")


def test_add_with_a_file(client):
    enrollment = EnrollmentFactory()
    _login(client, enrollment.person.user)
    response = client.post(
        reverse("achievement_create"), {**_data(enrollment, proof_url=""), "proof_file": pdf_upload()}
    )
    assert response.status_code == 302
    assert Achievement.objects.get().proof_file.name.endswith(".pdf")


def test_bad_link_is_reported_at_the_field_and_nothing_typed_is_lost(client):
    enrollment = EnrollmentFactory()
    _login(client, enrollment.person.user)
    response = client.post(reverse("achievement_create"), _data(enrollment, proof_url="javascript:alert(1)"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ссылка должна начинаться с http:// или https://." in html
    assert 'value="Вебинар «Формирующее оценивание»"' in html
    assert 'value="Ведущий"' in html
    assert not Achievement.objects.exists()


def test_future_date_is_reported_at_the_field(client):
    enrollment = EnrollmentFactory()
    _login(client, enrollment.person.user)
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(reverse("achievement_create"), _data(enrollment, happened_on=future))
    assert "Дата не может быть в будущем." in response.content.decode()
    assert not Achievement.objects.exists()


def test_another_persons_enrollment_cannot_be_chosen(client):
    mine, theirs = EnrollmentFactory(), EnrollmentFactory()
    _login(client, mine.person.user)
    response = client.post(reverse("achievement_create"), _data(theirs))
    assert response.status_code == 200
    assert not Achievement.objects.exists()


def test_an_applicant_is_told_to_wait(client):
    enrollment = EnrollmentFactory(status=Enrollment.Status.APPLIED)
    _login(client, enrollment.person.user)
    response = client.get(reverse("achievement_create"))
    assert "Когда координатор утвердит вашу заявку" in response.content.decode()
    client.post(reverse("achievement_create"), _data(enrollment))
    assert not Achievement.objects.exists()


def test_anonymous_is_sent_to_login(client, achievement):
    for url in (
        reverse("achievement_create"),
        reverse("achievement_edit", args=[achievement.pk]),
        reverse("achievement_delete", args=[achievement.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_owner_edits_a_pending_achievement(client, achievement):
    _login(client, achievement.enrollment.person.user)
    url = reverse("achievement_edit", args=[achievement.pk])
    assert achievement.title in client.get(url).content.decode()
    response = client.post(url, _data(achievement.enrollment, title="Исправленное название"))
    assert response.status_code == 302
    achievement.refresh_from_db()
    assert achievement.title == "Исправленное название" and achievement.proof_file


def test_another_teacher_gets_404_on_edit_and_delete(client, achievement):
    _login(client, EnrollmentFactory(season=achievement.enrollment.season).person.user)
    assert client.get(reverse("achievement_edit", args=[achievement.pk])).status_code == 404
    assert client.post(reverse("achievement_edit", args=[achievement.pk]), {"title": "x"}).status_code == 404
    assert client.post(reverse("achievement_delete", args=[achievement.pk])).status_code == 404
    assert Achievement.objects.filter(pk=achievement.pk).exists()


def test_decided_achievement_is_not_editable(client):
    achievement = AchievementFactory(status=Achievement.Status.CONFIRMED)
    _login(client, achievement.enrollment.person.user)
    response = client.post(reverse("achievement_edit", args=[achievement.pk]), _data(achievement.enrollment))
    assert response.status_code == 302
    achievement.refresh_from_db()
    assert achievement.title != "Вебинар «Формирующее оценивание»"


def test_owner_deletes_after_confirming(client, achievement):
    _login(client, achievement.enrollment.person.user)
    url = reverse("achievement_delete", args=[achievement.pk])
    assert "Удалить достижение?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Achievement.objects.filter(pk=achievement.pk).exists()


# --- The cabinet section ------------------------------------------------------------------------------


def test_cabinet_shows_status_and_the_experts_comment(client):
    enrollment = EnrollmentFactory()
    AchievementFactory(
        enrollment=enrollment, title="Публикация в сборнике", status="rejected", comment="Нет выходных данных"
    )
    AchievementFactory(enrollment=enrollment, title="Конкурс педмастерства")
    _login(client, enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "Мои достижения" in html
    assert "Публикация в сборнике" in html and "Отклонено" in html and "Нет выходных данных" in html
    assert "Конкурс педмастерства" in html and "На проверке" in html
    assert reverse("achievement_create") in html


def test_cabinet_section_is_hidden_for_an_applicant_without_achievements():
    enrollment = EnrollmentFactory(status=Enrollment.Status.APPLIED)
    person = enrollment.person
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())
    assert achievements_context(ctx) is None


@pytest.mark.parametrize("count", [1, 3])
def test_cabinet_section_query_count(django_assert_num_queries, count):
    person = PersonFactory()
    for _ in range(count):
        enrollment = EnrollmentFactory(person=person)
        with_file(AchievementFactory(enrollment=enrollment))
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())
    with django_assert_num_queries(1):
        context = achievements_context(ctx)
    assert len(context["items"]) == count
    assert {item.enrollment.season.program.title for item in context["items"]}


# --- The rating-publication consent from the cabinet ---------------------------------------------------


def test_teacher_gives_and_withdraws_the_rating_consent(client):
    enrollment = EnrollmentFactory()
    person = enrollment.person
    _login(client, person.user)
    assert "Дать согласие" in client.get(reverse("cabinet")).content.decode()
    assert client.post(reverse("rating_consent"), {"given": "1"}).status_code == 302
    assert Consent.objects.filter(person=person, kind="rating_publication", withdrawn_at__isnull=True).exists()
    assert "Отозвать согласие" in client.get(reverse("cabinet")).content.decode()
    client.post(reverse("rating_consent"), {"given": "0"})
    assert not Consent.objects.filter(person=person, kind="rating_publication", withdrawn_at__isnull=True).exists()


def test_consent_view_needs_a_signed_in_person(client):
    assert client.post(reverse("rating_consent"), {"given": "1"}).status_code == 302
    assert client.get(reverse("rating_consent")).status_code in (302, 405)
    assert not Consent.objects.exists()
