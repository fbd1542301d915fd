"""Experts' part of a person's data (152-FZ): individual requests in the bank of requests, the group, entry
results, visited lessons, consultations and mentoring pairs; for a specialist, their assignments to expert teams.

What an expert wrote only for the team (interview and visit notes) is not exported: the row says it exists and
how to ask for it. A psychologist's consultation gives away neither topic nor content, which only its author
reads (seed 000 §2.2). Erasers clear the free text about the person; rows stay, so the KPIs keep their counts.

Registered with participants.personal_data on import (from ExpertsConfig.ready()).
"""

from django.db.models import BooleanField, Case, CharField, ExpressionWrapper, F, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import FeedbackQuestion, Person
from participants.personal_data import register_eraser, register_exporter, register_retention_hold
from programs.signals import rows_changed

from .models import (
    CompetenceTest,
    Consultation,
    EntryInterview,
    ExpertAssignment,
    ExpertFeedbackAnswer,
    GroupMember,
    IndividualRequest,
    LessonVisit,
    MentoringMeeting,
    MentoringPair,
)

REMOVED = gettext_lazy("Удалено по запросу участника")
INTERVIEW_NOTES = gettext_lazy("Заметки собеседования выдаются по письменному запросу координатору")
VISIT_NOTES = gettext_lazy("Заметки эксперта выдаются по письменному запросу координатору")
CONSULTATION_RECORDS = gettext_lazy("Записи специалиста выдаются по письменному запросу координатору")
CONFIDENTIAL = gettext_lazy("Конфиденциально")
CONFIDENTIAL_NOTE = gettext_lazy(
    "Тема и содержание консультации педагога-психолога конфиденциальны: их читает только проводивший её "
    "специалист, координатор их не видит"
)
# An erased individual consultation keeps its row (the KPIs count it) under a topic that says nothing.
ERASED_TOPIC = gettext_lazy("Консультация")


def export_individual_requests(person: Person) -> list[dict]:
    rows = (
        IndividualRequest.objects.filter(enrollment__person=person)
        .select_related("enrollment__season__program", "subject", "tutor__person")
        .order_by("created_at", "pk")
    )
    return [
        {
            _("Программа"): r.enrollment.season.program.title,
            _("Сезон"): r.enrollment.season.title,
            _("Профессиональный дефицит"): r.deficit,
            _("Предмет"): r.subject.name if r.subject_id else "",
            _("Тема"): r.topic,
            _("Желаемая форма"): r.get_preferred_form_display(),
            _("Комментарий"): r.comment,
            _("Статус"): r.get_status_display(),
            _("Тьютор"): r.tutor.person.full_name if r.tutor_id else "",
            _("Пояснение к статусу"): r.status_reason,
            _("Подан"): r.created_at,
        }
        for r in rows
    ]


def export_expert_assignments(person: Person) -> list[dict]:
    rows = ExpertAssignment.objects.filter(person=person).select_related("season__program", "subject")
    return [
        {
            _("Программа"): a.season.program.title,
            _("Сезон"): a.season.title,
            _("Роль"): a.get_role_display(),
            _("Предмет"): a.subject.name if a.subject_id else "",
            _("Работает в сезоне"): a.is_active,
            _("Назначен"): a.assigned_at,
        }
        for a in rows.order_by("assigned_at", "pk")
    ]


def _expert(assignment: ExpertAssignment | None) -> str:
    if assignment is None:
        return ""
    return _("%(role)s %(name)s") % {"role": assignment.get_role_display(), "name": assignment.person.full_name}


def _has_text(field: str) -> ExpressionWrapper:
    """Whether a text column is filled, computed by the database so the text itself is never fetched."""
    return ExpressionWrapper(~Q(**{field: ""}), output_field=BooleanField())


def export_group(person: Person) -> list[dict]:
    rows = (
        GroupMember.objects.filter(enrollment__person=person)
        .select_related("group__season__program", "group__curator__person")
        .order_by("added_at", "pk")
    )
    return [
        {
            _("Программа"): m.group.season.program.title,
            _("Сезон"): m.group.season.title,
            _("Группа"): m.group.name,
            _("Формат обучения"): m.group.learning_format,
            _("Куратор"): m.group.curator.person.full_name if m.group.curator_id else "",
            _("В группе с"): m.added_at,
        }
        for m in rows
    ]


def export_competence_tests(person: Person) -> list[dict]:
    rows = (
        CompetenceTest.objects.filter(enrollment__person=person)
        .select_related("enrollment__season__program")
        .order_by("taken_on", "pk")
    )
    return [
        {
            _("Программа"): t.enrollment.season.program.title,
            _("Сезон"): t.enrollment.season.title,
            _("Платформа"): t.platform,
            _("Дата"): t.taken_on,
            _("Уровень"): t.level,
            _("Балл"): t.score,
            _("Ссылка на результат"): t.link,
        }
        for t in rows
    ]


def export_entry_interviews(person: Person) -> list[dict]:
    """The date and who held it; the notes are for the curator and the coordinator (seed 000 §2.2)."""
    rows = (
        EntryInterview.objects.filter(enrollment__person=person)
        .select_related("enrollment__season__program", "interviewer__person")
        .defer("notes")
        .annotate(has_notes=_has_text("notes"))
        .order_by("held_on", "pk")
    )
    return [
        {
            _("Программа"): i.enrollment.season.program.title,
            _("Сезон"): i.enrollment.season.title,
            _("Дата"): i.held_on,
            _("Кто проводил"): _expert(i.interviewer),
            _("Заметки"): str(INTERVIEW_NOTES) if i.has_notes else _("нет"),
        }
        for i in rows
    ]


def export_lesson_visits(person: Person) -> list[dict]:
    """The recommendations were written for the teacher; the notes are the expert's own working record."""
    rows = (
        LessonVisit.objects.filter(enrollment__person=person)
        .select_related("enrollment__season__program", "expert__person", "subject")
        .defer("notes")
        .annotate(has_notes=_has_text("notes"))
        .order_by("visited_on", "pk")
    )
    return [
        {
            _("Программа"): v.enrollment.season.program.title,
            _("Сезон"): v.enrollment.season.title,
            _("Дата"): v.visited_on,
            _("Как"): v.get_mode_display(),
            _("Урок"): v.lesson,
            _("Класс"): v.grade,
            _("Предмет"): v.subject.name if v.subject_id else "",
            _("Эксперт"): _expert(v.expert),
            _("Рекомендации"): v.recommendations,
            _("Заметки эксперта"): str(VISIT_NOTES) if v.has_notes else _("нет"),
        }
        for v in rows
    ]


def export_consultations(person: Person) -> list[dict]:
    """That a consultation took place, its kind and the specialist's role. Neither the content nor a confidential
    consultation's topic is fetched: the database hands back the topic only when it is not confidential."""
    rows = (
        Consultation.objects.filter(participants__person=person)
        .select_related("season__program", "expert")
        .only("held_at", "kind", "is_confidential", "season__title", "season__program__title", "expert__role")
        .annotate(
            open_topic=Case(When(is_confidential=False, then=F("topic")), default=Value(""), output_field=CharField()),
            has_record=_has_text("content"),
        )
        .order_by("held_at", "pk")
        .distinct()
    )
    return [
        {
            _("Программа"): c.season.program.title,
            _("Сезон"): c.season.title,
            _("Когда"): c.held_at,
            _("Вид"): c.get_kind_display(),
            _("Специалист"): c.expert.get_role_display(),
            _("Тема"): str(CONFIDENTIAL) if c.is_confidential else c.open_topic,
            _("Содержание"): str(CONFIDENTIAL_NOTE)
            if c.is_confidential
            else (str(CONSULTATION_RECORDS) if c.has_record else _("нет")),
        }
        for c in rows
    ]


def export_mentoring_pairs(person: Person) -> list[dict]:
    rows = (
        MentoringPair.objects.filter(mentee__person=person)
        .select_related("season__program", "mentor__person")
        .order_by("started_on", "pk")
    )
    return [
        {
            _("Программа"): p.season.program.title,
            _("Сезон"): p.season.title,
            _("Наставник"): p.mentor.person.full_name,
            _("С"): p.started_on,
            _("По"): p.ended_on,
            _("Цели и задачи"): p.goals,
        }
        for p in rows
    ]


def export_mentoring_meetings(person: Person) -> list[dict]:
    rows = (
        MentoringMeeting.objects.filter(pair__mentee__person=person)
        .select_related("pair__mentor__person")
        .order_by("held_on", "pk")
    )
    return [
        {
            _("Дата"): m.held_on,
            _("Наставник"): m.pair.mentor.person.full_name,
            _("Форма"): m.get_form_display(),
            _("Тема"): m.topic,
            _("Заметки"): m.notes,
        }
        for m in rows
    ]


def erase_individual_requests(person: Person) -> list[str]:
    """The deficit and comments are the teacher's own words; topic, subject and form stay for the bank's counts."""
    erased = IndividualRequest.objects.filter(enrollment__person=person).update(
        deficit=str(REMOVED), comment="", status_reason=""
    )
    rows_changed.send(sender=IndividualRequest)
    return (
        [_("Индивидуальные запросы: удалены описания дефицитов и комментарии (%(n)d)") % {"n": erased}]
        if erased
        else []
    )


def erase_expert_records(person: Person) -> list[str]:
    """Free text about the person: interview and visit notes, visit recommendations, mentoring goals, result
    links, and the topic and content of their individual consultations. Group memberships, tests' scores,
    visits, consultations and pairs stay: the coverage and the other KPIs count them."""
    done = []
    interviews = EntryInterview.objects.filter(enrollment__person=person).exclude(notes="").update(notes="")
    rows_changed.send(sender=EntryInterview)
    visits = (
        LessonVisit.objects.filter(enrollment__person=person)
        .exclude(notes="", recommendations="")
        .update(notes="", recommendations="")
    )
    rows_changed.send(sender=LessonVisit)
    if interviews or visits:
        done.append(
            _("Удалены заметки собеседований (%(i)d) и заметки и рекомендации посещений уроков (%(v)d)")
            % {"i": interviews, "v": visits}
        )
    # A group consultation keeps its content: it is about the group, and the others' right to it stands.
    mine = Consultation.objects.filter(kind=Consultation.Kind.INDIVIDUAL, participants__person=person).values("pk")
    shared = (
        Consultation.participants.through.objects.filter(consultation__in=mine)
        .exclude(enrollment__person=person)
        .values("consultation")
    )
    individual = Consultation.objects.filter(pk__in=mine).exclude(pk__in=shared)
    consultations = individual.update(topic=str(ERASED_TOPIC), content="")
    if consultations:
        done.append(_("Индивидуальные консультации: удалены темы и содержание (%(n)d)") % {"n": consultations})
    tests = CompetenceTest.objects.filter(enrollment__person=person).exclude(link="").update(link="")
    rows_changed.send(sender=CompetenceTest)
    goals = MentoringPair.objects.filter(mentee__person=person).exclude(goals="").update(goals="")
    rows_changed.send(sender=MentoringPair)
    if tests or goals:
        done.append(
            _("Удалены ссылки на результаты тестов (%(t)d) и цели наставничества (%(g)d); баллы и пары сохранены")
            % {"t": tests, "g": goals}
        )
    # The meetings' dates and forms stay for the «no meetings in 30 days» flag; the mentor's notes go.
    notes = MentoringMeeting.objects.filter(pair__mentee__person=person).exclude(notes="").update(notes="")
    if notes:
        done.append(_("Удалены заметки о встречах с наставником (%(n)d)") % {"n": notes})
    return done


def export_expert_feedback(person: Person) -> list[dict]:
    """The expert's own quarterly feedback (seed 000 §2.2)."""
    answers = (
        ExpertFeedbackAnswer.objects.filter(response__assignment__person=person)
        .select_related("question", "response__assignment__season__program")
        .order_by("response__year", "response__quarter", "question__order", "pk")
    )
    return [
        {
            _("Программа"): a.response.assignment.season.program.title,
            _("Сезон"): a.response.assignment.season.title,
            _("Год"): a.response.year,
            _("Квартал"): a.response.quarter,
            _("Вопрос"): a.question.text,
            _("Ответ"): a.scale_value if a.scale_value is not None else a.text_value,
            _("Ответ дан"): a.response.submitted_at,
        }
        for a in answers
    ]


def erase_expert_feedback(person: Person) -> list[str]:
    """The free text of the expert's quarterly feedback; scales stay for the season's summary."""
    cleared = (
        ExpertFeedbackAnswer.objects.filter(response__assignment__person=person)
        .exclude(text_value="")
        .filter(question__kind=FeedbackQuestion.Kind.TEXT)
        .update(text_value="")
    )
    return [_("Удалены тексты обратной связи эксперта: %(n)d") % {"n": cleared}] if cleared else []


def expert_people():
    """A specialist of an expert team (curator, methodist, mentor, tutor): their name stays on the reviews,
    visits and consultations they gave to others."""
    return ExpertAssignment.objects.values("person_id")


def register() -> None:
    """This app's part of a person's export, erasure and retention (participants.personal_data)."""
    register_exporter(
        "individual_requests", gettext_lazy("Индивидуальные запросы"), export_individual_requests, order=40
    )
    register_exporter(
        "expert_assignments", gettext_lazy("Работа в экспертной команде"), export_expert_assignments, order=41
    )
    register_exporter("group", gettext_lazy("Группа"), export_group, order=42)
    register_exporter("competence_tests", gettext_lazy("Тесты цифровых компетенций"), export_competence_tests, order=43)
    register_exporter("entry_interviews", gettext_lazy("Входное собеседование"), export_entry_interviews, order=44)
    register_exporter("lesson_visits", gettext_lazy("Посещения уроков"), export_lesson_visits, order=45)
    register_exporter("consultations", gettext_lazy("Консультации"), export_consultations, order=46)
    register_exporter("mentoring_pairs", gettext_lazy("Наставничество"), export_mentoring_pairs, order=47)
    register_exporter("mentoring_meetings", gettext_lazy("Встречи с наставником"), export_mentoring_meetings, order=48)
    register_eraser(erase_individual_requests)
    register_eraser(erase_expert_records)
    register_exporter(
        "expert_feedback", gettext_lazy("Обратная связь эксперта за квартал"), export_expert_feedback, order=48
    )
    register_eraser(erase_expert_feedback)
    register_retention_hold("experts.assignments", gettext_lazy("Работает в экспертной команде"), expert_people)
