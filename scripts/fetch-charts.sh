#!/usr/bin/env bash
# Fill the chart cache with the chart versions terraform/stacks/cluster pins, for the
# offline chart tests (tests/charts). Needs network access to the charts' repositories.
#
#   scripts/fetch-charts.sh                 every pinned chart
#   scripts/fetch-charts.sh nginx-ingress   only the named charts
#   scripts/fetch-charts.sh --list          print "<chart> <version> <repository>", fetch nothing
#
# Cache: $EKS_CHART_CACHE, else ../shared/charts next to the repository. Each chart is
# unpacked into <cache>/<chart>/ (a chart already there is replaced). With `helm` on
# PATH it runs `helm pull --untar`; without it, plain HTTPS: the repository's index.yaml
# names the archive of the version. EKS_CHART_MIRROR=<url> fetches every chart from one
# Helm repository that mirrors them (an internal chart registry) instead.
# Python with PyYAML and python-hcl2 reads the pins (the test virtualenv has both):
# set PYTHON to it if `python3` lacks them.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON:-python3}
if [ -x "$repo_root/.venv/bin/python" ] && [ -z "${PYTHON:-}" ]; then
  python="$repo_root/.venv/bin/python"
fi

pins=$(cd "$repo_root" && PYTHONPATH="$repo_root" "$python" -m tests.charts.pins) || {
  echo "fetch-charts: could not read the pins with $python (needs PyYAML and python-hcl2;" \
    "set PYTHON to the test virtualenv's python)" >&2
  exit 1
}

if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "$pins"
  exit 0
fi

cache=${EKS_CHART_CACHE:-$repo_root/../shared/charts}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

wanted=" $* "
fetched=0
while read -r chart version repository; do
  [ -n "$chart" ] || continue
  if [ $# -gt 0 ] && [[ "$wanted" != *" $chart "* ]]; then
    continue
  fi
  repository=${EKS_CHART_MIRROR:-$repository}
  echo "fetch-charts: $chart $version from $repository"
  mkdir -p "$work/$chart"
  if command -v helm >/dev/null 2>&1; then
    helm pull "$chart" --repo "$repository" --version "$version" --untar --untardir "$work/$chart"
  else
    curl -fsSL "${repository%/}/index.yaml" -o "$work/index.yaml"
    url=$("$python" - "$work/index.yaml" "$chart" "$version" "$repository" <<'PY'
import sys
from urllib.parse import urljoin

import yaml

index, chart, version, repository = sys.argv[1:]
entries = yaml.safe_load(open(index, encoding="utf-8")).get("entries", {}).get(chart, [])
match = [e for e in entries if str(e.get("version")) == version]
if not match:
    sys.exit(f"fetch-charts: {repository} has no {chart} {version}")
print(urljoin(repository.rstrip("/") + "/", match[0]["urls"][0]))
PY
    )
    curl -fsSL "$url" -o "$work/$chart.tgz"
    tar -xzf "$work/$chart.tgz" -C "$work/$chart"
  fi
  got=$(sed -n 's/^version:[[:space:]]*//p' "$work/$chart/$chart/Chart.yaml" | tr -d '"'"'" | head -n1)
  if [ "$got" != "$version" ]; then
    echo "fetch-charts: $chart: got version $got, expected $version" >&2
    exit 1
  fi
  rm -rf "${cache:?}/$chart"
  mv "$work/$chart/$chart" "$cache/$chart"
  fetched=$((fetched + 1))
done <<<"$pins"

if [ "$fetched" -eq 0 ]; then
  echo "fetch-charts: no pinned chart matches: $*" >&2
  exit 1
fi
echo "fetch-charts: $fetched chart(s) in $cache"
