"""«The orders are the law»: every season rule that decides an outcome shows its source — the order and clause
(seed 000, приказ № 643-од: п. 4.4, 5.5 exclusion; п. 5.9 certificates; seed 004, приказ № 18; seed 003,
приказ № 223/1) or «значение портала по умолчанию, можно изменить» — in the admin, on the public page, in an
exclusion case and in the cabinet's certificate rules. Walked through on the real services with explicit dates.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.exclusion import exclusion_rules_apply
from activities.models import Activity, Attendance, ExclusionCase
from participants.models import Enrollment
from programs import rule_sources
from programs.models import Season
from programs.program_templates import METHODICAL_SUBSCRIPTION, PEDCLUSTER27, PROGRESSIVE_TEACHER, TEMPLATES
from programs.selectors import season_rules
from programs.templates_service import program_template_apply
from tests.factories import AttendanceFactory, EnrollmentFactory, UserFactory

from ..activities.exclusion_fixtures import absent, participant, rules_season

pytestmark = pytest.mark.django_db
YEKT = ZoneInfo("Asia/Yekaterinburg")
DEFAULT = "значение портала по умолчанию, можно изменить"


def _pt_season(**changes) -> Season:
    season = program_template_apply(template=PROGRESSIVE_TEACHER)
    if changes:
        Season.objects.filter(pk=season.pk).update(**changes)
        season.refresh_from_db()
    return season


def _absent_from_setup_meeting(season: Season) -> Enrollment:
    """A participant since 20 September 2024 marked absent (no excuse) at the setup meeting of 26 September."""
    enrollment = EnrollmentFactory(season=season, status_changed_at=datetime(2024, 9, 20, 12, tzinfo=YEKT))
    activity = Activity.objects.get(season=season, title="Установочная встреча с участниками Программы")
    AttendanceFactory(session=activity.sessions.get(), enrollment=enrollment, status=Attendance.Status.ABSENT)
    return enrollment


# --- The templates: every outcome-deciding rule has a source ------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t["program"]["slug"])
def test_every_rule_of_a_template_season_has_a_source(template):
    season = program_template_apply(template=template)
    rules = season_rules(season)
    assert {r.key for r in rules} == set(rule_sources.RULE_KEYS)
    for rule in rules:
        assert rule.source.strip(), rule.key
        assert rule.value.strip(), rule.key
        assert rule.is_default == (rule.source == DEFAULT), rule.key
    recorded = {r.key for r in rules if not r.is_default}
    # What each order fixes is cited, not left to the portal's default.
    assert recorded == set(template["season"]["rule_sources"])


def test_the_orders_clauses_as_the_seeds_number_them():
    by_key = {r.key: r.source for r in season_rules(program_template_apply(template=PROGRESSIVE_TEACHER))}
    assert (
        "643-од" in by_key["exclude_on_unexcused_absence"] and "п. 4.4, 5.5" in by_key["exclude_on_unexcused_absence"]
    )
    assert "643-од" in by_key["exclude_on_missed_video"] and "п. 4.4, 5.5" in by_key["exclude_on_missed_video"]
    assert "п. 5.9" in by_key["certificates"] and "п. 5.8" in by_key["rating"]
    assert "п. 5.2" in by_key["registration_opens_at"] and "п. 4.1" in by_key["eligible_education_levels"]

    subscription = {r.key: r for r in season_rules(program_template_apply(template=METHODICAL_SUBSCRIPTION))}
    assert "№ 18" in subscription["requires_approval"].source
    assert "разд. III, п. 2" in subscription["requires_approval"].source
    assert subscription["certificates"].source == DEFAULT
    assert all("5.9" not in r.source and "643-од" not in r.source for r in subscription.values())

    cluster = {r.key: r for r in season_rules(program_template_apply(template=PEDCLUSTER27))}
    assert "№ 223/1" in cluster["exclude_on_unexcused_absence"].source
    assert cluster["certificates"].source == DEFAULT
    assert all("643-од" not in r.source for r in cluster.values())


# --- Exclusion: the case's reason and the automatic exclusion cite the season's sources ---------------------------


def test_a_progressive_teacher_case_cites_order_643_clause_4_4():
    season = _pt_season()
    enrollment = _absent_from_setup_meeting(season)

    exclusion_rules_apply(now=datetime(2024, 10, 1, 12, tzinfo=YEKT))

    case = ExclusionCase.objects.get(enrollment=enrollment)
    (reason,) = [r for r in case.reasons if r["key"].startswith("absence:")]
    assert "643-од" in reason["source"] and "4.4" in reason["source"]
    assert "643-од" in case.events.get(action="opened").note


def test_an_automatic_exclusion_names_the_seasons_own_source():
    season = _pt_season(exclusion_policy=Season.ExclusionPolicy.AUTOMATIC)
    enrollment = _absent_from_setup_meeting(season)

    exclusion_rules_apply(now=datetime(2024, 10, 1, 12, tzinfo=YEKT))

    case = ExclusionCase.objects.get(enrollment=enrollment)
    assert case.status == ExclusionCase.Status.EXCLUDED
    assert "643-од" in case.decision_reason and "п. 4.4, 5.5" in case.decision_reason
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.EXCLUDED


def test_a_season_made_by_hand_reads_the_portal_default():
    season = rules_season(policy=Season.ExclusionPolicy.AUTOMATIC)
    enrollment = participant(season)
    absent(enrollment)

    exclusion_rules_apply(now=timezone.now())

    case = ExclusionCase.objects.get(enrollment=enrollment)
    assert [r["source"] for r in case.reasons] == [DEFAULT]
    assert DEFAULT in case.decision_reason
    # Never another program's clause.
    assert "4.4" not in case.decision_reason and "положения" not in case.decision_reason


# --- The admin: a coordinator's change flips the source, the order's value restores it ----------------------------


def _post_data(season: Season, **changes) -> dict:
    tz = season.tz
    data = {
        "program": season.program_id,
        "title": season.title,
        "starts_on": season.starts_on.isoformat(),
        "ends_on": season.ends_on.isoformat(),
        "time_zone": season.time_zone,
        "exclusion_policy": season.exclusion_policy,
        "default_attendance_status": season.default_attendance_status,
        "chat_join_days": season.chat_join_days or "",
        "video_max_size_mb": season.video_max_size_mb,
        "video_score_rule": season.video_score_rule,
        "eligible_education_levels": season.eligible_education_levels,
        "visit_period": season.visit_period,
        "certificate_signatory": season.certificate_signatory,
    }
    for name in ("registration_opens_at", "registration_closes_at"):
        local = timezone.localtime(getattr(season, name), tz)
        data[f"{name}_0"], data[f"{name}_1"] = local.date().isoformat(), local.strftime("%H:%M:%S")
    for name in (
        "weight_attendance",
        "weight_video_score",
        "weight_achievement_municipal",
        "weight_achievement_regional",
        "weight_achievement_federal",
        "weight_achievement_international",
    ):
        data[name] = str(getattr(season, name))
    for name in ("requires_approval", "exclude_on_unexcused_absence", "exclude_on_missed_video"):
        if getattr(season, name):
            data[name] = "on"
    data["issue_final_certificate"] = "on" if season.issue_final_certificate else ""
    for prefix in ("modules", "expert_roles", "experts"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_a_coordinators_change_in_the_admin_flips_the_source(client):
    season = _pt_season()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:programs_season_change", args=[season.pk])

    page = client.get(url).content.decode()
    assert "Источник правил" in page
    assert "Источник: Приказ № 643-од от 09.09.2024" in page  # beside the field

    data = _post_data(season)
    del data["exclude_on_missed_video"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    season.refresh_from_db()
    today = timezone.localdate(timezone=season.tz).strftime("%d.%m.%Y")
    assert season.rule_sources["exclude_on_missed_video"] == f"изменено координатором {today}"
    # The untouched rules keep their clauses.
    assert "п. 4.4, 5.5" in season.rule_sources["exclude_on_unexcused_absence"]
    rules = {r.key: r for r in season_rules(season)}
    assert rules["exclude_on_missed_video"].source.startswith("изменено координатором")
    assert not rules["exclude_on_missed_video"].is_default

    response = client.post(url, _post_data(season, exclude_on_missed_video="on"))
    assert response.status_code == 302
    season.refresh_from_db()
    assert season.rule_sources["exclude_on_missed_video"] == rule_sources.PROGRESSIVE_TEACHER["exclude_on_missed_video"]


def test_a_weight_changed_by_a_coordinator_and_back_reads_the_portal_default_again(client):
    season = _pt_season()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:programs_season_change", args=[season.pk])
    assert client.post(url, _post_data(season, weight_attendance="2")).status_code == 302
    season.refresh_from_db()
    assert season.rule_source("weight_attendance")[0].startswith("изменено координатором")
    assert client.post(url, _post_data(season, weight_attendance="1")).status_code == 302
    season.refresh_from_db()
    assert season.rule_source("weight_attendance") == (DEFAULT, True)


def test_a_copied_season_does_not_claim_the_orders_dates():
    from programs.services import season_clone

    copy = season_clone(source=_pt_season())
    assert copy.rule_source("registration_opens_at") == (DEFAULT, True)
    assert "п. 4.4, 5.5" in copy.rule_source("exclude_on_unexcused_absence")[0]


# --- The public page and the cabinet -------------------------------------------------------------------------------


def test_the_public_page_lists_the_rules_with_their_sources(client):
    _pt_season()
    html = client.get(reverse("program_detail", args=["progressive-teacher"])).content.decode()
    assert "Правила программы" in html
    section = html[html.index('id="rules-title"') :]
    assert "п. 4.4, 5.5" in section and "п. 5.9" in section and "п. 5.8" in section
    assert "Исключать за видеоурок, не сданный в срок" in section
    assert "Вес: посещаемость" in section and DEFAULT in section
    assert "Приказ Управления образования администрации Октябрьского района № 643-од" in html


def test_the_public_page_of_the_methodical_subscription_never_cites_clause_5_9(client):
    program_template_apply(template=METHODICAL_SUBSCRIPTION)
    html = client.get(reverse("program_detail", args=["methodical-subscription"])).content.decode()
    section = html[html.index('id="rules-title"') :]
    assert "разд. III, п. 2" in section
    assert "5.9" not in section and "643-од" not in section


def _certificate_rules(client, season: Season) -> str:
    enrollment = EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE)
    client.force_login(enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    start = html.index('class="small text-secondary certificate-rules"')
    return html[start : html.index("</section>", start)]


def test_a_methodical_subscription_teachers_certificate_rules_do_not_say_5_9(client):
    rules = _certificate_rules(client, program_template_apply(template=METHODICAL_SUBSCRIPTION))
    assert "5.9" not in rules
    assert DEFAULT in rules


def test_a_progressive_teachers_certificate_rules_cite_5_9(client):
    rules = _certificate_rules(client, _pt_season())
    assert "643-од" in rules and "п. 5.9" in rules


def test_the_rules_read_no_query(django_assert_num_queries):
    season = _pt_season()
    season = Season.objects.get(pk=season.pk)
    with django_assert_num_queries(0):
        assert len(season_rules(season)) == len(rule_sources.RULE_KEYS)


def test_a_breached_rules_warning_e_mail_gives_the_source():
    from django.core import mail

    from core.notifications import notifications_deliver

    season = _pt_season()
    _absent_from_setup_meeting(season)
    exclusion_rules_apply(now=datetime(2024, 10, 1, 12, tzinfo=YEKT))
    notifications_deliver()
    warnings = [m for m in mail.outbox if "Нарушено правило программы" in m.subject]
    assert warnings
    assert any("Источник: Приказ № 643-од" in m.body and "4.4" in m.body for m in warnings)
