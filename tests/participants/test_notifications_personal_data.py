"""A person's notifications are part of their data: in the export, and deleted by the erasure."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Notification
from core.notifications import NotificationDraft, notifications_create
from participants import personal_data
from participants.models import User
from participants.services import person_erase
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _notify(person, n):
    notifications_create(
        drafts=[
            NotificationDraft(
                user_id=person.user_id,
                title=f"Сдайте видеоурок {i}",
                body="Срок — 12 октября",
                url="/cabinet/videos/1/",
                kind=Notification.Kind.REMINDER,
            )
            for i in range(n)
        ]
    )


def _section(person):
    return {s.key: s for s in personal_data.personal_data_collect(person)}["notifications"]


def test_the_export_holds_my_notifications_and_nobody_elses():
    me, other = PersonFactory(), PersonFactory()
    _notify(me, 2)
    _notify(other, 1)
    section = _section(me)
    assert section.title == "Уведомления"
    assert [row["Заголовок"] for row in section.rows] == ["Сдайте видеоурок 0", "Сдайте видеоурок 1"]
    row = section.rows[0]
    assert row["Вид"] == "Напоминание о сроке" and row["Ссылка"] == "/cabinet/videos/1/" and row["Прочитано"] is None
    assert _section(PersonFactory(user=None)).rows == []


@pytest.mark.parametrize("n", [1, 3])
def test_the_exporter_runs_one_query(n):
    person = PersonFactory()
    _notify(person, n)
    exporter = next(e for e in personal_data.registered_exporters() if e.key == "notifications")
    with CaptureQueriesContext(connection) as ctx:
        rows = exporter.fn(person)
    assert len(rows) == n and len(ctx.captured_queries) == 1


def test_erasure_deletes_my_notifications_only():
    me, other = PersonFactory(), PersonFactory()
    _notify(me, 3)
    _notify(other, 1)
    request = person_erase(person=me, by=UserFactory(is_staff=True))
    assert not Notification.objects.filter(user_id=me.user_id).exists()
    assert Notification.objects.filter(user_id=other.user_id).count() == 1
    assert User.objects.get(pk=me.user_id).unread_notifications == 0
    assert User.objects.get(pk=other.user_id).unread_notifications == 1
    assert "Удалены уведомления: 3" in request.result
