"""«My data»: the teacher downloads everything every app holds about them as JSON and XLSX; a formula-like
text is neutralised; each download is recorded; every exporter runs the same number of queries for 1 and 3 rows."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Certificate, RouteItem, SubmissionExtension, SubmissionExtensionRequest
from experts.models import (
    CompetenceTest,
    Consultation,
    EntryInterview,
    ExpertGroup,
    ExpertRole,
    GroupMember,
    IndividualRequest,
    LessonVisit,
    MentoringPair,
)
from participants import personal_data
from participants.models import (
    Consent,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    PersonalDataRequest,
)
from participants.services import enrollment_approve
from ratings.models import Achievement, ParticipantRating, Review, ReviewComment, ReviewScore
from tests.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    PersonFactory,
    ReviewFactory,
    RubricCriterionFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://evil.example/","Нажми")'
# Written by experts for the team only, or confidential: never in the person's export.
HIDDEN = [
    "Тревожится из-за аттестации",  # entry interview notes
    "Внутренняя заметка куратора",  # lesson visit notes
    "Выгорание и семья",  # a psychologist's topic
    "Тайна психолога",  # a psychologist's content
    "Разбор кейса коллеги",  # a group consultation's content (about the others too)
    "Черновой балл возврата",  # a returned review's draft texts
]
# The person's own texts in the expert team's records that the export gives and the erasure removes.
EXPERT_WORK_TEXTS = [
    "https://test.example/profile/",
    "Добавить рефлексию в конце урока",
    "План самообразования",
    "Освоить проектную методику",
    "Учитель года — призёр",
    "https://diplom.example/",
    "Хороший вопрос классу",
    "Нет звука на записи",
]
EVERY_SECTION = {
    "person",
    "account",
    "consents",
    "enrollments",
    "status_history",
    "attendance",
    "submissions",
    "extensions",
    "extension_requests",
    "route",
    "certificates",
    "individual_requests",
    "expert_assignments",
    "group",
    "competence_tests",
    "entry_interviews",
    "lesson_visits",
    "consultations",
    "mentoring_pairs",
    "rating",
    "reviews",
    "review_comments",
    "achievements",
    "feedback",
    "school_applications",
    "data_requests",
}


def fill(person, n: int = 1) -> None:
    """n rows of everything every app holds about a person."""
    Consent.objects.create(person=person, kind="pd_processing", text_version="2026-11-22", text_sha256="a" * 64)
    for i in range(n):
        enrollment = EnrollmentFactory(person=person, status="applied")
        enrollment_approve(enrollment=enrollment, actor=None, reason="Документы в порядке")
        season = enrollment.season
        scale = FeedbackQuestion.objects.create(season=season, order=1, text="Нагрузка", kind="scale", is_pulse=True)
        text = FeedbackQuestion.objects.create(season=season, order=2, text="Что изменить?", kind="text")
        response = FeedbackResponse.objects.create(enrollment=enrollment, year=2025, quarter=1)
        FeedbackAnswer.objects.create(response=response, question=scale, scale_value=4)
        FeedbackAnswer.objects.create(response=response, question=text, text_value=f"Мой ответ {i}: меньше отчётов")
        session = SessionFactory(activity__season=season, title=f"Занятие {i}")
        AttendanceFactory(session=session, enrollment=enrollment, status="excused", reason="Болела, справка")
        assignment = VideoAssignmentFactory(activity__season=season)
        SubmissionFactory(
            assignment=assignment, enrollment=enrollment, version=1, is_current=False, reflection="Первая версия"
        )
        submission = SubmissionFactory(
            assignment=assignment,
            enrollment=enrollment,
            version=2,
            reflection=FORMULA,
            video_url="",
            video_file=SimpleUploadedFile(f"lesson{i}.mp4", b"\x00\x00\x00\x18ftypmp42video", "video/mp4"),
        )
        SubmissionExtension.objects.create(
            assignment=assignment, enrollment=enrollment, until=timezone.now() + timedelta(days=3), reason="Болезнь"
        )
        SubmissionExtensionRequest.objects.create(
            assignment=assignment, enrollment=enrollment, message="Присоединилась после срока", status="rejected"
        )
        RouteItem.objects.create(enrollment=enrollment, title=f"Практикум {i}", note="Личная заметка", form="practicum")
        Certificate.objects.create(
            number=f"ПП-2025-{person.pk:04d}{i}",
            code=f"code-{person.pk}-{i}",
            enrollment=enrollment,
            activity=session.activity,
            hours=6,
            pdf=SimpleUploadedFile(f"cert{i}.pdf", b"%PDF-1.4 certificate", "application/pdf"),
        )
        IndividualRequest.objects.create(
            enrollment=enrollment, deficit="Не умею работать с ФГОС", topic="ФГОС", preferred_form="practicum"
        )
        ParticipantRating.objects.create(enrollment=enrollment, season=season, total=12, rank=i + 1)
        review = ReviewFactory(
            submission=submission,
            expert=ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST),
            status=Review.Status.RELEASED,
            total_score=8,
            strengths="Хорошая рефлексия",
            recommendations="Больше групповой работы",
            released_at=timezone.now(),
        )
        criterion = RubricCriterionFactory(rubric=review.rubric, title="Цели урока")
        ReviewScore.objects.create(review=review, criterion=criterion, points=2, comment="Цели ясны")
        ReviewComment.objects.create(review=review, at_seconds=760, text=f"Хороший вопрос классу {i}")
        ReviewComment.objects.create(review=review, at_seconds=None, text="Хороший вопрос классу — в целом")
        ReviewFactory(submission=submission, strengths="Черновик эксперта")  # not released: not exported
        ReviewFactory(
            submission=submission,
            status=Review.Status.RETURNED,
            return_reason=f"Нет звука на записи {i}",
            strengths="Черновой балл возврата",
            released_at=timezone.now(),
        )
        ExpertAssignmentFactory(person=person, season=season, role=ExpertRole.TUTOR)
        fill_expert_work(enrollment, i)
    PersonalDataRequest.objects.create(person=person, person_ref=str(person.pk), kind="export", status="done")


def fill_expert_work(enrollment, i: int) -> None:
    """The records the expert team keeps about a teacher: group, entry results, visits, consultations, mentoring,
    achievements (one with a link, one with a file)."""
    season = enrollment.season
    curator = ExpertAssignmentFactory(
        season=season, role=ExpertRole.CURATOR, person__last_name="Кураторова", person__user=None
    )
    group = ExpertGroup.objects.create(season=season, name=f"Группа {i}", curator=curator, learning_format="очно")
    GroupMember.objects.create(group=group, enrollment=enrollment)
    CompetenceTest.objects.create(
        enrollment=enrollment,
        platform="Цифровой профиль",
        taken_on=date(2025, 9, 1),
        level="базовый",
        score="72.50",
        link=f"https://test.example/profile/{i}",
    )
    EntryInterview.objects.create(
        enrollment=enrollment, interviewer=curator, held_on=date(2025, 9, 3), notes="Тревожится из-за аттестации"
    )
    LessonVisit.objects.create(
        enrollment=enrollment,
        expert=curator,
        visited_on=date(2025, 10, 7 + i),
        mode="recording",
        lesson="Сложение дробей",
        grade="5А",
        notes="Внутренняя заметка куратора",
        recommendations="Добавить рефлексию в конце урока",
    )
    psychologist = ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST, person__user=None)
    methodist = ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST, person__user=None)
    held_at = timezone.now() - timedelta(days=5)
    confidential = Consultation.objects.create(
        season=season,
        expert=psychologist,
        kind="individual",
        held_at=held_at,
        topic="Выгорание и семья",
        content="Тайна психолога",
        is_confidential=True,
    )
    individual = Consultation.objects.create(
        season=season,
        expert=curator,
        kind="individual",
        held_at=held_at + timedelta(hours=1),
        topic="План самообразования",
        content="Договорились о плане самообразования",
    )
    grouped = Consultation.objects.create(
        season=season,
        expert=methodist,
        kind="group",
        held_at=held_at + timedelta(hours=2),
        topic="Групповой разбор уроков",
        content="Разбор кейса коллеги",
    )
    confidential.participants.add(enrollment)
    individual.participants.add(enrollment)
    grouped.participants.add(enrollment, EnrollmentFactory(season=season, person__user=None))
    mentor = ExpertAssignmentFactory(
        season=season, role=ExpertRole.MENTOR, person__last_name="Наставникова", person__user=None
    )
    MentoringPair.objects.create(
        season=season,
        mentor=mentor,
        mentee=enrollment,
        goals="Освоить проектную методику",
        started_on=date(2025, 9, 10),
    )
    Achievement.objects.create(
        enrollment=enrollment,
        title=f"Учитель года — призёр {i}",
        kind="contest",
        level="regional",
        result="Призёр",
        happened_on=date(2025, 11, 1),
        proof_url=f"https://diplom.example/{i}",
        status="confirmed",
    )
    Achievement.objects.create(
        enrollment=enrollment,
        title=f"Статья в журнале {i}",
        kind="publication",
        level="federal",
        happened_on=date(2025, 11, 2),
        proof_file=SimpleUploadedFile(f"diploma{i}.pdf", b"%PDF-1.4 diploma", "application/pdf"),
        status="confirmed",
    )


@pytest.fixture
def person():
    person = PersonFactory(last_name="Смирнова", phone="+7 900 123-45-67", birth_date=date(1985, 5, 17))
    fill(person)
    return person


def _download(client, fmt):
    return client.post(reverse("my_data_download"), {"format": fmt})


# Sections whose rows other files fill and check: test_kpi_facts_personal_data.py, test_notifications_personal_data.py,
# test_outgoing_emails_personal_data.py,
# tests/experts/test_expert_feedback_personal_data.py, tests/experts/test_mentoring_meetings.py,
# test_staff_roster_copy.py (the staff roster rows); tests/projects/test_communities_cabinet.py (the communities),
# test_reserve_personal_data.py (the reserve), test_office_personal_data.py (the working groups).
COVERED_ELSEWHERE = {
    "projects.community_members",
    "projects.practices",
    "projects.practice_ratings",
    "projects.accelerator",
    "project_groups",
    "staff_roster",
    "professional_development",
    "competence_diagnostics",
    "management_roles",
    "management_programmes",
    "notifications",
    "outgoing_emails",
    "expert_feedback",
    "mentoring_meetings",
    # The lab of professional competences: tests/projects/test_competence_lab_personal_data.py.
    "lab_offers",
    "lab_requests",
    "lab_survey_lines",
    "reserve_membership",
    "reserve_status_history",
    "reserve_trajectory",
    "reserve_analyses",
    "reserve_diagnostics",
    "reserve_young_director",
}


def test_every_registered_section_is_covered():
    """A section an app registers later must be added to EVERY_SECTION (and filled by fill()), so that the test
    below proves the export holds it; registration itself happens in every app's AppConfig.ready()."""
    assert {e.key for e in personal_data.registered_exporters()} == EVERY_SECTION | COVERED_ELSEWHERE


def test_json_holds_data_from_every_app(client, person):
    client.force_login(person.user)
    response = _download(client, "json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    sections = {s["key"]: s["rows"] for s in data["sections"]}
    assert EVERY_SECTION <= set(sections)
    for key in EVERY_SECTION - {"school_applications"}:
        assert sections[key], key
    profile = sections["person"][0]
    assert (profile["Фамилия"], profile["Телефон"], profile["Дата рождения"]) == (
        "Смирнова",
        "+7 900 123-45-67",
        "1985-05-17",
    )
    assert [r["Версия"] for r in sections["submissions"]] == [1, 2]
    assert sections["submissions"][1]["Самоанализ"] == FORMULA
    assert sections["feedback"][1]["Ответ"] == "Мой ответ 0: меньше отчётов"
    assert sections["attendance"][0]["Отметка"] == "Отсутствовал по уважительной причине"
    # The draft stays out; a returned review gives its reason only.
    assert [(r["Статус"], r["Сильные стороны"], r["Причина возврата на доработку"]) for r in sections["reviews"]] == [
        ("Опубликована участнику", "Хорошая рефлексия", ""),
        ("Возвращена на доработку", "", "Нет звука на записи 0"),
    ]
    assert "Цели урока: 2 (Цели ясны)" in sections["reviews"][0]["Баллы по критериям"]
    assert sections["individual_requests"][0]["Профессиональный дефицит"] == "Не умею работать с ФГОС"
    assert sections["rating"][0]["Место"] == 1
    assert sections["group"][0]["Группа"] == "Группа 0"
    assert sections["lesson_visits"][0]["Рекомендации"] == "Добавить рефлексию в конце урока"
    assert sections["achievements"][0]["Название"] == "Учитель года — призёр 0"
    assert {r["Комментарий"] for r in sections["review_comments"]} == {
        "Хороший вопрос классу 0",
        "Хороший вопрос классу — в целом",
    }
    for text in HIDDEN:
        assert text not in response.content.decode(), text
    assert sections["status_history"][-1]["Причина"] == "Документы в порядке"
    # The download itself is recorded, and it shows in the export.
    record = PersonalDataRequest.objects.filter(person=person).latest("pk")
    assert (record.kind, record.status, record.person_ref, record.processed_by) == (
        "export",
        "done",
        str(person.pk),
        person.user,
    )
    assert len(sections["data_requests"]) == 2


def test_xlsx_opens_with_a_sheet_per_section_and_neutralised_formulas(client, person):
    client.force_login(person.user)
    response = _download(client, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert {"Профиль", "Видеоуроки", "Посещаемость", "Отзывы экспертов", "Рейтинг", "Индивидуальные запросы"} <= set(
        workbook.sheetnames
    )
    assert len(workbook.sheetnames) == len(personal_data.registered_exporters())

    sheet = workbook["Видеоуроки"]
    header = [c.value for c in sheet[1]]
    reflection = sheet.cell(row=3, column=header.index("Самоанализ") + 1)
    assert reflection.value == "'" + FORMULA and reflection.data_type == "s"
    assert all(cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for cell in row)
    cells = " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value)
    assert "Добавить рефлексию в конце урока" in cells and "Учитель года — призёр 0" in cells
    for text in HIDDEN:
        assert text not in cells, text

    profile = workbook["Профиль"]
    header = [c.value for c in profile[1]]
    birth = profile.cell(row=2, column=header.index("Дата рождения") + 1)
    assert birth.value.date() == date(1985, 5, 17) and birth.number_format == "DD.MM.YYYY"
    created = profile.cell(row=2, column=header.index("Запись создана") + 1)
    assert created.number_format == "DD.MM.YYYY HH:MM"


@pytest.mark.parametrize("value", ["=1+1", "+7 900", "-5", "@SUM(A1)", "\t=1", "Обычный текст"])
def test_spreadsheet_safe(value):
    safe = personal_data.spreadsheet_safe(value)
    assert safe == (value if value == "Обычный текст" else "'" + value)


def test_page_lists_sections_for_the_owner(client, person):
    client.force_login(person.user)
    page = client.get(reverse("my_data")).content.decode()
    assert "Что хранится на портале" in page and "Видеоуроки" in page and "Удалить мои данные" in page


def test_another_teacher_downloads_only_their_own_data(client, person):
    other = PersonFactory(last_name="Кузнецова")
    client.force_login(other.user)
    assert "Смирнова" not in client.get(reverse("my_data")).content.decode()
    content = _download(client, "json").content.decode()
    assert "Кузнецова" in content and "Смирнова" not in content and "Не умею работать" not in content


def test_anonymous_visitor_is_sent_to_login(client, person):
    for response in (client.get(reverse("my_data")), _download(client, "json"), _download(client, "xlsx")):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert PersonalDataRequest.objects.filter(kind="export").count() == 1  # only the one fill() made


def test_bad_format_and_get_are_refused(client, person):
    client.force_login(person.user)
    assert _download(client, "csv").status_code == 400
    assert client.get(reverse("my_data_download")).status_code == 405


def _queries(person) -> dict[str, int]:
    counts = {}
    for exporter in personal_data.registered_exporters():
        person = type(person).objects.get(pk=person.pk)
        with CaptureQueriesContext(connection) as ctx:
            exporter.fn(person)
        counts[exporter.key] = len(ctx.captured_queries)
    return counts


def test_every_exporter_runs_the_same_queries_for_one_and_three_rows():
    one, three = PersonFactory(), PersonFactory()
    fill(one, 1)
    fill(three, 3)
    sections = {s.key: s.rows for s in personal_data.personal_data_collect(three)}
    assert len(sections["attendance"]) >= 3  # three rows really exist
    for key in ("group", "competence_tests", "entry_interviews", "lesson_visits", "mentoring_pairs"):
        assert len(sections[key]) == 3, key
    assert (len(sections["consultations"]), len(sections["achievements"])) == (9, 6)
    assert _queries(one) == _queries(three)
    assert max(_queries(three).values()) <= 3  # reviews: the rows, their scores, the criteria
