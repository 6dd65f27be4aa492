#!/usr/bin/env bash
# Mutation score of the modules that decide behaviour, with cosmic-ray (pinned in
# setup.py's `mutation` extra). Each module is mutated in a throw-away copy of the
# repository (cosmic-ray writes mutants into the files it tests), and only the tests
# that cover that module run against each mutant. Prints, per module, the number of
# mutants, the kill rate and every survivor (file, line, operator), then the total.
#
#   scripts/mutation.sh                 # every module below (slow: run on a quiet machine)
#   scripts/mutation.sh settings routes # some of them, by name
#
# MUTATION_TIMEOUT (seconds, default 60) ends a mutant that loops; it counts as killed.
# Needs .venv with `pip install -e '.[test,mutation]'`. Not part of CI (minutes per
# module); docs/testing.md says how to read the result.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PY=${PYTHON:-$REPO/.venv/bin/python}
BIN=$(dirname "$PY")
[ -x "$BIN/cosmic-ray" ] || { echo "cosmic-ray is missing: pip install -e '.[test,mutation]'" >&2; exit 1; }

# name | module (path in the repo) | the tests that cover it
MODULES=(
  "settings|tutor_eks_plugin/settings/validators.py|tests/unit/test_validators.py tests/unit/test_setting_boundaries.py"
  "routes|tutor_eks_plugin/render/routes.py|tests/unit/test_route_rules.py tests/unit/test_route_order.py tests/unit/test_caddyfile.py"
  "redis|tutor_eks_plugin/settings/redis.py|tests/unit/test_store_builders.py"
  "mysql|tutor_eks_plugin/settings/mysql.py|tests/unit/test_store_builders.py"
  "mongodb|tutor_eks_plugin/settings/mongodb.py|tests/unit/test_store_builders.py"
  "datastores|tutor_eks_plugin/settings/datastores.py|tests/unit/test_store_builders.py"
  "stages|tutor_eks_plugin/infra/stages.py|tests/driver/test_guards_unit.py"
  "locks|tutor_eks_plugin/infra/locks.py|tests/driver/test_locks_unit.py"
  "driver|tutor_eks_plugin/infra/driver.py|tests/driver/test_guards_unit.py"
  "config_sync|tutor_eks_plugin/infra/config_sync.py|tests/driver/test_config_sync_unit.py"
  "secret_refs|tutor_eks_plugin/infra/secret_refs.py|tests/driver/test_secret_refs_unit.py"
)

wanted=("$@")
work=$(mktemp -d "${TMPDIR:-/tmp}/eks-mutation.XXXXXX")
trap 'rm -rf "$work"' EXIT
total=0
killed=0
started=$(date +%s)
for entry in "${MODULES[@]}"; do
  IFS='|' read -r name module tests <<<"$entry"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " == *" $name "* ]]; then
    continue
  fi
  copy="$work/$name"
  mkdir -p "$copy"
  # The tracked files only: no .venv, no caches, nothing another run left behind.
  git ls-files -z | (cd "$REPO" && xargs -0 cp --parents -t "$copy")
  cat >"$copy/cosmic-ray.toml" <<TOML
[cosmic-ray]
module-path = "$module"
timeout = ${MUTATION_TIMEOUT:-60}.0
excluded-modules = []
# -x: the first failing test kills the mutant. The copy comes first on sys.path
# (python -m puts the working directory there), so the mutated module is the one imported.
test-command = "$PY -m pytest -x -q -p no:cacheprovider -p no:randomly $tests"

[cosmic-ray.distributor]
name = "local"
TOML
  module_started=$(date +%s)
  (
    cd "$copy"
    "$BIN/cosmic-ray" init cosmic-ray.toml session.sqlite >/dev/null
    # Mutants on lines marked `# pragma: no mutate` are equivalent by a reviewed reason.
    "$BIN/cr-filter-pragma" session.sqlite >/dev/null
    "$BIN/cosmic-ray" baseline cosmic-ray.toml >/dev/null \
      || { echo "$name: the tests fail without any mutant; fix them first" >&2; exit 1; }
    "$BIN/cosmic-ray" exec cosmic-ray.toml session.sqlite >/dev/null
  )
  "$PY" "$REPO/scripts/mutation_report.py" "$copy/session.sqlite" "$name" "$module" \
    "$(( $(date +%s) - module_started ))" >"$work/$name.txt"
  cat "$work/$name.txt"
  read -r n k < <(tail -n 1 "$work/$name.txt" | sed -E 's/.*mutants=([0-9]+) killed=([0-9]+).*/\1 \2/')
  total=$((total + n))
  killed=$((killed + k))
done
[ "$total" -gt 0 ] || { echo "no module selected; names: $(printf "%s " "${MODULES[@]%%|*}")" >&2; exit 1; }
echo "== total: $killed of $total mutants killed ($(( 100 * killed / total ))%) in $(( $(date +%s) - started ))s"
