# One image for web (gunicorn), Celery worker and Celery beat: see scripts/docker-entrypoint.sh.

# --- js: browser libraries from the npm registry (package-lock.json), served as static files -------------
FROM node:20-bookworm-slim AS js
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- build: dependencies into a virtualenv, translations compiled ------------------------------------
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app

# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml README.md* ./
RUN pip install . && rm -rf build *.egg-info

COPY . .
COPY --from=js /app/node_modules ./node_modules
# msgfmt directly: compiling translations should not need the application to import.
RUN find . -name '*.po' -not -path './.venv/*' -exec sh -c 'msgfmt --check -o "${1%.po}.mo" "$1"' _ {} \;

# --- runtime ----------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

# WeasyPrint renders certificates and reports through Pango and HarfBuzz.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /var/lib/metodportal/media \
    && chown -R app:app /var/lib/metodportal

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DEBUG=off \
    VAR_DIR=/var/lib/metodportal \
    MEDIA_ROOT=/var/lib/metodportal/media \
    STATIC_ROOT=/app/staticfiles \
    PORT=8000

WORKDIR /app
# Settings need a key to import; this dummy one lives only in this build step, never in the image's environment.
RUN SECRET_KEY=build-only-dummy-key-never-used-at-runtime-0123456789abcdef \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build.sqlite3 /tmp/build-var

USER app
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "scripts/healthcheck.py", "web"]
ENTRYPOINT ["scripts/docker-entrypoint.sh"]
CMD ["web"]
