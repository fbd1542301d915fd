"""Static file finders that leave out the browser libraries' files the portal never serves.

The `bootstrap` package (PyPI) and tus-js-client (npm) ship every build of their libraries: Bootstrap's grid,
reboot and utilities sheets, the right-to-left and unminified variants, the ES-module and plain scripts, jQuery;
tus-js-client its unminified build and a test bundle. The pages use bootstrap.min.css, bootstrap.bundle.min.js
and tus.min.js (each with its source map, which the minified file names and the manifest storage follows).
Collecting the rest made `collectstatic` write and compress (gzip and Brotli) 37 MB in 1,149 files: 40 s on two
cores for every image build and every test that collects. tests/test_static_files.py checks that each file a
template names is still collected and the others are not.

They are finders (settings.STATICFILES_FINDERS) rather than a replaced staticfiles app config: tools look for
«django.contrib.staticfiles» in INSTALLED_APPS by name (pytest-django's live server serves static files only
then), and a finder leaves the files out of collectstatic and of the development server alike.
"""

import os

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.utils import matches_patterns

UNSERVED_LIBRARY_FILES = [
    "bootstrap/css/bootstrap-*",  # grid, reboot, utilities: parts of bootstrap.min.css
    "bootstrap/css/*.rtl.*",
    "bootstrap/css/bootstrap.css",
    "bootstrap/css/bootstrap.css.map",
    "bootstrap/js/bootstrap.js",
    "bootstrap/js/bootstrap.js.map",
    "bootstrap/js/bootstrap.min.js",
    "bootstrap/js/bootstrap.min.js.map",
    "bootstrap/js/bootstrap.bundle.js",
    "bootstrap/js/bootstrap.bundle.js.map",
    "bootstrap/js/bootstrap.esm*",
    "bootstrap/js/jquery*",
    # tus-js-client's dist/ is collected under a prefix (settings.STATICFILES_DIRS): its paths are matched
    # without it, so these name the files themselves.
    "tus.js",
    "tus.js.map",
    "browser-test-bundle.js",
]


def unserved(path: str) -> bool:
    """A library file no page serves: by its path or, for a prefixed directory's files, by its name."""
    return matches_patterns(path, UNSERVED_LIBRARY_FILES) or matches_patterns(
        os.path.basename(path), UNSERVED_LIBRARY_FILES
    )


class _LeavesOutUnserved:
    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *UNSERVED_LIBRARY_FILES])

    def find(self, path, find_all=False, **kwargs):
        if unserved(path):
            return []  # «not found», as Django's own finders answer
        return super().find(path, find_all=find_all, **kwargs)


class FileSystemFinder(_LeavesOutUnserved, finders.FileSystemFinder):
    """settings.STATICFILES_DIRS, without the unserved library files."""


class AppDirectoriesFinder(_LeavesOutUnserved, finders.AppDirectoriesFinder):
    """The apps' static/ directories, without the unserved library files."""
