"""Сид 001, «Траектория развития», мероприятие 6 (the template plans it; the rule that flags a half-year without one is
test_seed001_trajectory_event6_intensive_each_half_year.py): «Организация и проведение образовательных интенсивов для
педагогов» — «не менее 1 раза в учебном полугодии»; the participants are the mentors who wish to come."""

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from activities.models import ActivityAudience, ActivityKind, Session
from programs.program_templates.imc_cascade import traektoriya_razvitiya
from programs.templates_service import program_template_apply

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize("today", [date(2026, 6, 15), date(2026, 12, 7), date(2026, 8, 31)], ids=str)
def test_an_intensive_in_each_half_of_the_academic_year(today):
    season = program_template_apply(template=traektoriya_razvitiya(today), changes=Counter())
    year = season.starts_on.year

    intensives = Session.objects.filter(activity__season=season, activity__kind=ActivityKind.INTENSIVE)
    days = sorted(s.starts_at.astimezone(MSK).date() for s in intensives)
    first_half = [d for d in days if date(year, 9, 1) <= d <= date(year, 12, 31)]
    second_half = [d for d in days if date(year + 1, 1, 1) <= d <= date(year + 1, 8, 31)]
    assert len(first_half) >= 1 and len(second_half) >= 1
    for session in intensives.select_related("activity"):
        # Open to whoever wishes: nobody is marked absent from an intensive they did not choose.
        assert session.activity.audience == ActivityAudience.OPEN
        assert not session.activity.is_mandatory
        assert not session.activity.gives_certificate
