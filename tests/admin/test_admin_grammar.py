"""The admin in grammatical Russian (core.admin_grammar): every registered model's changelist title, add button,
count line and delete action use the declined forms of its table entry; the success messages agree with the
name's gender; the date drill-down writes «6 декабря»."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.admin.filters import DateFieldListFilter
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext

from core.admin_grammar import MASCULINE_ANIMATE, plural_index, registered, reworded_message
from experts.models import MentoringPair
from programs.models import Subject
from tests.factories import EnrollmentFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _h1(html: str) -> str:
    return unescape(strip_tags(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL).group(1))).strip()


def _paginator(html: str) -> str:
    text = re.search(r'<p class="paginator">(.*?)</p>', html, re.DOTALL).group(1)
    return " ".join(unescape(strip_tags(text)).split())


def test_every_registered_model_has_forms_and_nothing_else_has():
    forms = registered()
    admins = {model._meta.label: model for model in admin.site._registry}
    assert _without_forms(admins, forms) == []
    assert sorted(set(forms) - {label.lower() for label in admins}) == []
    with translation.override("ru"):
        for label, model in admins.items():
            name = str(model._meta.verbose_name)
            assert forms[label.lower()].nominative == name[:1].lower() + name[1:], label


def _without_forms(admins: dict, forms: dict) -> list[str]:
    """The labels of admin models with no forms: the failure names the model to give forms to."""
    return sorted(label for label in admins if label.lower() not in forms)


def test_a_model_without_forms_is_named():
    forms = registered()
    del forms["ratings.review"]
    admins = {model._meta.label: model for model in admin.site._registry}
    assert _without_forms(admins, forms) == ["ratings.Review"]


@pytest.mark.parametrize(
    ("n", "index"), [(0, 2), (1, 0), (2, 1), (4, 1), (5, 2), (11, 2), (12, 2), (14, 2), (21, 0), (22, 1), (111, 2)]
)
def test_plural_index_is_the_russian_catalogues_rule(n, index):
    assert plural_index(n) == index


def test_every_changelist_title_add_button_count_and_delete_action(client, superuser):
    EnrollmentFactory()
    checked = deletes = 0
    for model, model_admin in admin.site._registry.items():
        forms = registered()[model._meta.label_lower]
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        request = response.wsgi_request
        count = response.context["cl"].result_count

        verb = "изменения" if model_admin.has_change_permission(request) else "просмотра"
        assert _h1(html) == f"Выберите {forms.accusative} для {verb}", url
        assert f"<title>Выберите {forms.accusative} для {verb} |" in html, url
        assert _paginator(html).startswith(f"{count} {forms.counted(count)}"), url
        if model_admin.has_add_permission(request):
            assert f'class="addlink">Добавить {forms.accusative}</a>' in html, url
        if forms.accusative != forms.nominative:
            assert f"Выберите {forms.nominative} для" not in html, url
            assert f"Добавить {forms.nominative}</a>" not in html, url
        if count and "delete_selected" in model_admin.get_actions(request):  # actions show over rows only
            deletes += 1
            chosen = "выбранных" if forms.gender == MASCULINE_ANIMATE else "выбранные"
            assert f'<option value="delete_selected">Удалить {chosen} {forms.accusative_plural}</option>' in html, url
        checked += 1
    assert checked == len(registered()) and deletes >= 5


@pytest.mark.parametrize(("n", "line"), [(1, "1 предмет"), (3, "3 предмета"), (5, "5 предметов")])
def test_the_count_agrees_with_its_number(client, superuser, n, line):
    for i in range(n):
        Subject.objects.create(name=f"Предмет {i}")
    html = client.get(reverse("admin:programs_subject_changelist")).content.decode()
    assert _paginator(html) == line


def test_add_change_and_delete_messages_agree_with_the_name(client, superuser):
    response = client.post(reverse("admin:programs_subject_add"), {"name": "МАОУ «Гимназия № 1»"}, follow=True)
    subject = Subject.objects.get()
    (message,) = [str(m) for m in response.context["messages"]]
    assert strip_tags(message) == "Предмет «МАОУ „Гимназия № 1“» успешно добавлен."

    url = reverse("admin:programs_subject_change", args=[subject.pk])
    response = client.post(url, {"name": "Физика", "_continue": "1"}, follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert strip_tags(message) == "Предмет «Физика» успешно изменён. Ниже его можно изменить снова."
    assert f'<a href="{url}">Физика</a>' in message  # Django's link to the object stays

    response = client.post(url, {"name": "Химия", "_addanother": "1"}, follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert strip_tags(message) == "Предмет «Химия» успешно изменён. Ниже можно добавить ещё один: предмет."

    response = client.post(reverse("admin:programs_subject_delete", args=[subject.pk]), {"post": "yes"}, follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert message == "Предмет «Химия» удалён."


def test_bulk_delete_counts_in_the_genitive(client, superuser):
    ids = [Subject.objects.create(name=f"Предмет {i}").pk for i in range(5)]
    changelist = reverse("admin:programs_subject_changelist")
    confirm = client.post(changelist, {"action": "delete_selected", "_selected_action": ids})
    assert "Вы уверены, что хотите удалить выбранные предметы?" in confirm.content.decode()
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}, follow=True
    )
    (message,) = [str(m) for m in response.context["messages"]]
    assert message == "Успешно удалено 5 предметов."


def test_add_form_title_is_in_the_accusative(client, superuser):
    html = client.get(reverse("admin:experts_mentoringpair_add")).content.decode()
    assert _h1(html) == "Добавить наставническую пару"


def test_a_feminine_name_agrees():
    opts = MentoringPair._meta
    with translation.override("ru"):
        django_text = format_html(
            gettext("The {name} “{obj}” was added successfully. You may add another {name} below."),
            name=opts.verbose_name,
            obj=format_html('<a href="/x/">{}</a>', "Иванова — Петрова"),
        )
        reworded = reworded_message(opts, django_text)
    assert strip_tags(reworded) == (
        "Наставническая пара «Иванова — Петрова» успешно добавлена. Ниже можно добавить ещё одну: наставническую пару."
    )


def test_other_messages_and_other_languages_are_left_alone():
    opts = MentoringPair._meta
    with translation.override("ru"):
        assert reworded_message(opts, "Пары пересчитаны.") is None
    with translation.override("en"):
        assert reworded_message(opts, "The mentoring pair “x” was added successfully.") is None


def test_the_date_drill_down_writes_the_day_with_the_month_in_the_genitive(client, superuser):
    with translation.override("ru"):
        assert formats.date_format(date(2024, 12, 6), "MONTH_DAY_FORMAT") == "6 декабря"
    starts = timezone.make_aware(timezone.datetime(2024, 12, 6, 10, 0))
    SessionFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))
    url = reverse("admin:activities_session_changelist")
    html = client.get(url, {"starts_at__year": "2024", "starts_at__month": "12"}).content.decode()
    assert ">6 декабря</a>" in html
    assert "6 Декабрь" not in html


def test_date_list_filter_labels_are_russian():
    with translation.override("ru"):
        labels = [
            str(title)
            for title, _ in DateFieldListFilter(
                SessionFactory._meta.model._meta.get_field("starts_at"),
                _request(),
                {},
                SessionFactory._meta.model,
                admin.site._registry[SessionFactory._meta.model],
                "starts_at",
            ).links
        ]
    assert labels == ["Любая дата", "Сегодня", "Последние 7 дней", "Этот месяц", "Этот год"]


def _request():
    from django.test import RequestFactory

    return RequestFactory().get("/")
