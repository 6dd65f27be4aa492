#!/usr/bin/env bash
# The whole test suite: lint, then pytest over every layer (render, terraform,
# driver, data stores, packaging). Run through .ci/run on a fresh machine; on a
# prepared one (.venv present) it can be run directly.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3

started=$(date +%s)
echo "== ruff"
"$PY" -m ruff check tutor_eks_plugin tests bench scripts setup.py

echo "== pytest"
set +e
# Two workers (EKS_TEST_WORKERS, default: one per CPU) take tests from each other's queue
# as they finish (worksteal); tests/conftest.py puts the slowest tests first.
"$PY" -m pytest -p no:cacheprovider -rs --durations=10 \
  -n "${EKS_TEST_WORKERS:-auto}" --dist worksteal "$@"
status=$?
set -e
echo "== total wall time (ruff + pytest): $(( $(date +%s) - started ))s"
# pytest exits 5 when it collected nothing: that is a failure here, not a pass.
[ "$status" -eq 5 ] && echo "pytest collected no tests" >&2 && exit 1
exit "$status"
