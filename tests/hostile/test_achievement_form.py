"""The teacher's achievement form under hostile input: text, dates, links and proof files of any content.
Never a 500; a refusal says why in Russian and saves no achievement; markup stays text where it is listed."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from ratings.models import Achievement
from tests.factories import EnrollmentFactory
from tests.hostile.helpers import (
    IMG,
    SCRIPT,
    TEMPLATE,
    assert_escaped,
    assert_russian,
    form_errors,
    hostile_date,
    hostile_number,
    hostile_text,
    rolled_back,
    row_counts,
)
from tests.ratings.achievement_helpers import JPEG_BYTES, PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db
MODELS = ("ratings.Achievement",)
URL = reverse("achievement_create")


@pytest.fixture
def enrollment():
    return EnrollmentFactory()


@pytest.fixture
def teacher(client, enrollment):
    client.force_login(enrollment.person.user)
    return client


def _data(owner, **changes):
    data = {
        "enrollment": owner.pk,
        "title": "Вебинар «Формирующее оценивание»",
        "kind": Achievement.Kind.WEBINAR,
        "level": Achievement.Level.FEDERAL,
        "result": "Ведущий",
        "happened_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "proof_url": "https://webinar.example.ru/records/15",
    }
    data.update(changes)
    return data


FIELDS = {
    "enrollment": hostile_number(),
    "title": hostile_text(),
    "kind": st.one_of(st.sampled_from(Achievement.Kind.values), hostile_text(12)),
    "level": st.one_of(st.sampled_from(Achievement.Level.values), hostile_text(12)),
    "result": hostile_text(),
    "happened_on": hostile_date(),
    "proof_url": st.one_of(
        hostile_text(),
        st.sampled_from(["javascript:alert(1)", "data:text/html,<script>", "https://x.ru/" + "a" * 3000, "ftp://x"]),
    ),
}
PROOFS = st.one_of(
    st.none(),
    st.tuples(
        st.one_of(
            st.sampled_from([PDF_BYTES, PNG_BYTES, JPEG_BYTES, b"", b"<svg onload=alert(1)>", b"MZ\x90\x00"]),
            st.binary(max_size=300),
        ),
        st.sampled_from(["диплом.pdf", "scan.png", "<img>.jpg", "../../x.pdf", "a" * 300 + ".pdf", "virus.exe"]),
    ),
)


@given(changes=st.fixed_dictionaries({}, optional=FIELDS), proof=PROOFS)
def test_hostile_achievement_is_answered_and_refused_whole(teacher, enrollment, changes, proof):
    data = _data(enrollment, **changes)
    if proof is not None:
        data["proof_file"] = SimpleUploadedFile(proof[1], proof[0])
    with rolled_back():
        before = row_counts(MODELS)
        response = teacher.post(URL, data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert_russian(form_errors(response))
            assert row_counts(MODELS) == before
        else:
            assert Achievement.objects.count() == before["ratings.Achievement"] + 1


@pytest.mark.parametrize("payload", [SCRIPT, IMG, TEMPLATE])
def test_markup_in_a_saved_achievement_is_text_where_it_is_listed(teacher, enrollment, payload):
    response = teacher.post(URL, _data(enrollment, title=payload, result=payload))
    assert response.status_code == 302
    assert Achievement.objects.get().title == payload
    assert_escaped(teacher.get(response["Location"]).content.decode(), payload)
