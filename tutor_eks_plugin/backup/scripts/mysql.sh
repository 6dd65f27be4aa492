#!/bin/sh
# Logical MySQL backup, run by the dump Job (tutor eks backup --logical) and by the
# round-trip test against a local server: the same file, the same flags.
#
#   mysql.sh dump    FILE      dump $MYSQL_DATABASE into FILE (gzip) and FILE.sha256
#   mysql.sh restore FILE DB   load FILE into database DB (created if missing)
#   mysql.sh count   DB        "table<TAB>rows<TAB>checksum" for every table of DB
#
# Environment: MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD, MYSQL_DATABASE,
# MYSQL_SSL_CA (CA bundle path; empty: no TLS), MYSQL_SSL_MODE (VERIFY_IDENTITY or
# VERIFY_CA, as the app's EKS_MYSQL_SSL_MODE). The password goes into a private option
# file, never onto a command line (where `ps` would show it).
set -eu

: "${MYSQL_HOST:?}" "${MYSQL_PORT:=3306}" "${MYSQL_USER:?}" "${MYSQL_PASSWORD:?}"
: "${MYSQL_SSL_CA:=}" "${MYSQL_SSL_MODE:=VERIFY_IDENTITY}"

dump_bin=$(command -v mysqldump || command -v mariadb-dump)
client_bin=$(command -v mysql || command -v mariadb)

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
options="$workdir/client.cnf"
umask 077
{
  echo "[client]"
  echo "host=$MYSQL_HOST"
  echo "port=$MYSQL_PORT"
  echo "user=$MYSQL_USER"
  echo "password=$MYSQL_PASSWORD"
  echo "default-character-set=utf8mb4"
  if [ -n "$MYSQL_SSL_CA" ]; then
    echo "ssl-ca=$MYSQL_SSL_CA"
    # The MySQL 8.4 client (the Job's image) takes the app's ssl-mode; a MariaDB
    # client has no ssl-mode and verifies CA and host name with this flag (it has no
    # CA-only mode, so VERIFY_CA becomes the stricter VERIFY_IDENTITY there).
    if "$client_bin" --version | grep -qi mariadb; then
      echo "ssl-verify-server-cert"
    else
      echo "ssl-mode=$MYSQL_SSL_MODE"
    fi
  fi
} > "$options"

mysql_flavour_dump_flags() {
  if "$dump_bin" --version | grep -qi mariadb; then
    echo ""
  else
    # RDS: no GTID statements (the target may have GTIDs off), no tablespace
    # statements (they need the PROCESS privilege the app user lacks).
    echo "--set-gtid-purged=OFF --no-tablespaces"
  fi
}

case "${1:-}" in
  dump)
    file=${2:?dump needs a FILE}
    : "${MYSQL_DATABASE:?}"
    # POSIX sh has no pipefail: the dump's exit status travels through a file, and a
    # failed dump leaves no file behind (a truncated dump must never look complete).
    # shellcheck disable=SC2046
    { "$dump_bin" --defaults-extra-file="$options" --single-transaction --quick \
        --routines --triggers --hex-blob $(mysql_flavour_dump_flags) \
        --databases "$MYSQL_DATABASE" || echo "$?" > "$workdir/failed"; } | gzip -c > "$file"
    if [ -e "$workdir/failed" ]; then
      rm -f "$file"
      echo "mysqldump failed (exit $(cat "$workdir/failed")): no dump written" >&2
      exit 1
    fi
    (cd "$(dirname "$file")" && sha256sum "$(basename "$file")" > "$(basename "$file").sha256")
    echo "dumped $MYSQL_DATABASE: $(wc -c < "$file") bytes, sha256 $(cut -d' ' -f1 "$file.sha256")"
    ;;
  restore)
    file=${2:?restore needs a FILE}
    target=${3:?restore needs a target database}
    if [ -f "$file.sha256" ]; then
      (cd "$(dirname "$file")" && sha256sum -c --quiet "$(basename "$file").sha256")
    fi
    # The dump names its database (--databases): load it under the target name.
    "$client_bin" --defaults-extra-file="$options" -e \
      "CREATE DATABASE IF NOT EXISTS \`$target\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    { gunzip -c "$file" || echo "$?" > "$workdir/failed"; } \
      | sed -e "/^CREATE DATABASE /d" -e "s/^USE \`[^\`]*\`;/USE \`$target\`;/" \
      | "$client_bin" --defaults-extra-file="$options" "$target"
    if [ -e "$workdir/failed" ]; then
      echo "reading $file failed: the restore into $target is incomplete" >&2
      exit 1
    fi
    echo "restored into $target"
    ;;
  count)
    db=${2:?count needs a database}
    tables=$("$client_bin" --defaults-extra-file="$options" -N -B -e \
      "SELECT table_name FROM information_schema.tables WHERE table_schema='$db' AND table_type='BASE TABLE' ORDER BY table_name")
    for table in $tables; do
      rows=$("$client_bin" --defaults-extra-file="$options" -N -B -e "SELECT COUNT(*) FROM \`$db\`.\`$table\`")
      sum=$("$client_bin" --defaults-extra-file="$options" -N -B -e "CHECKSUM TABLE \`$db\`.\`$table\` EXTENDED" | cut -f2)
      printf '%s\t%s\t%s\n' "$table" "$rows" "$sum"
    done
    ;;
  *)
    echo "usage: mysql.sh dump FILE | restore FILE DB | count DB" >&2
    exit 2
    ;;
esac
