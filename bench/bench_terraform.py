"""Benchmark: offline `terraform init`, `validate` and `test` of the stage-1 stack.

Usage: EKS_TF_PLUGIN_MIRROR=<folder holding registry.terraform.io> python bench/bench_terraform.py
Copies terraform/ into a temporary folder (the repository is not touched) and prints
the wall time of each step, run once each: init is dominated by disk, validate and
test by the provider schema load and the mocked plans.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tutor_eks_plugin import tools  # noqa: E402


def step(name: str, cmd: list[str], cwd: Path) -> None:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    status = "ok" if result.returncode == 0 else f"FAILED ({result.returncode})"
    print(f"{name:40s} {elapsed:7.2f}s  {status}")
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)


def main() -> int:
    terraform = tools.terraform()
    mirror = tools.provider_mirror(required=True)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "terraform"
        shutil.copytree(ROOT / "terraform", copy,
                        ignore=shutil.ignore_patterns(".terraform", "*.tfstate*"))
        stack = copy / "stacks" / "aws"
        os.environ.setdefault("TF_IN_AUTOMATION", "1")
        step("terraform init (stacks/aws, offline)",
             [terraform, "init", "-backend=false", "-input=false", f"-plugin-dir={mirror}"], stack)
        step("terraform validate (stacks/aws)", [terraform, "validate"], stack)
        step("terraform test (stacks/aws, mocked)", [terraform, "test"], stack)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
