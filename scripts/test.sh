#!/usr/bin/env bash
# The whole test suite: lint, then pytest over every layer (render, terraform,
# driver, data stores, packaging). Run through .ci/run on a fresh machine; on a
# prepared one (.venv present) it can be run directly.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3

echo "== ruff"
"$PY" -m ruff check tutor_eks_plugin tests bench scripts setup.py

echo "== pytest"
set +e
"$PY" -m pytest -p no:cacheprovider -rs --durations=15 "$@"
status=$?
set -e
# pytest exits 5 when it collected nothing: that is a failure here, not a pass.
[ "$status" -eq 5 ] && echo "pytest collected no tests" >&2 && exit 1
exit "$status"
