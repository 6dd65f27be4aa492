"""Benchmark: what the Terraform tests pay per command, three ways, side by side.

Usage:
    EKS_TF_PLUGIN_MIRROR=<folder holding registry.terraform.io> \\
        python bench/bench_terraform.py [--runs N] [--file tests/options_inputs.tftest.hcl]

Copies terraform/ into a temporary folder (the repository is not touched), initialises
stacks/aws offline, then runs `terraform validate` and `terraform test -filter=FILE` in
interleaved rounds under three set-ups:

- terraform as it comes: it starts the AWS provider itself for every configuration and
  phase, Go's default GOGC (100);
- one shared provider process (tests/terraform/shared_provider.py, what the tests use);
- the shared provider and GOGC=400 (tests/terraform/tf_common.py's tf_env, what the
  tests use).

The figure is CPU time, user + system, of terraform, the providers it starts and the
shared provider process (read from /proc), the median of the rounds; the ratio is
against terraform as it comes, measured in the same rounds (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.terraform import shared_provider  # noqa: E402
from tutor_eks_plugin import tools  # noqa: E402

_TICK = os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def _measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    server_pid = None
    if "TF_REATTACH_PROVIDERS" in env:
        server_pid = int(env["TF_REATTACH_PROVIDERS"].split('"Pid":')[1].split(",")[0])
    server_before = _process_cpu(server_pid) if server_pid else 0.0
    before = _children_cpu()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd[1:])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    spent = _children_cpu() - before
    if server_pid:
        spent += _process_cpu(server_pid) - server_before
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", default="tests/options_inputs.tftest.hcl",
                        help="the stacks/aws test file to run (default: %(default)s)")
    args = parser.parse_args()
    terraform = tools.terraform()
    mirror = tools.provider_mirror(required=True)
    base = {k: v for k, v in os.environ.items() if k not in {"GOGC", "TF_REATTACH_PROVIDERS"}}
    base.update({"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"})

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "terraform"
        shutil.copytree(ROOT / "terraform", copy,
                        ignore=shutil.ignore_patterns(".terraform", "*.tfstate*"))
        stack = copy / "stacks" / "aws"
        subprocess.run([terraform, "init", "-backend=false", "-input=false",
                        f"-plugin-dir={mirror}"], cwd=stack, env=base, check=True,
                       capture_output=True)
        shared = {**base, **shared_provider.reattach_env(stack)}
        variants = {
            "terraform as it comes": base,
            "one shared provider": shared,
            "shared provider + GOGC=400": {**shared, "GOGC": "400"},
        }
        commands = {
            "validate": [terraform, "validate", "-no-color"],
            f"test -filter={args.file}": [terraform, "test", "-no-color", f"-filter={args.file}"],
        }
        figures: dict[tuple[str, str], list[float]] = {}
        print(f"load average at start: {os.getloadavg()}")
        for round_no in range(args.runs):
            for cname, cmd in commands.items():
                for vname, env in variants.items():
                    figures.setdefault((cname, vname), []).append(_measure(cmd, stack, env))
            print(f"round {round_no + 1}/{args.runs} done", file=sys.stderr)
        print(f"load average at end: {os.getloadavg()}")

    print(f"\nmedian CPU seconds of {args.runs} interleaved rounds (terraform + providers)")
    for cname in commands:
        reference = statistics.median(figures[(cname, "terraform as it comes")])
        print(f"\n{cname}")
        for vname in variants:
            median = statistics.median(figures[(cname, vname)])
            print(f"  {vname:30s} {median:7.2f} CPU-s  {median / reference:5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
