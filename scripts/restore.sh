#!/bin/sh
# Restore a backup made by scripts/backup.sh into the docker-compose deployment.
#
#   scripts/restore.sh DUMP [MEDIA_ARCHIVE]
#       Replace the portal's data: stops web, worker and beat, restores the dump over the database (objects are
#       dropped and recreated), unpacks the media archive, starts everything again (web applies any migration
#       the newer code needs).
#   scripts/restore.sh --new-database NAME DUMP
#       Restore into a new, empty database NAME beside the live one, touching nothing else: the regular check
#       that backups restore (docs/deploy.md). Fails if NAME exists.
#
#   PG_EXEC  as in scripts/backup.sh (default `docker compose exec -T postgres`; empty: local tools).
set -eu

pg_exec=${PG_EXEC-docker compose exec -T postgres}
usage() {
    echo "usage: $0 DUMP [MEDIA_ARCHIVE] | $0 --new-database NAME DUMP" >&2
    exit 2
}

if [ "${1:-}" = "--new-database" ]; then
    [ $# -eq 3 ] || usage
    name=$2
    dump=$3
    [ -r "$dump" ] || { echo "$0: cannot read $dump" >&2; exit 1; }
    # shellcheck disable=SC2016,SC2086
    $pg_exec sh -c 'createdb -U "$POSTGRES_USER" -T template0 -E UTF8 "$1"' sh "$name"
    # shellcheck disable=SC2016,SC2086
    $pg_exec sh -c 'pg_restore -U "$POSTGRES_USER" -d "$1" --no-owner --exit-on-error' sh "$name" <"$dump"
    echo "restored $dump into database $name"
    exit 0
fi

[ $# -ge 1 ] && [ $# -le 2 ] || usage
dump=$1
media=${2:-}
[ -r "$dump" ] || { echo "$0: cannot read $dump" >&2; exit 1; }
[ -z "$media" ] || [ -r "$media" ] || { echo "$0: cannot read $media" >&2; exit 1; }

docker compose stop web worker beat
# shellcheck disable=SC2016,SC2086
$pg_exec sh -c 'pg_restore -U "$POSTGRES_USER" -d "$POSTGRES_DB" --clean --if-exists --no-owner --exit-on-error' <"$dump"
if [ -n "$media" ]; then
    media_dir=$(cd "$(dirname "$media")" && pwd)
    docker compose run --rm --no-deps --user root -v "$media_dir:/backup:ro" --entrypoint tar web \
        xzf "/backup/$(basename "$media")" -C /var/lib/metodportal
fi
docker compose up -d
