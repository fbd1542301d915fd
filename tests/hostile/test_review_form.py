"""The expert's review form under hostile input: scores, time-coded comments, return reasons and buttons of any
shape. Never a 500; a refusal says why in Russian and leaves the review as it was; markup stays text."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ratings.models import Review
from ratings.services import review_take
from tests.hostile.helpers import (
    IMG,
    SCRIPT,
    TEMPLATE,
    assert_escaped,
    assert_russian,
    form_errors,
    hostile_number,
    hostile_text,
    rolled_back,
    row_counts,
)
from tests.ratings.conftest import world  # noqa: F401  (the season, rubric and experts of the ratings tests)

pytestmark = pytest.mark.django_db
MODELS = ("ratings.ReviewScore", "ratings.ReviewComment", "ratings.ReviewLock")


@pytest.fixture
def lesson(world):  # noqa: F811
    return world.submission(grade="7 Б")


@pytest.fixture
def page(client, world, lesson):  # noqa: F811
    client.force_login(world.methodist.person.user)
    review_take(submission=lesson, expert=world.methodist)
    return reverse("review_page", args=[lesson.pk])


def _full(world, **changes):  # noqa: F811
    data = {
        f"points_{world.goal.pk}": "3",
        f"comment_{world.goal.pk}": "",
        f"points_{world.method.pk}": "2",
        f"comment_{world.method.pk}": "Разнообразные приёмы",
        "strengths": "Живой диалог",
        "recommendations": "Больше парной работы",
        "comments": "12:40 — хороший вопрос классу",
        "return_reason": "",
        "action": "draft",
    }
    data.update(changes)
    return data


COMMENT_LINES = st.lists(
    st.one_of(
        hostile_text(30),
        st.builds(
            lambda h, m, s, text: f"{h}:{m}:{s} — {text}",
            st.integers(0, 999),
            st.integers(0, 99),
            st.integers(0, 99),
            hostile_text(20),
        ),
        st.sampled_from(["12.40 — точка", "99:99 — ", "999:59:59 — конец", "0:00", "—", "1:2:3:4 текст"]),
    ),
    max_size=5,
).map("\n".join)


def _fields(world):  # noqa: F811
    return {
        f"points_{world.goal.pk}": hostile_number(),
        f"comment_{world.goal.pk}": hostile_text(),
        f"points_{world.method.pk}": hostile_number(),
        f"comment_{world.method.pk}": hostile_text(),
        "strengths": hostile_text(),
        "recommendations": hostile_text(),
        "comments": st.one_of(COMMENT_LINES, hostile_text()),
        "return_reason": hostile_text(),
        "action": st.sampled_from(["draft", "submit", "next", "return", "", "<script>", "delete"]),
    }


def _state(review: Review) -> tuple:
    review.refresh_from_db()
    return review.status, review.strengths, review.recommendations, review.total_score


@given(data=st.data())
def test_hostile_review_is_answered_and_refused_whole(client, world, lesson, page, data):  # noqa: F811
    changes = data.draw(st.fixed_dictionaries({}, optional=_fields(world)))
    review = Review.objects.get(submission=lesson)
    with rolled_back():
        before, state = row_counts(MODELS), _state(review)
        response = client.post(page, _full(world, **changes))
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert_russian(form_errors(response))
            assert (row_counts(MODELS), _state(review)) == (before, state)


@pytest.mark.parametrize("payload", [SCRIPT, IMG, TEMPLATE])
def test_markup_in_a_saved_review_is_text_on_its_page(client, world, page, payload):  # noqa: F811
    response = client.post(
        page, _full(world, strengths=payload, recommendations=payload, comments=f"12:40 — {payload}\n{payload}")
    )
    assert response.status_code == 302
    assert_escaped(client.get(page).content.decode(), payload)
