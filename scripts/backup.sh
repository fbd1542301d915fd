#!/bin/sh
# Back up the docker-compose deployment: the database (pg_dump, custom format, compressed) and the media volume.
#
#   scripts/backup.sh [DIR]          run from the directory holding docker-compose.yml; DIR defaults to ./backup
#
# Writes DIR/metodportal-<date-time>.dump and DIR/media-<date-time>.tar.gz and prints their names. The dump is
# written under a temporary name and checked with `pg_restore --list`, so a failed run never leaves a file that
# looks like a good backup.
#   PG_EXEC  how to run the PostgreSQL tools (default: inside the compose service, `docker compose exec -T
#            postgres`); set it empty to use local pg_dump with PGHOST/PGPORT/PGPASSWORD, POSTGRES_USER and
#            POSTGRES_DB from the environment.
#   MEDIA=0  skip the media archive (e.g. media kept in S3, which has its own versioning).
set -eu

dir=${1:-backup}
stamp=$(date +%Y-%m-%d-%H%M%S)
pg_exec=${PG_EXEC-docker compose exec -T postgres}
mkdir -p "$dir"

dump="$dir/metodportal-$stamp.dump"
trap 'rm -f "$dump.part"' EXIT
# shellcheck disable=SC2016,SC2086  # the variables are the container's; PG_EXEC is a command line
$pg_exec sh -c 'pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" -Fc' >"$dump.part"
# shellcheck disable=SC2086
$pg_exec sh -c 'pg_restore --list >/dev/null' <"$dump.part"
mv "$dump.part" "$dump"
echo "$dump"

if [ "${MEDIA:-1}" != 0 ]; then
    media="media-$stamp.tar.gz"
    docker compose run --rm --no-deps --user root -v "$(cd "$dir" && pwd):/backup" --entrypoint tar web \
        czf "/backup/$media" -C /var/lib/metodportal media
    echo "$dir/$media"
fi
