"""Russian typography (core.typography): quotes inside quotes become „лапки“, and a sentence ending with initials
has one full stop."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.safestring import SafeData, mark_safe

from core.typography import inner_quotes, one_full_stop, quoted, quoted_html
from experts.models import ExpertGroup
from experts.services import group_members_move
from tests.factories import EnrollmentFactory, PersonFactory, SeasonFactory


def test_a_name_with_quotes_inside_quotes():
    assert quoted("МАОУ «Гимназия № 1»") == "«МАОУ „Гимназия № 1“»"
    assert quoted("Школа 5") == "«Школа 5»"
    assert inner_quotes("МБОУ «СОШ № 2» и МАОУ «Лицей»") == "МБОУ „СОШ № 2“ и МАОУ „Лицей“"


def test_html_is_escaped_and_safe_text_stays_safe():
    assert quoted_html("<b>«Лицей»</b>") == "«&lt;b&gt;„Лицей“&lt;/b&gt;»"
    assert isinstance(inner_quotes(mark_safe("<a>«Лицей»</a>")), SafeData)


def test_the_template_filter():
    text = Template("{% load typography %}Школа «{{ school|inner_quotes }}»").render(
        Context({"school": "МАОУ «Гимназия № 1» & Co"})
    )
    assert text == "Школа «МАОУ „Гимназия № 1“ &amp; Co»"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Не из этого сезона: Иванова К.В..", "Не из этого сезона: Иванова К.В."),
        ("Назначено: Петров А.. Готово.", "Назначено: Петров А. Готово."),
        ("Всё готово.", "Всё готово."),
        ("Смотрите... далее", "Смотрите... далее"),
    ],
)
def test_one_full_stop_after_initials(text, expected):
    assert one_full_stop(text) == expected


def test_the_school_application_letter_nests_the_quotes():
    # The outbox's JSON context (participants.services._school_application_letters).
    program = {"title": "Методический абонемент"}
    context = {
        "school": "МАОУ «Гимназия № 1»",
        "season": {"title": "2025–2026", "program": program},
        "program": program,
        "approved": True,
        "person": {"first_name": "Анна", "middle_name": ""},
    }
    for name in ("body.txt", "body.html"):
        text = render_to_string(f"emails/school_application_decided/{name}", context)
        assert "Заявка школы «МАОУ „Гимназия № 1“» на участие" in text, name


@pytest.mark.django_db
def test_moving_a_stranger_into_a_group_ends_with_one_full_stop():
    group = ExpertGroup.objects.create(season=SeasonFactory(), name="Группа 1")
    stranger = EnrollmentFactory(
        person=PersonFactory(last_name="Иванова", first_name="Ксения", middle_name="Викторовна")
    )
    with pytest.raises(ValidationError) as caught:
        group_members_move(enrollments=[stranger], group=group, by=None)
    (message,) = caught.value.messages
    assert message.endswith("не из этого сезона: Иванова К.В.")
