#!/usr/bin/env bash
# Back up Digihjælp: the PostgreSQL database (pg_dump) and the media folder (uploaded images and
# documents) into one new dated folder, then remove backups older than BACKUP_KEEP_DAYS.
#
#   deploy/backup.sh [DESTINATION]        prints the new backup's folder
#
# Reads DATABASE_URL and MEDIA_ROOT from the environment (the systemd units' EnvironmentFile);
# DESTINATION defaults to BACKUP_DIR, or /var/backups/digihjaelp. Restore with deploy/restore.sh.
# The backup holds personal data (bookings not yet anonymised): keep it as safe as the database.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database (postgres://user:pass@host/name)}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the media folder}"
destination=${1:-${BACKUP_DIR:-/var/backups/digihjaelp}}
keep_days=${BACKUP_KEEP_DAYS:-14}

folder="$destination/$(date -u +%Y%m%dT%H%M%SZ)"
partial="$folder.partial"
umask 077
mkdir -p "$partial"

# Custom format: compressed, and pg_restore can restore it into an empty database of a newer
# PostgreSQL. No owners or grants: the restoring user owns everything.
pg_dump --format=custom --no-owner --no-privileges --file="$partial/database.dump" "$DATABASE_URL"
if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$partial/media.tar.gz" .
else
  tar -czf "$partial/media.tar.gz" -T /dev/null
fi
(cd "$partial" && sha256sum database.dump media.tar.gz > SHA256SUMS)
# Only a complete backup gets its final name.
mv "$partial" "$folder"

find "$destination" -mindepth 1 -maxdepth 1 -type d -name '20*Z' -mtime +"$keep_days" \
  -exec rm -rf {} +
echo "$folder"
