"""Evaluate the stage-2 monitoring values with the real terraform binary, offline.

The cluster stack needs the helm and kubernetes providers, which this machine's provider
mirror does not hold, so the stack itself cannot be initialised here. Its values are
plain Terraform expressions over variables and locals, though: this helper copies the
`variable` and `locals` blocks of monitoring.tf (plus the variables and the one local of
the rest of the stack they refer to) into a provider-less root module, applies it, and
reads the evaluated values from its outputs. yamldecode, file, fileset and templatefile
run in Terraform itself, on the files of the repository.

The tests render the monitoring releases through the chart harness (tests/charts, whose
python evaluator computes the same locals); this module is the reference that evaluator
is checked against (test_stage2_monitoring.py), not a second way to render them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.terraform.edge_tf_helpers import load_hcl
from tests.terraform.tf_common import tf_env

REPO = Path(__file__).resolve().parents[2]
CLUSTER = REPO / "terraform" / "stacks" / "cluster"
MONITORING_TF = CLUSTER / "monitoring.tf"
VALUE_LOCALS = ("monitoring_values", "log_shipper_values", "nginx_metrics_values",
                "monitoring_service_accounts", "monitoring_namespace")

# Stage-1 outputs as a driver would pass them (only the variables without a default
# need one; the rest keep the stack's defaults unless a test overrides them).
INPUTS: dict[str, Any] = {
    "name": "demo",
    "region": "eu-west-1",
    "alerts_topic_arn": "arn:aws:sns:eu-west-1:123456789012:demo-alerts",
    "container_log_group_name": "/aws/eks/demo/containers",
    "alb_metric_dimension": "app/demo-edge/0123456789abcdef",
    "cloudfront_distribution_id": "E1DEMO",
}


def top_level_blocks(text: str) -> list[tuple[str, str]]:
    """(header, full text) of each top-level block; braces inside strings are skipped."""
    blocks: list[tuple[str, str]] = []
    i, n = 0, len(text)
    header_re = re.compile(r'^(variable|locals|output|resource|data|module)\b[^{\n]*\{', re.M)
    while True:
        match = header_re.search(text, i)
        if not match:
            return blocks
        depth, j, in_string = 0, match.end() - 1, False
        while j < n:
            ch = text[j]
            if in_string:
                if ch == "\\":
                    j += 1
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "#":
                j = text.find("\n", j)
                if j < 0:
                    j = n
                continue
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        blocks.append((match.group(0).rstrip("{").strip(), text[match.start(): j + 1]))
        i = j + 1


def _variable_blocks(path: Path) -> dict[str, str]:
    found = {}
    for header, body in top_level_blocks(path.read_text(encoding="utf-8")):
        name = re.match(r'variable\s+"([^"]+)"', header)
        if name:
            found[name.group(1)] = body
    return found


def build_root(workdir: Path) -> Path:
    """A provider-less root with the monitoring locals and what they refer to."""
    text = MONITORING_TF.read_text(encoding="utf-8")
    mine = [body for header, body in top_level_blocks(text)
            if header.startswith(("variable", "locals"))]
    own_variables = set(_variable_blocks(MONITORING_TF))
    code = re.sub(r"#[^\n]*", "", "\n".join(mine))
    referenced = set(re.findall(r"\bvar\.([a-z_0-9]+)", code))
    stack_variables: dict[str, str] = {}
    for tf in sorted(CLUSTER.glob("*.tf")):
        if tf != MONITORING_TF:
            stack_variables.update(_variable_blocks(tf))
    missing = referenced - own_variables - set(stack_variables)
    assert not missing, f"monitoring.tf refers to undeclared variables: {sorted(missing)}"
    borrowed = [stack_variables[v] for v in sorted(referenced - own_variables)]

    # Locals of the rest of the stack that the monitoring locals use.
    used_locals = set(re.findall(r"\blocal\.([a-z_0-9]+)", code))
    own_locals: set[str] = set()
    for body in mine:
        if body.startswith("locals"):
            own_locals |= set(re.findall(r"^  ([a-z_0-9]+)\s*=", body, re.M))
    other_locals: dict[str, Any] = {}
    for tf in sorted(CLUSTER.glob("*.tf")):
        if tf == MONITORING_TF:
            continue
        for entry in load_hcl(tf).get("locals", []):
            other_locals.update(entry)
    foreign = {}
    for name in sorted(used_locals - own_locals):
        value = other_locals.get(name)
        assert isinstance(value, (str, int, float, bool)), (
            f"local.{name} (outside monitoring.tf) is not a literal; extend tests/observability/stage2.py"
        )
        foreign[name] = value

    root = workdir / "root"
    root.mkdir(parents=True)
    shutil.copytree(CLUSTER / "monitoring", root / "monitoring")
    outputs = "\n".join(
        f'output "{name}" {{\n  value = local.{name}\n}}\n' for name in VALUE_LOCALS
    )
    foreign_hcl = "locals {\n" + "".join(
        f"  {k} = {json.dumps(v)}\n" for k, v in foreign.items()
    ) + "}\n"
    (root / "main.tf").write_text(
        "\n".join(mine + borrowed) + "\n" + foreign_hcl + outputs, encoding="utf-8"
    )
    return root


def evaluate(terraform: str, workdir: Path, **overrides: Any) -> dict[str, Any]:
    """The evaluated monitoring values for these stage-2 inputs."""
    root = build_root(workdir)
    inputs = dict(INPUTS, **overrides)
    declared = set(_variable_blocks(root / "main.tf"))
    (root / "terraform.tfvars.json").write_text(
        json.dumps({k: v for k, v in inputs.items() if k in declared}), encoding="utf-8"
    )
    env = tf_env()
    for cmd in (["init", "-backend=false", "-input=false", "-no-color"],
                ["apply", "-auto-approve", "-input=false", "-no-color"]):
        result = subprocess.run([terraform, *cmd], cwd=root, env=env, capture_output=True,
                                text=True, timeout=300, check=False)
        assert result.returncode == 0, f"terraform {cmd[0]}:\n{result.stdout}\n{result.stderr}"
    result = subprocess.run([terraform, "output", "-json"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    return {k: v["value"] for k, v in json.loads(result.stdout).items()}
