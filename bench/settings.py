"""Settings for the benchmarks only (bench/pages.py, bench/load.py): the production settings plus a bare view.

`DJANGO_SETTINGS_MODULE=bench.settings` serves everything config.urls serves and, in addition, `/bench/bare/`
(bench/urls.py): the yardstick the key pages are compared with. Production (config.settings) never routes it.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
