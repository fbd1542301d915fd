"""The quarter's feedback form in the cabinet (participants/feedback/_form_fields.html): every question with its
label, help, required mark and, for a bound form, the errors and what the teacher typed."""

from django.template.loader import render_to_string
from django.utils import translation

from participants.forms import FeedbackForm
from participants.models import FeedbackQuestion


def _questions():
    return [
        FeedbackQuestion(pk=1, text="Оцените нагрузку", help_text="Видно только в сводном виде", kind="scale"),
        FeedbackQuestion(pk=2, text="Хватает ли обратной связи?", kind="choice", choices=["Да", "Нет"]),
        FeedbackQuestion(pk=3, text="Что изменить?", kind="text", is_required=False),
        FeedbackQuestion(pk=4, text="Что применяете?", kind="text", help_text="Пара слов"),
    ]


def _render(form):
    with translation.override("ru"):
        return render_to_string("participants/feedback/_form_fields.html", {"form": form})


def test_unbound_form_shows_every_question_with_help_and_required_marks():
    html = _render(FeedbackForm(questions=_questions(), prefix="e7"))
    for value in range(1, 6):
        assert f'value="{value}" id="id_e7-q_1_{value - 1}" required>' in html
    assert '<fieldset aria-describedby="id_e7-q_1_helptext">' in html
    assert '<div id="id_e7-q_1_helptext" class="form-text">Видно только в сводном виде</div>' in html
    assert 'name="e7-q_2" value="Нет" id="id_e7-q_2_1" required>' in html
    assert 'for="id_e7-q_2_1" class="form-check-label">Нет</label>' in html
    assert 'maxlength="4000" id="id_e7-q_3">' in html  # optional: no required, no asterisk
    assert html.count('<span class="asteriskField">*</span>') == 3
    assert 'id="id_e7-q_4" required aria-describedby="id_e7-q_4_helptext">' in html
    assert "invalid-feedback" not in html and "checked" not in html


def test_bound_form_keeps_the_answers_and_shows_each_error_at_its_field():
    data = {"e7-q_2": "Да", "e7-q_3": "Больше практики <b>"}
    form = FeedbackForm(data, questions=_questions(), prefix="e7")
    with translation.override("ru"):
        assert not form.is_valid()
    html = _render(form)
    assert (
        '<div id="error_1_id_e7-q_1" class="invalid-feedback d-block"><strong>Выберите оценку от 1 до 5.</strong>'
        in html
    )
    assert (
        '<div id="error_1_id_e7-q_4" class="invalid-feedback"><strong>Напишите ответ: этот вопрос обязательный.' in html
    )
    assert 'value="Да" id="id_e7-q_2_0" required checked>' in html
    assert "Больше практики &lt;b&gt;</textarea>" in html
    assert 'class="form-check-input is-invalid" name="e7-q_1"' in html
