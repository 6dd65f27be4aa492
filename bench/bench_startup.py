"""Benchmark: what the plugin costs on every `tutor` command.

Usage: python bench/bench_startup.py [--runs N]

Runs `tutor --help`, `tutor config printvalue` and `tutor config save` on two Tutor
roots, one with `eks` enabled and one without, interleaved (without, with, with, ... in
each round) so that the machine's load hits every variant alike, and prints the median
CPU time (user + system of the child) of each and the ratios. CPU time rather than wall
time: this machine is shared and noisy.

Variants of the eks root, by the state of the plugin's store of compiled templates
(tutor_eks_plugin.compile_cache; the bench gives it a temporary folder, never the
user's):
- warm: the store holds every template already, as on every command after the first
  one after an install or upgrade;
- cold: the store is emptied before each sample (the first command);
- off: no store (TUTOR_EKS_COMPILE_CACHE=off): what the plugin's own work costs.

``--compare-with TUTOR`` adds another install of the plugin (e.g. the previous release in
its own virtualenv) to the same rounds, so that before and after are measured side by
side.

The plugin's bytecode is compiled first (compileall): pip does that when it installs a
wheel, but an editable checkout run with PYTHONDONTWRITEBYTECODE (as here) would
otherwise compile the plugin's Python on every command, and the bench would measure
the interpreter's compiler instead of the plugin.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import tutor_eks_plugin

TUTOR = str(Path(sys.executable).parent / "tutor")
# --help loads the plugin only; printvalue also loads and validates the config (as every
# `tutor k8s ...` command does); config save renders the whole env.
COMMANDS = {
    "tutor --help": ["--help"],
    "tutor config printvalue LMS_HOST": ["config", "printvalue", "LMS_HOST"],
    "tutor config save": ["config", "save"],
}
STORE_VARIABLE = "TUTOR_EKS_COMPILE_CACHE"


def cpu_seconds(args: list[str], env: dict[str, str], tutor: str = TUTOR) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([tutor, *args], env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--compare-with", metavar="TUTOR", default=None,
        help="the tutor executable of another install of the plugin (e.g. the previous "
             "release, in its own virtualenv): measured in the same rounds, on its own root")
    args = parser.parse_args()
    tutors: dict[str, str] = {}  # label -> tutor executable, where not this install
    compileall.compile_dir(os.path.dirname(tutor_eks_plugin.__file__), quiet=1)
    with tempfile.TemporaryDirectory() as scratch:
        with_root, bare, store = (os.path.join(scratch, n) for n in ("eks", "bare", "store"))
        os.makedirs(bare)
        base = {k: v for k, v in os.environ.items() if k != STORE_VARIABLE}
        envs = {
            "without": {**base, "TUTOR_ROOT": bare, STORE_VARIABLE: "off"},
            "eks, store warm": {**base, "TUTOR_ROOT": with_root, STORE_VARIABLE: store},
            "eks, store cold": {**base, "TUTOR_ROOT": with_root, STORE_VARIABLE: store},
            "eks, store off": {**base, "TUTOR_ROOT": with_root, STORE_VARIABLE: "off"},
        }
        if args.compare_with:
            other = os.path.join(scratch, "other")
            envs["eks, other install"] = {**base, "TUTOR_ROOT": other}
            tutors["eks, other install"] = args.compare_with
        for label in ("eks, store warm", "eks, other install"):
            if label in envs:
                subprocess.run([tutors.get(label, TUTOR), "plugins", "enable", "eks"],
                               env=envs[label], check=True, capture_output=True)
        for label in ("without", "eks, store warm", "eks, other install"):
            if label in envs:  # Tutor adds its default plugins on the first save
                subprocess.run([tutors.get(label, TUTOR), "config", "save"], env=envs[label],
                               check=True, capture_output=True)
        samples: dict[tuple[str, str], list[float]] = {(c, e): [] for c in COMMANDS for e in envs}
        for _ in range(args.runs):
            for command, argv in COMMANDS.items():
                for label, env in envs.items():
                    if label == "eks, store cold":
                        shutil.rmtree(store, ignore_errors=True)
                    samples[(command, label)].append(
                        cpu_seconds(argv, env, tutors.get(label, TUTOR)))
                    if label == "eks, store cold":  # fill it again for the warm samples
                        cpu_seconds(COMMANDS["tutor config save"], envs["eks, store warm"])
    for command in COMMANDS:
        without = statistics.median(samples[(command, "without")])
        print(f"{command}: {without:.3f} s CPU without eks (medians of {args.runs}, interleaved)")
        for label in list(envs)[1:]:
            with_eks = statistics.median(samples[(command, label)])
            print(f"  {label}: {with_eks:.3f} s, ratio {with_eks / without:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
