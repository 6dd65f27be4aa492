"""Benchmark: what the plugin costs on every `tutor` command.

Usage: python bench/bench_startup.py [--runs N]
Runs `tutor --help` and `tutor config save` on two Tutor roots, one with `eks` enabled and
one without, interleaved (with, without, with, ...) so that the machine's load hits both
alike, and prints the median CPU time (user + system of the child) of each and their
ratio. CPU time rather than wall time: this machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TUTOR = str(Path(sys.executable).parent / "tutor")
COMMANDS = {"tutor --help": ["--help"], "tutor config save": ["config", "save"]}


def cpu_seconds(args: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([TUTOR, *args], env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as with_root, tempfile.TemporaryDirectory() as bare:
        envs = {
            "with eks": {**os.environ, "TUTOR_ROOT": with_root},
            "without": {**os.environ, "TUTOR_ROOT": bare},
        }
        subprocess.run([TUTOR, "plugins", "enable", "eks"], env=envs["with eks"], check=True,
                       capture_output=True)
        subprocess.run([TUTOR, "config", "save"], env=envs["without"], check=True,
                       capture_output=True)
        samples = {(c, e): [] for c in COMMANDS for e in envs}
        for _ in range(args.runs):
            for command, argv in COMMANDS.items():
                for label, env in envs.items():
                    samples[(command, label)].append(cpu_seconds(argv, env))
    for command in COMMANDS:
        with_eks = statistics.median(samples[(command, "with eks")])
        without = statistics.median(samples[(command, "without")])
        print(f"{command}: {with_eks:.3f} s CPU with eks, {without:.3f} s without, "
              f"ratio {with_eks / without:.2f}x (medians of {args.runs}, interleaved)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
