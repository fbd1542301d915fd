"""feedback_summary: per quarter and question, the count, mean and 1–5 distribution, hand-computed; texts only
where a question shows them; the admin page for coordinators of the season's municipality only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from participants.feedback import feedback_summary
from participants.models import FeedbackAnswer, FeedbackQuestion, FeedbackResponse, User
from participants.roles import role_groups_ensure
from tests.factories import EnrollmentFactory, MunicipalityFactory, PersonFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db
K = FeedbackQuestion.Kind


def _answer(season, year, quarter, scale, choice, hidden, shown, last_name):
    enrollment = EnrollmentFactory(season=season, person=PersonFactory(last_name=last_name))
    response = FeedbackResponse.objects.create(enrollment=enrollment, year=year, quarter=quarter)
    q = {q.order: q for q in FeedbackQuestion.objects.filter(season=season)}
    FeedbackAnswer.objects.create(response=response, question=q[1], scale_value=scale)
    FeedbackAnswer.objects.create(response=response, question=q[2], text_value=choice)
    if hidden:
        FeedbackAnswer.objects.create(response=response, question=q[3], text_value=hidden)
    if shown:
        FeedbackAnswer.objects.create(response=response, question=q[4], text_value=shown)


@pytest.fixture
def season():
    season = SeasonFactory()
    FeedbackQuestion.objects.create(season=season, order=1, text="Нагрузка и усталость", kind=K.SCALE, is_pulse=True)
    FeedbackQuestion.objects.create(
        season=season, order=2, text="Хватает ли поддержки?", kind=K.CHOICE, choices=["Да", "Нет"]
    )
    FeedbackQuestion.objects.create(season=season, order=3, text="Что беспокоит?", kind=K.TEXT, is_required=False)
    FeedbackQuestion.objects.create(
        season=season, order=4, text="Пожелания", kind=K.TEXT, is_required=False, shows_individual_answers=True
    )
    # Q1 2025: scales 5, 4, 4; choices Да, Да, Нет; two hidden texts; one shown text.
    _answer(season, 2025, 1, 5, "Да", "Личное: устаю от отчётов", "Больше практики", "Антонова")
    _answer(season, 2025, 1, 4, "Да", "Личное: конфликт с завучем", "", "Борисова")
    _answer(season, 2025, 1, 4, "Нет", "", "Меньше бумаг", "Васильева")
    # Q4 2024: one answer.
    _answer(season, 2024, 4, 2, "Нет", "", "", "Григорьева")
    return season


def test_numbers_per_quarter_and_question(season):
    q1_2025, q4_2024 = feedback_summary(season=season)
    assert (q1_2025.year, q1_2025.quarter, q1_2025.respondents) == (2025, 1, 3)
    scale, choice, hidden, shown = q1_2025.questions
    assert scale.count == 3
    assert scale.mean == Decimal("4.33")  # (5 + 4 + 4) / 3
    assert scale.distribution == [(1, 0, 0), (2, 0, 0), (3, 0, 0), (4, 2, 67), (5, 1, 33)]
    assert choice.count == 3
    assert choice.distribution == [("Да", 2, 67), ("Нет", 1, 33)]
    assert hidden.count == 2 and hidden.texts == []
    assert shown.count == 2
    assert shown.texts == [("Антонова Мария Петровна", "Больше практики"), ("Васильева Мария Петровна", "Меньше бумаг")]

    assert (q4_2024.year, q4_2024.quarter, q4_2024.respondents) == (2024, 4, 1)
    scale, choice, hidden, shown = q4_2024.questions
    assert (scale.count, scale.mean) == (1, Decimal("2.00"))
    assert scale.distribution[1] == (2, 1, 100)
    assert choice.distribution == [("Да", 0, 0), ("Нет", 1, 100)]
    assert (hidden.count, shown.count, shown.texts) == (0, 0, [])


def test_summary_of_another_season_is_empty(season):
    assert feedback_summary(season=SeasonFactory()) == []


@pytest.mark.parametrize("extra", [0, 2])
def test_summary_query_count_does_not_grow(django_assert_num_queries, season, extra):
    for n in range(extra):
        _answer(season, 2025, 2, 3, "Да", "скрыто", "видно", f"Дополнительная{n}")
    with django_assert_num_queries(5):
        feedback_summary(season=season)


def _coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.groups.add(role_groups_ensure()["Координаторы"])
    return user


def test_admin_page_for_the_seasons_coordinator(client, season):
    client.force_login(_coordinator(season.program.municipality))
    response = client.get(reverse("admin:participants_feedback_summary", args=[season.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 квартал 2025 года — ответили: 3" in page
    assert "4,33" in page or "4.33" in page
    assert "Больше практики" in page and "Антонова Мария Петровна" in page
    assert "Личное" not in page  # texts of a question that does not show individual answers stay hidden
    changelist = client.get(reverse("admin:participants_feedbackquestion_changelist")).content.decode()
    assert reverse("admin:participants_feedback_summary", args=[season.pk]) in changelist


def test_admin_page_refused_to_other_municipality_teacher_and_visitor(client, season):
    url = reverse("admin:participants_feedback_summary", args=[season.pk])
    client.force_login(_coordinator(MunicipalityFactory()))
    assert client.get(url).status_code == 404
    client.force_login(PersonFactory().user)  # a teacher: no admin access
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_management_without_change_rights_does_not_see_it(client, season):
    user = UserFactory(is_staff=True, role=User.Role.MANAGEMENT, municipality=season.program.municipality)
    user.groups.add(role_groups_ensure()["Руководство"])
    client.force_login(user)
    assert client.get(reverse("admin:participants_feedback_summary", args=[season.pk])).status_code == 404


def test_question_form_takes_choices_one_per_line(client, season):
    client.force_login(_coordinator(season.program.municipality))
    url = reverse("admin:participants_feedbackquestion_add")
    data = {
        "season": season.pk,
        "audience": FeedbackQuestion.Audience.PARTICIPANTS,
        "order": 5,
        "text": "Какой формат удобнее?",
        "help_text": "",
        "kind": K.CHOICE,
        "choices_text": "Очно\n\n Дистанционно \n",
        "is_required": "on",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FeedbackQuestion.objects.get(text="Какой формат удобнее?").choices == ["Очно", "Дистанционно"]

    response = client.post(url, {**data, "text": "Один вариант", "choices_text": "Очно"})
    assert "не меньше двух вариантов" in response.content.decode()
    response = client.post(url, {**data, "text": "Пульс текстом", "kind": K.TEXT, "choices_text": "", "is_pulse": "on"})
    assert "Пульс нагрузки — это всегда вопрос со шкалой 1–5." in response.content.decode()
    assert not FeedbackQuestion.objects.filter(text__in=["Один вариант", "Пульс текстом"]).exists()
