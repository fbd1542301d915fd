"""Attendance under hostile input: the marks form, a meeting's export of any content (CSV or not), and the
teacher's check-in code. Never a 500; a refusal says why in Russian and changes no mark; names with markup
from an export are shown as text in the import report."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from activities.attendance_import import MAX_BYTES
from tests.activities.attendance_fixtures import coordinator_of, session_with_participants
from tests.hostile.helpers import (
    IMG,
    SCRIPT,
    assert_escaped,
    assert_russian,
    form_errors,
    hostile_text,
    rolled_back,
    row_counts,
)

pytestmark = pytest.mark.django_db
MODELS = ("activities.Attendance",)
NAMES = [("Петрова", "Анна", "Ивановна"), ("Сидоров", "Олег", "Николаевич")]


@pytest.fixture
def session():
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=40)
    return session_with_participants(2, names=NAMES, starts_at=start)[0]


@pytest.fixture
def coordinator(client, session):
    client.force_login(coordinator_of(session))
    return client


def _marks_url(session):
    return reverse("session_attendance", args=[session.pk])


def _import_url(session):
    return reverse("session_attendance_import", args=[session.pk])


@given(data=st.data())
def test_hostile_marks_are_answered_and_refused_whole(coordinator, session, data):
    enrollments = list(session.activity.season.enrollments.values_list("pk", flat=True))
    posted = {}
    for pk in [*enrollments, 10**30, -1]:
        posted[f"status_{pk}"] = data.draw(
            st.one_of(st.sampled_from(["present", "late", "excused", "absent"]), hostile_text(12))
        )
        posted[f"reason_{pk}"] = data.draw(hostile_text())
    with rolled_back():
        before = row_counts(MODELS)
        response = coordinator.post(_marks_url(session), posted)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert_russian(form_errors(response))
            assert row_counts(MODELS) == before


HEADERS = st.sampled_from(
    [
        ["Имя (настоящее имя)", "Электронная почта пользователя", "Время входа", "Продолжительность (минуты)"],
        ["Участник", "Email", "Подключился"],
        ["Name", "User Email", "Join Time", "Duration (Minutes)"],
        ["ФИО"],
        ["<script>", "=cmd|' /C calc'!A0"],
    ]
)
CELLS = st.one_of(
    hostile_text(30),
    st.emails().map(str),
    st.sampled_from(["Петрова Анна", "Сидоров Олег", "12:00", "25:61", "99999", "-5", "1e400", "01.01.0001 00:00"]),
)
ROWS = st.lists(st.lists(CELLS, max_size=5), max_size=6)


def _csv(header, rows, delimiter, encoding):
    buffer = io.StringIO()
    for line in [header, *rows]:
        buffer.write(delimiter.join(c.replace(delimiter, " ") for c in line) + "\r\n")
    return buffer.getvalue().encode(encoding, errors="replace")


CSV_FILES = st.builds(
    _csv, HEADERS, ROWS, st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16"])
)
ANY_FILES = st.one_of(
    CSV_FILES,
    st.binary(max_size=400),
    st.sampled_from([b"", b"PK\x03\x04" + bytes(60), b"\xff\xfe" + "a,b".encode("utf-16-le"), b'"unclosed,\n' * 3]),
)


@given(content=ANY_FILES, name=st.sampled_from(["report.csv", "<img>.csv", "report.xlsx", "a" * 300]))
def test_hostile_export_is_answered_and_refused_whole(coordinator, session, content, name):
    with rolled_back():
        before = row_counts(MODELS)
        response = coordinator.post(_import_url(session), {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        form = response.context["import_form"]
        if form.errors:
            assert_russian(form_errors(response, "import_form"))
            assert row_counts(MODELS) == before


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_markup_in_an_export_is_text_in_the_report(coordinator, session, payload):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["Имя", "Электронная почта"], [payload, "x@example.ru"], ["Петрова Анна", ""]])
    content = buffer.getvalue().encode()
    response = coordinator.post(_import_url(session), {"file": SimpleUploadedFile("report.csv", content)})
    assert response.status_code == 200 and not response.context["import_form"].errors
    assert_escaped(response.content.decode(), payload)


def test_an_export_past_the_cap_is_cut_off_while_it_arrives(coordinator, session):
    before = row_counts(MODELS)
    content = b"Name,Email\r\n" + b"x" * MAX_BYTES
    response = coordinator.post(_import_url(session), {"file": SimpleUploadedFile("report.csv", content)})
    assert response.status_code == 200
    assert response.context["import_form"].errors["file"] == ["Файл больше допустимых 2 МБ; загрузка остановлена."]
    assert row_counts(MODELS) == before


@given(code=hostile_text(20))
def test_hostile_checkin_code_is_answered(client, session, code):
    enrollment = session.activity.season.enrollments.first()
    client.force_login(enrollment.person.user)
    with rolled_back():
        before = row_counts(MODELS)
        response = client.post(reverse("session_checkin", args=[session.pk]), {"code": code})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert_russian(form_errors(response))
            assert row_counts(MODELS) == before
