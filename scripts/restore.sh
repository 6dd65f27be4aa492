#!/usr/bin/env bash
# Thin wrapper kept for people who look for a restore script: everything is done by
# `tutor eks restore` (see docs/backups.md). Examples:
#   scripts/restore.sh mysql --time 2026-11-29T08:30:00Z      # side by side, prints the switch
#   scripts/restore.sh all --rehearse                          # restore drill, deletes the copies
#   scripts/restore.sh media --recovery-point ARN --switch     # point Open edX at the copy
set -euo pipefail
TUTOR=${TUTOR:-tutor}
command -v "$TUTOR" >/dev/null 2>&1 || {
  echo "restore.sh: '$TUTOR' not found: install Tutor and this plugin (pip install tutor-contrib-eks), or set TUTOR=/path/to/tutor" >&2
  exit 1
}
exec "$TUTOR" eks restore "$@"
