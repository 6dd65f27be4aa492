"""Helpers for the stage-1 Terraform tests (modules network..storage, stacks/aws).

Everything runs the real terraform binary offline: `terraform init` installs the
AWS provider from the mirror the ``provider_mirror`` fixture finds
(EKS_TF_PLUGIN_MIRROR). Work happens in one scratch copy of terraform/ per test
process, initialised once per folder, so the tests never write into the repo.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from tests.terraform.tf_common import run, tf_env  # noqa: F401  (re-exported)

REPO = Path(__file__).resolve().parents[2]
TERRAFORM_SRC = REPO / "terraform"

STAGE1_MODULES = ("network", "eks", "mysql", "mongodb", "redis", "search", "storage")
STACK = "stacks/aws"
STAGE1_DIRS = tuple(f"modules/{name}" for name in STAGE1_MODULES) + (STACK,)

_lock = threading.Lock()
_dir_locks: dict[str, threading.Lock] = {}
_initialised: set[str] = set()
_tree: list[Path] = []


def scratch_tree() -> Path:
    """A private copy of terraform/ for this test process (removed at exit)."""
    with _lock:
        if not _tree:
            root = Path(tempfile.mkdtemp(prefix="stage1-tf-"))
            atexit.register(shutil.rmtree, root, ignore_errors=True)
            shutil.copytree(
                TERRAFORM_SRC,
                root / "terraform",
                ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*"),
            )
            _tree.append(root / "terraform")
        return _tree[0]


def initialised(terraform: str, mirror: str, rel: str) -> Path:
    """The scratch copy of ``rel`` after `terraform init -backend=false` (once per folder)."""
    workdir = scratch_tree() / rel
    with _lock:
        dir_lock = _dir_locks.setdefault(rel, threading.Lock())
    with dir_lock:
        if rel not in _initialised:
            result = run(
                [
                    terraform,
                    "init",
                    "-backend=false",
                    "-input=false",
                    "-no-color",
                    f"-plugin-dir={mirror}",
                ],
                workdir,
            )
            assert result.returncode == 0, (
                f"terraform init failed in {rel}:\n{result.stdout}\n{result.stderr}"
            )
            _initialised.add(rel)
    return workdir


def json_lines(text: str) -> list[dict[str, Any]]:
    """Parse terraform's machine-readable (-json) output, one object per line."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def diagnostics(messages: list[dict[str, Any]]) -> list[str]:
    """Readable error diagnostics from -json output, with the run they belong to."""
    found = []
    for msg in messages:
        if msg.get("type") == "diagnostic" and msg.get("@level") == "error":
            diag = msg.get("diagnostic", {})
            where = msg.get("@testrun") or (diag.get("range") or {}).get("filename", "")
            found.append(f"[{where}] {diag.get('summary', '')}: {diag.get('detail', '')}")
    return found


def managed_instance_counts(plan: dict[str, Any]) -> dict[str, int]:
    """Managed resource instances a plan creates, by resource type."""
    counts: dict[str, int] = {}
    for change in plan.get("resource_changes", []):
        if change.get("mode") == "managed" and "create" in change["change"]["actions"]:
            counts[change["type"]] = counts.get(change["type"], 0) + 1
    return counts
