#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an empty database and an empty media folder.
#
#   createdb -O digihjaelp digihjaelp_restored          (or drop and recreate the old one)
#   DATABASE_URL=postgres://…/digihjaelp_restored MEDIA_ROOT=/var/lib/digihjaelp/media \
#     deploy/restore.sh /var/backups/digihjaelp/20261130T023000Z
#
# Stop the web, worker and periodic services first. After restoring into an older backup's
# database, run `manage.py migrate` if the code is newer than the backup.
set -euo pipefail

backup=${1:?usage: deploy/restore.sh BACKUP_FOLDER}
: "${DATABASE_URL:?set DATABASE_URL to the (empty) database to restore into}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the (empty) media folder to restore into}"

(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || {
  echo "restore: $backup is incomplete or damaged (SHA256SUMS do not match)" >&2
  exit 1
}
tables=$(psql "$DATABASE_URL" --no-psqlrc --tuples-only --no-align \
  --command "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore: the database already has $tables tables; restore into an empty one" >&2
  exit 1
fi
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "restore: $MEDIA_ROOT is not empty; restore into an empty folder" >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$backup/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$backup/media.tar.gz"
echo "restored $backup"
