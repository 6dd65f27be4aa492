#!/usr/bin/env bash
# Thin wrapper kept for people who look for a backup script: everything is done by
# `tutor eks backup` (see docs/backups.md). Examples:
#   scripts/backup.sh                 # AWS Backup of every store now, wait, print points
#   scripts/backup.sh --logical       # also portable dumps into the backup bucket
#   scripts/backup.sh list            # recovery points and dumps, newest first
set -euo pipefail
TUTOR=${TUTOR:-tutor}
command -v "$TUTOR" >/dev/null 2>&1 || {
  echo "backup.sh: '$TUTOR' not found: install Tutor and this plugin (pip install tutor-contrib-eks), or set TUTOR=/path/to/tutor" >&2
  exit 1
}
exec "$TUTOR" eks backup "$@"
