"""django.contrib.staticfiles with the browser libraries' files the portal never serves left uncollected.

The `bootstrap` package (PyPI) and tus-js-client (npm) ship every build of their libraries: Bootstrap's grid,
reboot and utilities sheets, the right-to-left and unminified variants, the ES-module and plain scripts, jQuery;
tus-js-client its unminified build and a test bundle. The pages use bootstrap.min.css, bootstrap.bundle.min.js
and tus.min.js (each with its source map, which the minified file names and the manifest storage follows).
Collecting the rest made `collectstatic` write and compress (gzip and Brotli) 37 MB in 1,149 files: 40 s on two
cores for every image build and every test that collects. tests/test_static_files.py checks that each file a
template names is still collected and the others are not.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig

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


class PortalStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, *UNSERVED_LIBRARY_FILES]
