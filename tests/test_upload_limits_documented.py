"""The size limits and timeouts documented in docs/deploy.md and set in docker-compose.yml agree with the
settings the portal runs with: one video limit, a plain-form limit equal to nginx's client_max_body_size,
pieces of resumable uploads below it, the internal X-Accel location, and nginx waiting longer than gunicorn."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEPLOY = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
COMPOSE = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
ENTRYPOINT = (ROOT / "scripts" / "docker-entrypoint.sh").read_text(encoding="utf-8")
UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def nginx_block() -> str:
    blocks = re.findall(r"```nginx\n(.*?)```", DEPLOY, flags=re.S)
    assert len(blocks) == 1, "docs/deploy.md has one nginx example"
    return blocks[0]


def directive(name: str) -> str:
    found = re.findall(rf"^\s*{name}\s+([^;]+);", nginx_block(), flags=re.M)
    assert len(found) == 1, name
    return found[0].strip()


def nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * UNITS[unit]


def nginx_seconds(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(s|m)?", value).groups()
    return int(number) * (60 if unit == "m" else 1)


def compose_default(name: str) -> str:
    """The default of `NAME: ${NAME:-default}` in docker-compose.yml's shared environment (x-app)."""
    shared = COMPOSE[COMPOSE.index("x-app:") : COMPOSE.index("services:")]
    found = re.findall(rf"^\s+{name}: \$\{{{name}:-([^}}]+)\}}$", shared, flags=re.M)
    assert len(found) == 1, f"{name} in docker-compose.yml reads the environment with a default"
    return found[0]


def test_the_plain_form_limit_is_nginx_client_max_body_size():
    assert nginx_size(directive("client_max_body_size")) == settings.PLAIN_UPLOAD_MAX_BYTES


def test_a_resumable_piece_fits_in_one_request():
    assert settings.RESUMABLE_UPLOAD_CHUNK_BYTES < nginx_size(directive("client_max_body_size"))


def test_the_video_limit_is_the_same_in_settings_compose_and_the_docs():
    assert compose_default("VIDEO_MAX_BYTES") == str(settings.VIDEO_MAX_BYTES)
    assert f"`VIDEO_MAX_BYTES`, по умолчанию {settings.VIDEO_MAX_BYTES} байт (2 ГБ)" in DEPLOY
    assert settings.VIDEO_MAX_BYTES == 2 * 1024**3


def test_nginx_waits_longer_than_gunicorn():
    gunicorn = int(compose_default("GUNICORN_TIMEOUT"))
    assert f'--timeout "${{GUNICORN_TIMEOUT:-{gunicorn}}}"' in ENTRYPOINT
    assert nginx_seconds(directive("proxy_read_timeout")) > gunicorn
    assert f"`GUNICORN_TIMEOUT` ({gunicorn} с)" in DEPLOY


def test_the_internal_location_is_where_the_portal_redirects():
    block = nginx_block()
    location = re.search(r"location\s+(\S+)\s*\{([^}]*)\}", block[block.index("internal") - 200 :], flags=re.S)
    assert location.group(1) == settings.SENDFILE_NGINX_LOCATION
    assert re.search(r"^\s*internal;", location.group(2), flags=re.M)
    assert "alias" in location.group(2)


def test_the_bucket_rules_documented_match_the_direct_s3_upload_settings():
    # The lifecycle rule must cover the prefix the portal starts its multipart uploads under, and a part must be
    # one S3 accepts; the CORS rule lets the page's PUTs through and shows the parts' ETags.
    assert f'"Filter": {{"Prefix": "{settings.S3_UPLOAD_PREFIX}"}}' in DEPLOY
    assert '"AllowedMethods": ["PUT"]' in DEPLOY and '"ExposeHeaders": ["ETag"]' in DEPLOY
    assert settings.S3_UPLOAD_PART_BYTES >= 5 * 1024**2
