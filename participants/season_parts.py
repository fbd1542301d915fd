"""Participants' part of loading a program template and of cloning a season: the quarterly feedback questions.

Seed 000 §2.2 asks for feedback from participants at least once a quarter, and the program's goal is «снижение
уровня профессионального выгорания», so every program gets the 1–5 workload / burnout pulse.
"""

from collections import Counter

from programs.models import Season
from programs.season_parts import register_season_part
from programs.signals import rows_changed
from programs.templates_service import CREATED, UNCHANGED, UPDATED

from .models import FeedbackQuestion

QUESTION_FIELDS = (
    "order",
    "help_text",
    "kind",
    "choices",
    "is_required",
    "is_pulse",
    "shows_individual_answers",
    "audience",
)

PULSE = {
    "text": "Оцените вашу нагрузку и усталость за квартал: 1 — совсем не устаю, 5 — на пределе сил",
    "help_text": "Ответ виден координатору только в сводном виде: по нему отслеживается риск "
    "профессионального выгорания.",
    "kind": FeedbackQuestion.Kind.SCALE,
    "is_pulse": True,
}
USEFULNESS = {
    "text": "Насколько полезными для вашей работы были мероприятия программы в этом квартале: "
    "1 — бесполезны, 5 — очень полезны",
    "kind": FeedbackQuestion.Kind.SCALE,
}
APPLIED = {
    "text": "Что из изученного в этом квартале вы уже применяете на своих уроках?",
    "kind": FeedbackQuestion.Kind.TEXT,
    "is_required": False,
}
CHANGE = {
    "text": "Что стоит изменить в программе? Какая поддержка вам нужна?",
    "kind": FeedbackQuestion.Kind.TEXT,
    "is_required": False,
}
ENOUGH = ["Да, достаточно", "Скорее да", "Скорее нет", "Нет"]

DEFAULT_QUESTIONS: dict[str, list[dict]] = {
    # Seed 000: curators, methodists and the psychologist give feedback; the project checks its effectiveness.
    "progressive-teacher": [
        PULSE,
        USEFULNESS,
        {
            "text": "Достаточно ли вам обратной связи от куратора, методиста и педагога-психолога?",
            "kind": FeedbackQuestion.Kind.CHOICE,
            "choices": ENOUGH,
        },
        APPLIED,
        CHANGE,
    ],
    # Seed 004: addressed to the individual request, modular, result-oriented.
    "methodical-subscription": [
        PULSE,
        {
            "text": "Насколько ваш индивидуальный образовательный маршрут отвечает вашему запросу: "
            "1 — не отвечает, 5 — полностью отвечает",
            "kind": FeedbackQuestion.Kind.SCALE,
        },
        {
            "text": "Какая форма работы в этом квартале была для вас самой полезной?",
            "kind": FeedbackQuestion.Kind.CHOICE,
            # Seed 004 §III.3, the seven forms, as data in the seed's wording (not the interface's language).
            "choices": [
                "Методическая сессия",
                "Практикум",
                "Мастер-класс",
                "Методический интенсив",
                "Тренинг",
                "Психологический консалтинг",
                "Наставнический час",
            ],
        },
        {
            "text": "Какие профессиональные дефициты удалось закрыть, а какие остаются?",
            "kind": FeedbackQuestion.Kind.TEXT,
            "is_required": False,
        },
    ],
    # Seed 003: continuous formats without leaving work, tutors for teachers in difficulty, lower burnout.
    "pedcluster-27": [
        PULSE,
        USEFULNESS,
        {
            "text": "Удаётся ли вам учиться без отрыва от работы (дистанционные и непрерывные форматы)?",
            "kind": FeedbackQuestion.Kind.CHOICE,
            "choices": ENOUGH[:1] + ["Частично", "Нет"],
        },
        {
            "text": "Насколько вам помогает наставник или тьютор: 1 — не помогает, 5 — очень помогает",
            "kind": FeedbackQuestion.Kind.SCALE,
            "is_required": False,
        },
        CHANGE,
    ],
}
# A program without its own list (a coordinator's new program) gets the pulse and the two general questions.
GENERAL_QUESTIONS = [PULSE, USEFULNESS, CHANGE]


def default_questions(slug: str) -> list[dict]:
    return DEFAULT_QUESTIONS.get(slug, GENERAL_QUESTIONS)


def _defaults(item: dict, order: int) -> dict:
    return {
        "order": item.get("order", order),
        "help_text": item.get("help_text", ""),
        "kind": item.get("kind", FeedbackQuestion.Kind.SCALE),
        "choices": list(item.get("choices", [])),
        "is_required": item.get("is_required", True),
        "is_pulse": item.get("is_pulse", False),
        "shows_individual_answers": item.get("shows_individual_answers", False),
        "audience": item.get("audience", FeedbackQuestion.Audience.PARTICIPANTS),
    }


def feedback_questions_load(*, season: Season, questions: list[dict]) -> Counter:
    """Bring the season's questions (found by their text) to `questions`: one read, one insert, one update;
    nothing is written on a second run. Questions a coordinator added are left alone."""
    changes = Counter()
    existing = {q.text: q for q in FeedbackQuestion.objects.filter(season=season)}
    new, changed = [], []
    for n, item in enumerate(questions, start=1):
        wanted = _defaults(item, order=n * 10)
        question = existing.get(item["text"])
        if question is None:
            new.append(FeedbackQuestion(season=season, text=item["text"], **wanted))
            changes[CREATED] += 1
        elif any(getattr(question, f) != v for f, v in wanted.items()):
            for f, v in wanted.items():
                setattr(question, f, v)
            changed.append(question)
            changes[UPDATED] += 1
        else:
            changes[UNCHANGED] += 1
    FeedbackQuestion.objects.bulk_create(new)
    if changed:
        FeedbackQuestion.objects.bulk_update(changed, QUESTION_FIELDS)
    if new or changed:
        rows_changed.send(sender=FeedbackQuestion)
    return changes


def load_feedback_questions(*, season, template, **kwargs) -> Counter:
    """A template may list its own «feedback_questions»; otherwise the program's defaults above."""
    questions = template.get("feedback_questions") or default_questions(template["program"]["slug"])
    return feedback_questions_load(season=season, questions=questions)


def clone_feedback_questions(*, source, target, **kwargs) -> None:
    """The relaunch asks the same questions; answers stay with the old season. A source without questions
    gives its clone the program's defaults."""
    originals = list(source.feedback_questions.order_by("order", "pk"))
    if not originals:
        feedback_questions_load(season=target, questions=default_questions(target.program.slug))
        return
    taken = set(target.feedback_questions.values_list("text", flat=True))
    FeedbackQuestion.objects.bulk_create(
        FeedbackQuestion(
            season=target,
            text=q.text,
            is_active=q.is_active,
            **{f: getattr(q, f) for f in QUESTION_FIELDS},
        )
        for q in originals
        if q.text not in taken
    )


def register() -> None:
    register_season_part("participants", load_template=load_feedback_questions, clone=clone_feedback_questions)
