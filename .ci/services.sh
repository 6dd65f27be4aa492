#!/usr/bin/env bash
# Redis and MariaDB for the data-store connection tests (tests/datastores/).
#
# Installs the Debian packages (idempotent: skipped when the binaries are there),
# non-interactively, without starting the system services (no systemd needed). The
# tests start their own throw-away servers on 127.0.0.1, on free ports, with TLS
# (a CA made by the tests), passwords and config files in a pytest temp dir, and stop
# them at the end. Works when called (`bash .ci/services.sh`) or sourced.
#
# Needs root (or sudo) on Debian 12. Prints how long the install took.

eks_ci_services() {
  local need=() started elapsed sudo=""
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  { command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; } || need+=(mariadb-server)
  { command -v mariadb >/dev/null 2>&1 || command -v mysql >/dev/null 2>&1; } || need+=(mariadb-client)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  if [ "${#need[@]}" -eq 0 ]; then
    echo "== services: redis-server, mariadbd, mariadb client already installed"
  else
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null 2>&1 || { echo "services.sh: run as root (apt-get)" >&2; return 1; }
      sudo="sudo"
    fi
    started=$(date +%s)
    # policy-rc.d 101: the packages' maintainer scripts must not start the system
    # services (no init system in CI containers, and the tests run their own).
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy"
      created_policy=1
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "${need[@]}" >/dev/null || return 1
    [ "$created_policy" -eq 1 ] && $sudo rm -f "$policy"
    elapsed=$(( $(date +%s) - started ))
    echo "== services: installed ${need[*]} in ${elapsed}s"
  fi
  echo "== services: $(redis-server --version | cut -d' ' -f1-3); $(/usr/sbin/mariadbd --version 2>/dev/null | cut -d' ' -f1-4)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  eks_ci_services
else
  eks_ci_services || return 1
fi
