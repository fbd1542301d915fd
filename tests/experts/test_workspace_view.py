from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertRole
from experts.workspace import Panel, register_panel, registered_panels
from tests.factories import ExpertAssignmentFactory, PersonFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("expert_workspace"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_teacher_without_assignments_is_told_so(client):
    person = PersonFactory(user=UserFactory())
    client.force_login(person.user)
    response = client.get(reverse("expert_workspace"))
    assert response.status_code == 200
    assert "не входите в экспертную команду" in response.content.decode()


def test_ended_season_assignments_do_not_count(client):
    today = timezone.localdate()
    season = SeasonFactory(starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=30))
    assignment = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR, person__user=UserFactory())
    client.force_login(assignment.person.user)
    assert "не входите в экспертную команду" in client.get(reverse("expert_workspace")).content.decode()


def test_panels_render_for_the_expert_and_only_their_assignments_are_listed(client):
    today = timezone.localdate()
    season = SeasonFactory(starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=200))
    mine = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR, person__user=UserFactory())
    ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST, person__user=UserFactory())
    seen = []

    def context(ctx):
        seen.append([a.pk for a in ctx.assignments])
        assert ctx.roles() == {ExpertRole.CURATOR}
        return {"enrollments": []}

    # Any section template will do: the cabinet's «Мои программы» with an empty list.
    register_panel(Panel(key="test-panel", template="participants/cabinet/_programs.html", context=context))
    try:
        client.force_login(mine.person.user)
        response = client.get(reverse("expert_workspace"))
    finally:
        from experts import workspace

        workspace._panels.pop("test-panel", None)
    assert response.status_code == 200
    assert seen == [[mine.pk]]
    assert "Вы пока не участвуете ни в одной программе." in response.content.decode()
    assert "test-panel" not in [p.key for p in registered_panels()]
