"""experts.filters.TutorRequestFilterSet on the tutor's bank of requests: status and form narrow; garbage is a
Russian error at its field and the rest of the list stays; another season's requests never appear."""

import pytest
from django.urls import reverse

from experts.models import ExpertRole, IndividualRequest
from experts.services import individual_request_assign_tutor, individual_request_submit
from participants.models import SubscriptionForm
from programs.models import Program
from tests.factories import AdmittedEnrollmentFactory, ExpertAssignmentFactory, ProgramFactory, SeasonFactory

pytestmark = pytest.mark.django_db
R = IndividualRequest.Status
URL = reverse("tutor_requests")


def _season():
    return SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION))


def _request(season, *, tutor=None, form=SubscriptionForm.PRACTICUM):
    item = individual_request_submit(
        enrollment=AdmittedEnrollmentFactory(season=season), deficit="Дефицит", topic="Тема", preferred_form=form
    )
    if tutor is not None:
        individual_request_assign_tutor(requests=[item], tutor=tutor)
    return item


@pytest.fixture
def world():
    season = _season()
    tutor = ExpertAssignmentFactory(season=season, role=ExpertRole.TUTOR)
    return {
        "tutor": tutor,
        "assigned": _request(season, tutor=tutor),
        "training": _request(season, form=SubscriptionForm.TRAINING),
        "foreign": _request(_season(), form=SubscriptionForm.TRAINING),
    }


def ids(response) -> set[int]:
    assert response.status_code == 200
    return {i.pk for i in response.context["mine"] + response.context["waiting"]}


def test_each_filter_narrows(client, world):
    client.force_login(world["tutor"].person.user)
    assert ids(client.get(URL)) == {world["assigned"].pk, world["training"].pk}
    assert ids(client.get(URL, {"status": R.ASSIGNED})) == {world["assigned"].pk}
    assert ids(client.get(URL, {"status": R.NEW})) == {world["training"].pk}
    assert ids(client.get(URL, {"form": SubscriptionForm.TRAINING})) == {world["training"].pk}
    assert ids(client.get(URL, {"form": SubscriptionForm.TRAINING, "status": R.ASSIGNED})) == set()
    page = client.get(URL, {"form": SubscriptionForm.TRAINING}).content.decode()
    assert f'<option value="{SubscriptionForm.TRAINING}" selected>' in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"status": "bogus"}, "status", "Такого статуса нет; выберите статус из списка."),
        ({"form": "<script>"}, "form", "Такой формы нет; выберите форму из списка."),
        ({"form": "9" * 40}, "form", "Такой формы нет; выберите форму из списка."),
    ],
)
def test_bad_values_are_russian_errors(client, world, params, field, message):
    client.force_login(world["tutor"].person.user)
    response = client.get(URL, params)
    assert ids(response) == {world["assigned"].pk, world["training"].pk}
    assert response.context["filters"].errors[field] == [message]
    assert message in response.content.decode()
