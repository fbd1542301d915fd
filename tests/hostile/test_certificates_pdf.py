"""Certificates whose names and titles carry markup or template syntax: WeasyPrint gets them as text, so the
PDF shows them as typed (checked through the PDF's own text with pypdf), never as markup or evaluated."""

import io
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from activities.certificates import certificates_for_render, certificates_render
from activities.models import Certificate
from activities.services_certificates import certificates_issue
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, PersonFactory, ProgramFactory, SeasonFactory
from tests.hostile.helpers import IMG, SCRIPT, TEMPLATE, rolled_back

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _render(*, last_name, first_name="Анна", activity_title="Вебинар", program_title="Программа", signatory=""):
    season = SeasonFactory(
        program=ProgramFactory(code="ПП", slug="progressive-teacher", title=program_title),
        certificate_signatory=signatory,
    )
    activity = activity_with_sessions(season, title=activity_title)
    person = PersonFactory(last_name=last_name, first_name=first_name, middle_name="Игоревна")
    attend(EnrollmentFactory(season=season, person=person), activity, 1)
    certificates_issue(now=NOW, season=season)
    (certificate,) = certificates_for_render(
        Certificate.objects.filter(enrollment__season=season).values_list("pk", flat=True)
    )
    return certificate, certificates_render([certificate])[certificate.pk]


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _squash(value: str) -> str:
    return "".join(value.split())


@pytest.mark.parametrize("payload", [SCRIPT, IMG, TEMPLATE, "<b>жирный</b> & <i>курсив</i>", "{% now 'Y' %}"])
def test_markup_in_names_and_titles_is_printed_as_typed(payload):
    certificate, pdf = _render(
        last_name=payload, activity_title=f"Вебинар {payload}", program_title=f"Программа {payload}", signatory=payload
    )
    text = _squash(_text(pdf))
    # Every place a person or a coordinator typed: the holder, the activity, the program, the signatory.
    assert text.count(_squash(payload)) >= 3
    assert certificate.number.replace(" ", "") in text


@settings(max_examples=6)
@given(
    last_name=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
)
def test_any_name_renders_a_one_page_pdf(last_name):
    with rolled_back():
        _certificate, pdf = _render(last_name=last_name)
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1
