"""What collectstatic collects: every file a template names, with the source map a minified library names, and
none of the library builds the portal never serves (core/staticfiles.py)."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import AppDirectoriesFinder as DjangoAppDirectoriesFinder

STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def _collected() -> set[str]:
    """The paths collectstatic would copy, listed by the finders as it lists them."""
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    paths = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore):
            prefix = getattr(storage, "prefix", None)
            paths.add(f"{prefix}/{path}" if prefix else path)
    return paths


def _named_by_templates() -> set[str]:
    names = set()
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        names |= set(STATIC_TAG.findall(template.read_text(encoding="utf-8")))
    return names


def test_every_file_a_template_names_is_collected():
    named = _named_by_templates()
    assert {"bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js"} <= named
    missing = named - _collected()
    # The resumable-upload client comes from npm; a checkout without node_modules serves the plain form.
    if not settings.RESUMABLE_UPLOAD_CLIENT:
        missing.discard("vendor/tus-js-client/tus.min.js")
    assert missing == set()


def test_the_source_maps_the_minified_libraries_name_are_collected():
    """The manifest storage follows «sourceMappingURL»: a map left out would stop collectstatic."""
    collected = _collected()
    for path in ("bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js"):
        text = Path(finders.find(path)).read_text(encoding="utf-8")
        (map_name,) = re.findall(r"sourceMappingURL=(\S+?)\s*(?:\*/)?\s*$", text.strip(), re.M)[-1:]
        assert f"{path.rsplit('/', 1)[0]}/{map_name}" in collected


def test_the_library_builds_nobody_serves_are_left_out():
    collected = _collected()
    for path in (
        "bootstrap/css/bootstrap.css",
        "bootstrap/css/bootstrap-grid.min.css",
        "bootstrap/css/bootstrap.rtl.min.css",
        "bootstrap/js/bootstrap.esm.js",
        "bootstrap/js/bootstrap.min.js",
        "bootstrap/js/jquery.min.js",
    ):
        shipped = DjangoAppDirectoriesFinder().find(path)
        assert shipped is not None, f"{path}: the library no longer ships it — update core/staticfiles.py"
        assert path not in collected
        assert finders.find(path) is None  # the development server does not serve it either
    assert not [path for path in collected if path.startswith("bootstrap/") and ".rtl." in path]
    if settings.RESUMABLE_UPLOAD_CLIENT:
        assert {path for path in collected if path.startswith("vendor/tus-js-client/")} == {
            "vendor/tus-js-client/tus.min.js",
            "vendor/tus-js-client/tus.min.js.map",
        }
    # Tools that look for the staticfiles app by name (pytest-django's live server) still find it.
    assert "django.contrib.staticfiles" in settings.INSTALLED_APPS
