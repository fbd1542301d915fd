"""Every admin page type in grammatical Russian, with real requests for models of each gender: the single delete
confirmation («Вы уверены, что хотите удалить рецензию «…»?»), the delete action's page, the add page's
breadcrumb, the view-only titles, the success messages (agreeing with the name, the object's own quotes turned
„“), the count of deleted rows, «Выбрано 0 из N», the history page and an empty search (core.admin_grammar,
core.admin_site)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from programs.models import Subject
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    ReviewFactory,
    SessionFactory,
    SubjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _text(fragment: str) -> str:
    return " ".join(unescape(strip_tags(fragment)).split())


def _h1(html: str) -> str:
    return _text(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL).group(1))


def _title(html: str) -> str:
    return _text(re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1))


def _breadcrumbs(html: str) -> str:
    return _text(re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.DOTALL).group(1))


def _content(html: str) -> str:
    return _text(re.search(r'<div id="content"[^>]*>(.*)', html, re.DOTALL).group(1))


def _messages(response) -> list[str]:
    return [_text(str(message)) for message in response.context["messages"]]


# --- the single delete confirmation ----------------------------------------------------------------------------


def test_deleting_a_review_asks_in_the_accusative(client, superuser):
    review = ReviewFactory()
    html = client.get(reverse("admin:ratings_review_delete", args=[review.pk])).content.decode()
    assert _h1(html) == "Удалить рецензию"
    assert _title(html).startswith("Удалить рецензию |")
    assert f"Вы уверены, что хотите удалить рецензию «{review}»? Все следующие связанные объекты" in _content(html)
    assert "удалить рецензия" not in _content(html)
    assert '<input type="submit" value="Да, я уверен">' in html
    assert _breadcrumbs(html).endswith(f"Рецензии › {review} › Удалить")


@pytest.mark.parametrize(
    ("make", "url", "question"),
    [
        (
            lambda: MunicipalityFactory(name="Город «Северный»"),
            "admin:programs_municipality_delete",
            "удалить муниципалитет «Город „Северный“»?",
        ),
        (SessionFactory, "admin:activities_session_delete", "удалить занятие «{obj}»?"),
        (
            lambda: UserFactory(email="teacher@example.ru"),
            "admin:participants_user_delete",
            "удалить пользователя «teacher@example.ru»?",
        ),
    ],
    ids=["masculine, quotes inside", "neuter", "animate"],
)
def test_deleting_one_object_of_each_gender(client, superuser, make, url, question):
    obj = make()
    response = client.get(reverse(url, args=[obj.pk]))
    assert response.status_code == 200
    assert "Вы уверены, что хотите " + question.format(obj=obj) in _content(response.content.decode())


def test_a_protected_object_names_what_stands_in_the_way(client, superuser):
    municipality = MunicipalityFactory(name="Город «Северный»")
    OrganisationFactory(municipality=municipality, short_name="МАОУ «Гимназия № 1»")
    html = client.get(reverse("admin:programs_municipality_delete", args=[municipality.pk])).content.decode()
    assert _h1(html) == "Нельзя удалить муниципалитет"
    assert (
        "Чтобы удалить муниципалитет «Город „Северный“», нужно удалить и следующие защищённые связанные объекты:"
        in _content(html)
    )
    assert "Да, я уверен" not in html


def test_the_delete_confirmation_escapes_the_object(client, superuser):
    subject = SubjectFactory(name="<b>Физика</b> «углублённая»")
    html = client.get(reverse("admin:programs_subject_delete", args=[subject.pk])).content.decode()
    assert "удалить предмет «&lt;b&gt;Физика&lt;/b&gt; „углублённая“»?" in html
    assert "<b>Физика</b>" not in html


# --- the delete action -----------------------------------------------------------------------------------------


def test_the_delete_action_page_names_the_selected(client, superuser):
    ids = [SubjectFactory().pk for _ in range(2)]
    html = client.post(
        reverse("admin:programs_subject_changelist"), {"action": "delete_selected", "_selected_action": ids}
    ).content.decode()
    assert _h1(html) == "Удалить выбранные предметы"
    assert _breadcrumbs(html).endswith("Предметы › Удалить выбранные предметы")
    assert "Вы уверены, что хотите удалить выбранные предметы? Все следующие объекты" in _content(html)
    assert '<input type="submit" value="Да, я уверен">' in html


def test_the_delete_action_over_people_takes_the_genitive(client, superuser):
    ids = [UserFactory().pk for _ in range(2)]
    html = client.post(
        reverse("admin:participants_user_changelist"), {"action": "delete_selected", "_selected_action": ids}
    ).content.decode()
    assert _h1(html) == "Удалить выбранных пользователей"
    assert "Вы уверены, что хотите удалить выбранных пользователей?" in _content(html)


def test_the_delete_action_over_protected_rows(client, superuser):
    municipality = MunicipalityFactory()
    OrganisationFactory(municipality=municipality)
    html = client.post(
        reverse("admin:programs_municipality_changelist"),
        {"action": "delete_selected", "_selected_action": [municipality.pk]},
    ).content.decode()
    assert (
        "Чтобы удалить выбранные муниципалитеты, нужно удалить и следующие защищённые связанные объекты:"
        in _content(html)
    )


@pytest.mark.parametrize(
    ("n", "message"),
    [(1, "Успешно удалён 1 предмет."), (3, "Успешно удалены 3 предмета."), (5, "Успешно удалено 5 предметов.")],
)
def test_the_count_of_deleted_rows_agrees(client, superuser, n, message):
    ids = [SubjectFactory().pk for _ in range(n)]
    response = client.post(
        reverse("admin:programs_subject_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        follow=True,
    )
    assert _messages(response) == [message]
    assert not Subject.objects.exists()


def test_deleted_reviews_are_counted_in_the_feminine(client, superuser):
    ids = [ReviewFactory().pk for _ in range(3)]
    changelist = reverse("admin:ratings_review_changelist")
    data = {"action": "delete_selected", "_selected_action": ids[:1], "post": "yes"}
    assert _messages(client.post(changelist, data, follow=True)) == ["Успешно удалена 1 рецензия."]
    data["_selected_action"] = ids[1:]
    assert _messages(client.post(changelist, data, follow=True)) == ["Успешно удалены 2 рецензии."]


# --- add, change, view ------------------------------------------------------------------------------------------


def test_the_add_page_breadcrumb_is_in_the_accusative(client, superuser):
    html = client.get(reverse("admin:ratings_review_add")).content.decode()
    assert _breadcrumbs(html).endswith("Рецензии › Добавить рецензию")
    assert "Добавить рецензия" not in html


def test_a_feminine_name_agrees_in_every_message_and_keeps_quotes_inside(client, superuser):
    add = reverse("admin:auth_group_add")
    response = client.post(add, {"name": "Методисты «Север»"}, follow=True)
    group = Group.objects.get(name="Методисты «Север»")
    assert _messages(response) == ["Группа «Методисты „Север“» успешно добавлена."]

    change = reverse("admin:auth_group_change", args=[group.pk])
    response = client.post(change, {"name": "Методисты «Юг»", "_continue": "1"}, follow=True)
    assert _messages(response) == ["Группа «Методисты „Юг“» успешно изменена. Ниже её можно изменить снова."]
    response = client.post(change, {"name": "Методисты «Юг»", "_addanother": "1"}, follow=True)
    assert _messages(response) == ["Группа «Методисты „Юг“» успешно изменена. Ниже можно добавить ещё одну: группу."]

    response = client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}, follow=True)
    assert _messages(response) == ["Группа «Методисты „Юг“» удалена."]


def test_a_deleted_name_with_quotes_gets_them_inside(client, superuser):
    subject = SubjectFactory(name="МАОУ «Гимназия № 1»")
    response = client.post(reverse("admin:programs_subject_delete", args=[subject.pk]), {"post": "yes"}, follow=True)
    assert _messages(response) == ["Предмет «МАОУ „Гимназия № 1“» удалён."]


@pytest.fixture
def viewer(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_subject"), Permission.objects.get(codename="view_review")
    )
    client.force_login(user)
    return user


def test_a_view_only_user_is_asked_to_choose_for_viewing(client, viewer):
    html = client.get(reverse("admin:ratings_review_changelist")).content.decode()
    assert _h1(html) == "Выберите рецензию для просмотра"
    subject = SubjectFactory(name="Химия")
    html = client.get(reverse("admin:programs_subject_change", args=[subject.pk])).content.decode()
    assert _h1(html) == "Просмотреть предмет"
    assert _title(html).startswith("Химия | Просмотреть предмет |")


def test_the_change_page_title(client, superuser):
    review = ReviewFactory()
    html = client.get(reverse("admin:ratings_review_change", args=[review.pk])).content.decode()
    assert _h1(html) == "Изменить рецензию"
    assert _breadcrumbs(html).endswith(f"Рецензии › {review}")


# --- the list: selection, empty results; the history --------------------------------------------------------------


def test_the_selection_counter_and_an_empty_search(client, superuser):
    for _ in range(3):
        SubjectFactory()
    html = client.get(reverse("admin:programs_subject_changelist")).content.decode()
    assert re.search(r'<span class="action-counter"[^>]*>Выбрано 0 из 3</span>', html)
    html = client.get(reverse("admin:programs_subject_changelist"), {"q": "нет такого"}).content.decode()
    assert "0 результатов (3 всего)" in _content(html)
    assert "0 предметов" in _content(html)


def test_the_history_page_title_and_breadcrumbs(client, superuser):
    review = ReviewFactory()
    html = client.get(reverse("admin:ratings_review_history", args=[review.pk])).content.decode()
    assert _h1(html) == f"История изменений: {review}"
    assert _breadcrumbs(html) == f"Начало › Оценки и рейтинг › Рецензии › {review} › История"


# --- valid HTML by an outside checker ------------------------------------------------------------------------------


def test_the_reworded_pages_are_valid_html(client, superuser, tmp_path):
    from tests.html.test_nu_checker import _report, vnu

    municipality = MunicipalityFactory(name="Город «Северный»")
    OrganisationFactory(municipality=municipality)
    review = ReviewFactory()
    pages = {
        "delete_one": client.get(reverse("admin:ratings_review_delete", args=[review.pk])),
        "delete_protected": client.get(reverse("admin:programs_municipality_delete", args=[municipality.pk])),
        "delete_selected": client.post(
            reverse("admin:ratings_review_changelist"), {"action": "delete_selected", "_selected_action": [review.pk]}
        ),
        "add": client.get(reverse("admin:ratings_review_add")),
    }
    paths = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        paths.append(path)
    errors = [m for m in vnu(paths) if m.get("type") == "error"]
    assert errors == [], _report(errors)


def test_the_date_drill_down_names_months_alone_and_days_in_the_genitive(client, superuser):
    starts = timezone.make_aware(datetime(2024, 12, 6, 10, 0))
    SessionFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))
    url = reverse("admin:activities_session_changelist")
    year = client.get(url, {"starts_at__year": "2024"}).content.decode()
    assert ">Декабрь 2024 г.</a>" in year
    day = client.get(url, {"starts_at__year": "2024", "starts_at__month": "12", "starts_at__day": "6"}).content.decode()
    assert "6 декабря" in day and "6 Декабрь" not in day


def test_the_missing_permission_sentence_is_in_the_accusative():
    from django.utils import translation

    from core.admin_grammar import delete_selected_text, delete_text, registered

    forms = registered()["ratings.review"]
    with translation.override("ru"):
        one = delete_text(forms, "Урок «Дроби»", case="perms")
        selected = delete_selected_text(registered()["participants.user"], case="perms")
    assert one.startswith("Чтобы удалить рецензию «Урок „Дроби“», нужно удалить и связанные объекты, но у вашей")
    assert selected.startswith("Чтобы удалить выбранных пользователей, нужно удалить и связанные объекты")
