"""The audit trail of reviews: the expert's save and submit, the coordinator's release (set-based)."""

import pytest
from django.urls import reverse

from ratings.models import Review
from tests.factories import MunicipalityFactory

from .conftest import coordinator
from .test_review_release_admin import release, scored

pytestmark = pytest.mark.django_db


def test_saving_and_submitting_a_review_is_recorded(world):
    review = scored(world)

    rows = list(Review.history.filter(id=review.pk).order_by("history_date", "history_id"))
    assert [h.history_type for h in rows][0] == "+"
    assert rows[-1].status == Review.Status.SUBMITTED and rows[-1].strengths == "Работа в группах"


def test_a_release_of_many_records_each_review_under_the_coordinators_name(client, world):
    reviews = [scored(world), scored(world)]
    user = coordinator(world.season.program.municipality)
    client.force_login(user)

    release(client, reviews)

    for review in reviews:
        latest = Review.history.filter(id=review.pk).latest()
        assert (latest.history_type, latest.status, latest.history_user, latest.released_by_id) == (
            "~",
            Review.Status.RELEASED,
            user,
            user.pk,
        )


def test_review_history_is_404_for_another_municipality(client, world):
    review = scored(world)
    client.force_login(coordinator(MunicipalityFactory()))
    assert client.get(reverse("admin:ratings_review_history", args=[review.pk])).status_code == 404
    client.force_login(coordinator(world.season.program.municipality))
    assert client.get(reverse("admin:ratings_review_history", args=[review.pk])).status_code == 200
