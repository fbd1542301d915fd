#!/bin/sh
# One image, three roles: `web` (migrate, then gunicorn), `worker`, `beat`; anything else is run as given.
# web listens on BIND_HOST:PORT (0.0.0.0:8000 in the container; tests/test_docker_entrypoint_roles.py uses loopback).
set -eu

case "${1:-web}" in
web)
    shift || true
    if [ "${MIGRATE_ON_START:-on}" != "off" ]; then
        python manage.py migrate --noinput
    fi
    exec gunicorn config.wsgi:application \
        --bind "${BIND_HOST:-0.0.0.0}:${PORT:-8000}" \
        --workers "${WEB_CONCURRENCY:-3}" \
        --timeout "${GUNICORN_TIMEOUT:-120}" \
        --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-*}" \
        --access-logfile - "$@"
    ;;
worker)
    shift
    exec celery -A config worker --loglevel "${LOG_LEVEL:-INFO}" --concurrency "${WORKER_CONCURRENCY:-2}" "$@"
    ;;
beat)
    shift
    exec celery -A config beat --loglevel "${LOG_LEVEL:-INFO}" \
        --schedule "${VAR_DIR:-/var/lib/metodportal}/celerybeat-schedule" "$@"
    ;;
*)
    exec "$@"
    ;;
esac
