from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from experts.models import ExpertRole
from participants.models import Consent, Enrollment
from participants.services import consent_set
from ratings.models import Achievement
from ratings.services import achievement_add, achievement_decide, achievement_delete, achievement_update
from tests.factories import EnrollmentFactory, PersonFactory, SeasonFactory, UserFactory

from .achievement_helpers import AchievementFactory, coordinator_of, expert_of, pdf_upload, with_file

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _fields(**overrides):
    fields = {
        "title": "  Статья «Дроби на практике»  ",
        "kind": Achievement.Kind.PUBLICATION,
        "level": Achievement.Level.REGIONAL,
        "happened_on": TODAY - timedelta(days=10),
        "result": "",
        "proof_url": "https://journal.example.ru/2025/3",
    }
    fields.update(overrides)
    return fields


def test_add_keeps_a_pending_achievement_with_trimmed_text():
    enrollment = EnrollmentFactory()
    achievement = achievement_add(enrollment=enrollment, **_fields())
    achievement.refresh_from_db()
    assert achievement.status == Achievement.Status.PENDING
    assert achievement.title == "Статья «Дроби на практике»"
    assert achievement.decided_by is None


def test_add_stores_the_file_under_a_name_of_its_own(settings):
    enrollment = EnrollmentFactory()
    achievement = achievement_add(enrollment=enrollment, **_fields(proof_url=""), proof_file=pdf_upload("Иванова.pdf"))
    name = achievement.proof_file.name
    assert name.startswith("achievements/") and name.endswith(".pdf")
    assert "Иванова" not in name
    assert (Path(settings.MEDIA_ROOT) / name).read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("status", [Enrollment.Status.APPLIED, Enrollment.Status.WITHDRAWN, Enrollment.Status.EXCLUDED])
def test_only_active_or_completed_participants_add(status):
    with pytest.raises(ValidationError, match="участники программы"):
        achievement_add(enrollment=EnrollmentFactory(status=status), **_fields())
    assert not Achievement.objects.exists()


def test_completed_participant_adds():
    enrollment = EnrollmentFactory(status=Enrollment.Status.COMPLETED)
    assert achievement_add(enrollment=enrollment, **_fields()).pk


def test_date_in_the_future_is_refused():
    enrollment = EnrollmentFactory()
    # "Tomorrow" in the season's zone: late in the UTC evening it is already tomorrow east of Moscow.
    tomorrow = timezone.localdate(timezone=enrollment.season.tz) + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        achievement_add(enrollment=enrollment, **_fields(happened_on=tomorrow))
    assert exc.value.message_dict["happened_on"] == ["Дата не может быть в будущем."]


def test_date_after_the_season_is_refused():
    season = SeasonFactory(starts_on=TODAY - timedelta(days=400), ends_on=TODAY - timedelta(days=40))
    with pytest.raises(ValidationError) as exc:
        achievement_add(
            enrollment=EnrollmentFactory(season=season, status=Enrollment.Status.COMPLETED),
            **_fields(happened_on=TODAY - timedelta(days=10)),
        )
    assert "позже окончания сезона" in exc.value.message_dict["happened_on"][0]


def test_date_before_the_season_is_accepted():
    season = SeasonFactory(starts_on=TODAY - timedelta(days=30))
    achievement = achievement_add(
        enrollment=EnrollmentFactory(season=season), **_fields(happened_on=TODAY - timedelta(days=200))
    )
    assert achievement.happened_on == TODAY - timedelta(days=200)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "ftp://x.ru/a", "vk.com/x"],
)
def test_proof_link_must_be_http_or_https(url):
    with pytest.raises(ValidationError) as exc:
        achievement_add(enrollment=EnrollmentFactory(), **_fields(proof_url=url))
    assert "proof_url" in exc.value.message_dict


def test_a_proof_is_required():
    with pytest.raises(ValidationError) as exc:
        achievement_add(enrollment=EnrollmentFactory(), **_fields(proof_url=""))
    assert "proof_url" in exc.value.message_dict


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused():
    with pytest.raises(ValidationError, match="не похож на PDF"):
        achievement_add(
            enrollment=EnrollmentFactory(), **_fields(proof_url=""), proof_file=pdf_upload(content=b"MZ\x90 exe")
        )
    assert not Achievement.objects.exists()


def test_update_while_pending_and_a_new_file_replaces_the_old(settings, django_capture_on_commit_callbacks):
    achievement = with_file(AchievementFactory())
    old = Path(settings.MEDIA_ROOT) / achievement.proof_file.name
    assert old.exists()
    with django_capture_on_commit_callbacks(execute=True):
        achievement_update(achievement=achievement, **_fields(title="Новое название"), proof_file=pdf_upload("new.pdf"))
    achievement.refresh_from_db()
    assert achievement.title == "Новое название"
    assert achievement.level == Achievement.Level.REGIONAL
    assert not old.exists()
    assert (Path(settings.MEDIA_ROOT) / achievement.proof_file.name).exists()


def test_update_cannot_remove_the_only_proof():
    achievement = with_file(AchievementFactory())
    Achievement.objects.filter(pk=achievement.pk).update(proof_url="")
    with pytest.raises(ValidationError) as exc:
        achievement_update(achievement=achievement, **_fields(proof_url=""), remove_file=True)
    assert "proof_url" in exc.value.message_dict


@pytest.mark.parametrize("status", [Achievement.Status.CONFIRMED, Achievement.Status.REJECTED])
def test_decided_achievements_cannot_be_changed_or_deleted(status):
    achievement = AchievementFactory(status=status)
    with pytest.raises(ValidationError, match="уже рассмотрено"):
        achievement_update(achievement=achievement, **_fields())
    with pytest.raises(ValidationError, match="уже рассмотрено"):
        achievement_delete(achievement=achievement)
    assert Achievement.objects.get(pk=achievement.pk).title == achievement.title


def test_delete_pending_removes_the_row_and_the_file(settings, django_capture_on_commit_callbacks):
    achievement = with_file(AchievementFactory())
    path = Path(settings.MEDIA_ROOT) / achievement.proof_file.name
    with django_capture_on_commit_callbacks(execute=True):
        achievement_delete(achievement=achievement)
    assert not Achievement.objects.filter(pk=achievement.pk).exists()
    assert not path.exists()


def test_expert_confirms_in_bulk_and_is_recorded():
    season = SeasonFactory()
    expert = expert_of(season, role=ExpertRole.METHODIST)
    items = [AchievementFactory(enrollment__season=season) for _ in range(3)]
    decided = achievement_decide(achievements=items, confirm=True, comment="", by=expert.person.user)
    assert len(decided) == 3
    for item in items:
        item.refresh_from_db()
        assert item.status == Achievement.Status.CONFIRMED
        assert item.decided_by == expert
        assert item.decided_at is not None


def test_rejection_needs_a_comment():
    season = SeasonFactory()
    expert = expert_of(season)
    item = AchievementFactory(enrollment__season=season)
    with pytest.raises(ValidationError) as exc:
        achievement_decide(achievements=[item], confirm=False, comment="   ", by=expert.person.user)
    assert "comment" in exc.value.message_dict
    item.refresh_from_db()
    assert item.status == Achievement.Status.PENDING


def test_rejection_keeps_the_comment_for_the_teacher():
    season = SeasonFactory()
    expert = expert_of(season)
    item = AchievementFactory(enrollment__season=season)
    achievement_decide(achievements=[item], confirm=False, comment=" Ссылка не открывается ", by=expert.person.user)
    item.refresh_from_db()
    assert (item.status, item.comment) == (Achievement.Status.REJECTED, "Ссылка не открывается")


def test_coordinator_decides_without_an_expert_assignment():
    season = SeasonFactory()
    item = AchievementFactory(enrollment__season=season)
    decided = achievement_decide(achievements=[item], confirm=True, by=coordinator_of(season))
    assert decided == [item]
    item.refresh_from_db()
    assert item.status == Achievement.Status.CONFIRMED and item.decided_by is None


def test_outsiders_and_decided_ones_are_left_untouched():
    season, other = SeasonFactory(), SeasonFactory()
    foreign_expert = expert_of(other)
    tech = expert_of(season, role=ExpertRole.TECH_SPECIALIST)
    mine = AchievementFactory(enrollment__season=season)
    done = AchievementFactory(enrollment__season=season, status=Achievement.Status.REJECTED, comment="Нет")
    assert achievement_decide(achievements=[mine], confirm=True, by=foreign_expert.person.user) == []
    assert achievement_decide(achievements=[mine], confirm=True, by=tech.person.user) == []
    assert achievement_decide(achievements=[mine], confirm=True, by=UserFactory()) == []
    assert achievement_decide(achievements=[done], confirm=True, by=expert_of(season).person.user) == []
    mine.refresh_from_db()
    done.refresh_from_db()
    assert (mine.status, done.status) == (Achievement.Status.PENDING, Achievement.Status.REJECTED)


def test_consent_set_gives_and_withdraws_idempotently():
    person = PersonFactory()
    first = consent_set(person=person, kind=Consent.Kind.RATING_PUBLICATION, given=True)
    again = consent_set(person=person, kind=Consent.Kind.RATING_PUBLICATION, given=True)
    assert first.pk == again.pk and first.text_version == "2026-11-22" and len(first.text_sha256) == 64
    assert consent_set(person=person, kind=Consent.Kind.RATING_PUBLICATION, given=False) is None
    assert consent_set(person=person, kind=Consent.Kind.RATING_PUBLICATION, given=False) is None
    history = list(Consent.objects.filter(person=person, kind=Consent.Kind.RATING_PUBLICATION))
    assert len(history) == 1 and history[0].withdrawn_at is not None
    renewed = consent_set(person=person, kind=Consent.Kind.RATING_PUBLICATION, given=True)
    assert renewed.pk != first.pk
    assert Consent.objects.filter(person=person, kind=Consent.Kind.RATING_PUBLICATION).count() == 2


def test_consent_set_refuses_an_unknown_kind():
    with pytest.raises(ValidationError):
        consent_set(person=PersonFactory(), kind="marketing", given=True)
