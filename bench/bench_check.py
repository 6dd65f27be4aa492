"""Benchmark: render, kustomize and `tutor eks check` times on a default Tutor root.

Usage: python bench/bench_check.py [--runs N]
Prints the median and the spread of each step over N runs (default 5).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tutor_eks_plugin import tools  # noqa: E402

TUTOR = str(Path(sys.executable).parent / "tutor")


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    kubectl = tools.kubectl()
    results: dict[str, list[float]] = {"render (tutor config save)": [],
                                       "kubectl kustomize": [], "tutor eks check": []}
    with tempfile.TemporaryDirectory() as root:
        env = {**os.environ, "TUTOR_ROOT": root, "TUTOR_PLUGINS_ROOT": f"{root}/none"}
        subprocess.run([TUTOR, "plugins", "enable", "eks"], env=env, check=True,
                       capture_output=True)
        for _ in range(args.runs):
            results["render (tutor config save)"].append(
                timed([TUTOR, "config", "save"], env))
            results["kubectl kustomize"].append(timed([kubectl, "kustomize", f"{root}/env"], env))
            results["tutor eks check"].append(timed([TUTOR, "eks", "check"], env))
    for name, values in results.items():
        print(f"{name:30s} median {statistics.median(values):6.2f}s  "
              f"min {min(values):6.2f}s  max {max(values):6.2f}s  ({args.runs} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
