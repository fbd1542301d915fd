"""ratings.filters.ReviewQueueFilterSet on /expert/reviews/: each filter narrows; another municipality's season,
garbage and overflowing numbers are Russian errors at their field, the rest of the filters still apply, no 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings.filters import ReviewQueueFilterSet
from ratings.models import ReviewAssignment
from ratings.selectors import review_queue
from tests.factories import SeasonFactory, SubjectFactory

pytestmark = pytest.mark.django_db
URL = reverse("review_queue")


def rows(response) -> list[int]:
    assert response.status_code == 200
    return [row.submission.pk for row in response.context["rows"]]


def test_each_filter_narrows_the_filterset(world):
    algebra = SubjectFactory(name="Алгебра")
    mine = world.submission(days_ago=1)
    ReviewAssignment.objects.create(submission=mine, expert=world.curator)
    overdue = world.submission(days_ago=10)
    other = world.submission(days_ago=2, subject=algebra)
    assignments = [world.curator]

    def ids(data):
        filters = ReviewQueueFilterSet(data, review_queue(assignments), assignments=assignments, now=timezone.now())
        return {s.pk for s in filters.qs}

    assert ids(None) == {mine.pk, overdue.pk, other.pk}
    assert ids({"mine": "on"}) == {mine.pk}
    assert ids({"overdue": "on"}) == {overdue.pk}
    assert ids({"subject": algebra.pk}) == {other.pk}
    assert ids({"season": world.season.pk, "subject": algebra.pk}) == {other.pk}
    assert ids({"mine": "", "overdue": ""}) == {mine.pk, overdue.pk, other.pk}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"season": "FOREIGN"}, "season", "Такого сезона нет среди ваших; выберите сезон из списка."),
        ({"season": "abc"}, "season", "Такого сезона нет среди ваших; выберите сезон из списка."),
        ({"season": "9" * 40}, "season", "Такого сезона нет среди ваших; выберите сезон из списка."),
        ({"subject": "²"}, "subject", "Такого предмета нет; выберите предмет из списка."),
        ({"subject": "9" * 40}, "subject", "Такого предмета нет; выберите предмет из списка."),
    ],
)
def test_bad_values_are_russian_errors(client, world, params, field, message):
    foreign = SeasonFactory()  # another municipality's program
    params = {k: (foreign.pk if v == "FOREIGN" else v) for k, v in params.items()}
    lesson = world.submission(days_ago=1)
    client.force_login(world.curator.person.user)
    response = client.get(URL, params)
    assert rows(response) == [lesson.pk]
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()


def test_chosen_values_stay_selected_and_pages_keep_them(client, world):
    subject_id = world.subject.pk
    client.force_login(world.curator.person.user)
    page = client.get(URL, {"season": world.season.pk, "subject": subject_id, "overdue": "on"}).content.decode()
    assert f'<option value="{world.season.pk}" selected>' in page
    assert f'<option value="{subject_id}" selected>' in page
    assert 'name="overdue" value="on" id="f-overdue" checked' in page


def test_select_options_are_the_filters_own_choices(client, world):
    SubjectFactory(name="Алгебра")
    client.force_login(world.curator.person.user)
    response = client.get(URL)
    form = response.context["form"]
    for name in ("season", "subject"):
        own = [(str(value), str(label)) for value, label in form[name].field.choices]
        assert [(option.value, option.label) for option in response.context[f"{name}_options"]] == own
        assert len(own) > 1 and not any(option.selected for option in response.context[f"{name}_options"])
    assert response.context["subject_options"][0].label == "Все предметы"
