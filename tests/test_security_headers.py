"""HTTP security: the Content-Security-Policy (django-csp) and the other headers on real responses, the
templates carrying nothing the policy refuses, and production settings (DEBUG=off) in a separate process:
secure cookies, HSTS, the HTTPS redirect."""

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from activities.video_links import embed_origins, parse_video_link
from core.models import BackgroundJob
from tests.factories import UserFactory
from tests.test_settings import clean_env  # noqa: F401 (fixture)

BASE_DIR = Path(__file__).resolve().parent.parent

VIDEO_LINKS = [
    "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
    "https://vk.com/video-12345_67890",
    "https://vkvideo.ru/video-12345_67890",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/view",
]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_the_policy_allows_only_our_own_code_and_the_video_players(client):
    policy = _policy(client.get(reverse("home")))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and policy["style-src"][0] == "'self'"
    for directive in ("script-src", "style-src", "default-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "https:", "data:"} & set(policy[directive]), directive
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-src"] == list(embed_origins())
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


@pytest.mark.parametrize("link", VIDEO_LINKS)
def test_every_embedded_player_is_allowed_by_frame_src(link):
    """One list for both: the parser's embed URLs and the policy's frame-src (activities.video_links)."""
    embed = urlsplit(parse_video_link(link).embed_url)

    assert f"{embed.scheme}://{embed.netloc}" in embed_origins()


def test_frame_src_allows_no_other_origin():
    assert all(origin.startswith("https://") and origin.count("/") == 2 for origin in embed_origins())
    assert "https://evil.example" not in embed_origins()


@pytest.mark.django_db
def test_the_admin_and_the_sign_in_answer_with_the_policy_and_the_other_headers(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (reverse("admin:index"), reverse("login")):
        response = client.get(url)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_an_inline_style_carries_the_nonce_of_its_response(client):
    user = UserFactory()
    job = BackgroundJob.objects.create(started_by=user, kind="export", title="Выгрузка", total=4, done=1)
    client.force_login(user)

    response = client.get(reverse("background_job", args=[job.pk]))

    nonce = re.search(r"'nonce-([^']+)'", " ".join(_policy(response)["style-src"])).group(1)
    assert f'<style nonce="{nonce}">#job-progress-fill {{ width: 25%; }}</style>' in response.content.decode()


# Rendered into PDFs (certificates, documents such as the half-year monitoring report) or e-mails, never served as a
# page under the policy.
NOT_PAGES = ("emails", "certificates", "documents")


def _page_templates():
    for root in [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]:
        for path in root.rglob("*.html"):
            if path.relative_to(root).parts[0] not in NOT_PAGES:
                yield path


def test_no_page_template_has_what_the_policy_refuses():
    """Inline style attributes, on…= handlers, javascript: links and inline scripts or style blocks without the
    nonce are refused by the browser: each would silently stop working."""
    problems = []
    for path in _page_templates():
        text = path.read_text()
        for pattern, what in [
            (r"\sstyle\s*=", "a style attribute"),
            (r"\son[a-z]+\s*=", "an on… handler"),
            (r"javascript:", "a javascript: URL"),
            (r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", "an inline script without a nonce"),
            (r"<style(?![^>]*\bnonce=)[^>]*>", "a style block without a nonce"),
        ]:
            for match in re.finditer(pattern, text, flags=re.IGNORECASE):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(BASE_DIR)}:{line}: {what}")
    assert not problems, "\n".join(problems)
    assert sum(1 for _path in _page_templates()) > 50, "the scan found the templates"


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
from participants.models import User

call_command("migrate", verbosity=0)
User.objects.create_user("prod.check@example.ru", "Proverka-Prod-2026", email_confirmed_at="2025-01-01T00:00Z")
plain = Client(HTTP_HOST="metodportal.example.ru")
https = Client(HTTP_HOST="metodportal.example.ru", HTTP_X_FORWARDED_PROTO="https")
redirect = plain.get("/accounts/login/")
page = https.get("/accounts/login/")
signed_in = https.post(
    "/accounts/login/", {"username": "prod.check@example.ru", "password": "Proverka-Prod-2026"}
)

def cookie(response, name):
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"]}

print(json.dumps({
    "redirect": [redirect.status_code, redirect.get("Location", "")],
    "status": page.status_code,
    "headers": {name: page.get(name, "") for name in (
        "Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
        "Referrer-Policy", "Cross-Origin-Opener-Policy")},
    "csrf": cookie(page, "csrftoken"),
    "signed_in": signed_in.status_code,
    "session": cookie(signed_in, "sessionid"),
}))
"""


@pytest.fixture
def production_env(clean_env, tmp_path):  # noqa: F811
    return {
        **clean_env,
        "DEBUG": "off",
        "SECRET_KEY": "q7Vw2-Lm9xTz4RbN8cYp1sKd6HfJ3gAe0UuBiOoWn5ZyXvCtE!rQ@lMkPjGhF#a",
        "ALLOWED_HOSTS": "metodportal.example.ru",
        "CSRF_TRUSTED_ORIGINS": "https://metodportal.example.ru",
        "STATIC_ROOT": str(tmp_path / "static"),
    }


def test_production_settings_send_secure_cookies_hsts_and_the_policy(production_env):
    """DEBUG=off as deployed (an SQLite file stands in for PostgreSQL; the static files collected first, as the
    image does): HTTP is redirected to HTTPS, and the HTTPS answer carries every security header and cookie flag."""
    run = {"cwd": BASE_DIR, "env": production_env, "capture_output": True, "text": True, "timeout": 300}
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], **run)
    assert collected.returncode == 0, collected.stderr
    result = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], **run)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["redirect"] == [301, "https://metodportal.example.ru/accounts/login/"]
    assert seen["status"] == 200
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert seen["csrf"] == {"secure": True, "httponly": False, "samesite": "Lax"}
    assert seen["signed_in"] == 302
    assert seen["session"] == {"secure": True, "httponly": True, "samesite": "Lax"}
