"""The notification list, opening one (marks it read, follows only local links) and «mark all read»:
for the owner, another user and an anonymous visitor; the unread badge in the navbar costs no query."""

import pytest
from django.urls import reverse

from core.models import Notification
from core.notifications import NotificationDraft, notifications_create
from participants.models import User
from participants.views_notifications import NOTIFICATIONS_PER_PAGE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications")


def _notify(user, title="Срок близко", url="/cabinet/", **kwargs) -> Notification:
    notifications_create(drafts=[NotificationDraft(user_id=user.pk, title=title, url=url, **kwargs)])
    return Notification.objects.filter(user=user).order_by("-pk").first()


def _read_url(notification) -> str:
    return reverse("notification_read", args=[notification.pk])


def test_the_owner_sees_their_notifications_newest_first_unread_highlighted(client):
    user, other = UserFactory(), UserFactory()
    old = _notify(user, title="Первое", body="Текст первого")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    User.objects.filter(pk=user.pk).update(unread_notifications=0)
    _notify(user, title="Второе")
    _notify(other, title="Чужое")
    client.force_login(User.objects.get(pk=user.pk))
    page = client.get(LIST)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Чужое" not in html
    assert html.index("Второе") < html.index("Первое") and "Текст первого" in html
    assert html.count("notification-unread") == 1 and "Новое" in html
    assert "1 непрочитанное уведомление." in html
    assert "Отметить все прочитанными" in html
    # The badge next to «Личный кабинет», with words for screen readers.
    assert 'data-unread="1"' in html and "непрочитанных: 1" in html


def test_the_list_is_paginated(client):
    user = UserFactory()
    notifications_create(drafts=[NotificationDraft(user_id=user.pk, title=f"N{i}") for i in range(55)])
    client.force_login(user)
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == NOTIFICATIONS_PER_PAGE
    second = client.get(LIST, {"page": 2})
    assert [n.title for n in second.context["page"].object_list] == [f"N{i}" for i in range(4, -1, -1)]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    notification = _notify(UserFactory())
    assert client.get(LIST)["Location"].startswith(reverse("login"))
    response = client.post(_read_url(notification))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("notifications_read_all"))["Location"].startswith(reverse("login"))
    assert Notification.objects.get().read_at is None


def test_opening_marks_read_and_follows_the_local_link(client):
    user = UserFactory()
    notification = _notify(user, url="/cabinet/videos/7/")
    client.force_login(user)
    response = client.post(_read_url(notification))
    assert response.status_code == 302 and response["Location"] == "/cabinet/videos/7/"
    assert Notification.objects.get().read_at is not None
    assert User.objects.get(pk=user.pk).unread_notifications == 0
    # Read ones link straight to where they point.
    assert 'href="/cabinet/videos/7/"' in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", ""]
)
def test_a_link_off_the_site_falls_back_to_the_list(client, url):
    user = UserFactory()
    notification = _notify(user, url=url)
    client.force_login(user)
    response = client.post(_read_url(notification))
    assert response.status_code == 302 and response["Location"] == LIST
    assert Notification.objects.get().read_at is not None
    assert url == "" or f'href="{url}"' not in client.get(LIST).content.decode()


def test_another_users_notification_is_not_found(client):
    notification = _notify(UserFactory(), url="/cabinet/")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.post(_read_url(notification)).status_code == 404
    assert client.post(reverse("notification_read", args=[notification.pk + 1000])).status_code == 404
    assert Notification.objects.get().read_at is None


def test_opening_needs_post(client):
    user = UserFactory()
    notification = _notify(user)
    client.force_login(user)
    assert client.get(_read_url(notification)).status_code == 405
    assert Notification.objects.get().read_at is None


def test_mark_all_read_touches_only_mine(client):
    user, other = UserFactory(), UserFactory()
    for i in range(3):
        _notify(user, title=str(i))
    _notify(other)
    client.force_login(user)
    response = client.post(reverse("notifications_read_all"), follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "Все уведомления отмечены прочитанными." in response.content.decode()
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert Notification.objects.get(user=other).read_at is None
    assert User.objects.get(pk=user.pk).unread_notifications == 0
    assert User.objects.get(pk=other.pk).unread_notifications == 1
    assert "data-unread" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_runs_the_same_queries_for_one_or_three(client, django_assert_num_queries, count):
    user = UserFactory()
    for i in range(count):
        _notify(user, title=f"N{i}", url=f"/cabinet/videos/{i}/")
    client.force_login(user)
    # session, user with the person (the name in the menu), the count for the paginator, the page of rows.
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count("notification-unread") == count


@pytest.mark.parametrize("unread", [0, 2])
def test_the_badge_costs_no_query_on_another_page(client, django_assert_num_queries, unread):
    user = UserFactory()
    for i in range(unread):
        _notify(user, title=f"N{i}")
    client.force_login(user)
    # session, user with the person (the name in the menu) — with or without a badge: it reads the user row.
    with django_assert_num_queries(2):
        html = client.get(reverse("password_change")).content.decode()
    if unread:
        assert 'data-unread="2"' in html and "непрочитанных: 2" in html
    else:
        assert "data-unread" not in html
    assert f'href="{LIST}"' in html


def test_an_empty_list_says_only_that_there_are_none(client):
    client.force_login(UserFactory())
    html = client.get(LIST).content.decode()
    assert "Уведомлений пока нет." in html
    assert "Все уведомления прочитаны." not in html


def test_a_list_read_to_the_end_says_so_once(client):
    user = UserFactory()
    _notify(user)
    Notification.objects.filter(user=user).update(read_at="2026-01-01T00:00:00Z")
    User.objects.filter(pk=user.pk).update(unread_notifications=0)
    client.force_login(user)
    html = client.get(LIST).content.decode()
    assert "Все уведомления прочитаны." in html
    assert "Уведомлений пока нет." not in html
