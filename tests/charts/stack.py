"""The Helm releases of stage 2, with the values `terraform apply` would send.

Every `helm_release` in terraform/stacks/cluster/*.tf is found (so a release added in
a new file, such as the monitoring stack, is checked without touching these tests).
Its arguments are evaluated with `tests.charts.hcl_eval`: stack variables take their
defaults, and the stage-1 inputs take the example outputs below, whose names must be
outputs of docs/outputs-contract.md and whose values must pass the stack's own
`validation` blocks. `data.aws_vpc.this` gets the VPC CIDR stage 1 builds by default.
"""

from __future__ import annotations

import json
import re
import typing as t
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.terraform.edge_tf_helpers import contract_outputs

from . import hcl_eval

REPO = Path(__file__).resolve().parents[2]
CLUSTER_STACK = REPO / "terraform" / "stacks" / "cluster"
AWS_STACK = REPO / "terraform" / "stacks" / "aws"
EKS_MODULE = REPO / "terraform" / "modules" / "eks"

# What stage 1 would output, in the shapes docs/outputs-contract.md gives. The cluster
# name is at the stack's 22-character limit, so length-sensitive names are exercised.
STAGE_ONE_OUTPUTS: dict[str, t.Any] = {
    "name": "openedx-prod",
    "region": "eu-west-1",
    "cluster_name": "openedx-prod-eks-12345",
    "vpc_id": "vpc-0a1b2c3d4e5f60718",
    "load_balancer_controller_role_arn": "arn:aws:iam::123456789012:role/openedx-prod-aws-lbc",
    "cluster_autoscaler_role_arn": "arn:aws:iam::123456789012:role/openedx-prod-autoscaler",
    "alb_target_group_arn": (
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/openedx-prod/0123456789abcdef"
    ),
    "alb_security_group_id": "sg-0a1b2c3d4e5f60718",
    "efs_file_system_id": "fs-0a1b2c3d4e5f60718",
    "cloudfront_domain_name": "d111111abcdef8.cloudfront.net",
    # Observability (terraform/modules/observability): the alerts topic, the containers'
    # log group (/aws/eks/<cluster>/containers) and the AWS dashboard's defaults.
    "alerts_topic_arn": "arn:aws:sns:eu-west-1:123456789012:openedx-prod-alerts",
    "container_log_group_name": "/aws/eks/openedx-prod-eks-12345/containers",
    "alb_metric_dimension": "app/openedx-prod/0123456789abcdef",
    "cloudfront_distribution_id": "E2QWRUHAPOMQZL",
    # profile: the stack's default (small); tests/observability renders production too.
    # target_group_deregistration_delay: the edge module's default, see stage_one_defaults.
}
EDGE_MODULE = REPO / "terraform" / "modules" / "edge"


def _default(blocks: list[hcl_eval.Block], kind: str, name: str) -> t.Any:
    for block in blocks:
        if block.kind == kind and block.labels == [name]:
            return hcl_eval.evaluate(block.attributes["default"], hcl_eval.Scope({}))
    raise KeyError(f"{kind} {name} not found")


def supported_kubernetes_versions() -> list[str]:
    """The minors stage 1 accepts (its kubernetes_version validation), one truth."""
    for block in hcl_eval.load_blocks(AWS_STACK):
        if block.kind == "variable" and block.labels == ["kubernetes_version"]:
            found = re.search(r"contains\((\[[^\]]*\])\s*,\s*var\.kubernetes_version", block.text)
            if found:
                return sorted(json.loads(found.group(1)), key=lambda v: tuple(map(int, v.split("."))))
    raise AssertionError("terraform/stacks/aws: kubernetes_version has no contains([...]) rule")


def stage_one_defaults() -> dict[str, t.Any]:
    """Values stage 1 produces with its own defaults (read from its .tf files)."""
    blocks = hcl_eval.load_blocks(AWS_STACK)
    edge = hcl_eval.load_blocks(EDGE_MODULE)
    return {
        "cluster_version": _default(blocks, "variable", "kubernetes_version"),
        "vpc_cidr": _default(blocks, "variable", "vpc_cidr"),
        "target_group_deregistration_delay": _default(
            edge, "variable", "deregistration_delay_seconds"
        ),
    }


@dataclass
class Release:
    address: str  # helm_release.<label>
    name: str
    chart: str
    version: str
    namespace: str
    repository: str | None
    values: dict[str, t.Any]
    local_chart: Path | None
    depends_on: list[str]
    text: str  # the resource block's source (for the pin reason)
    source: Path
    attributes: dict[str, t.Any] = field(default_factory=dict)


@dataclass
class Stack:
    blocks: list[hcl_eval.Block]
    inputs: dict[str, t.Any]
    scope: hcl_eval.Scope

    def releases(self) -> dict[str, Release]:
        found: dict[str, Release] = {}
        for block in self.blocks:
            if block.kind != "resource" or block.labels[0] != "helm_release":
                continue
            found[block.labels[1]] = self._release(block)
        return found

    def _release(self, block: hcl_eval.Block) -> Release:
        address = f"helm_release.{block.labels[1]}"
        attrs: dict[str, t.Any] = {}
        for key, expr in block.attributes.items():
            if key == "depends_on":
                continue
            try:
                attrs[key] = hcl_eval.evaluate(expr, self.scope)
            except hcl_eval.EvalError as exc:
                raise hcl_eval.EvalError(f"{address}.{key}: {exc}") from exc
        for key in ("count", "for_each"):
            if key in attrs and attrs[key] in (0, {}, []):
                raise hcl_eval.EvalError(
                    f"{address} is not installed with the default inputs ({key} = "
                    f"{attrs[key]!r}): give tests/charts/stack.py the input that enables it"
                )
        values: dict[str, t.Any] = {}
        for document in attrs.get("values") or []:
            values = merge_values(values, yaml.safe_load(document) or {})
        for item in (attrs.get("set") or []) + (attrs.get("set_sensitive") or []):
            _set_path(values, item["name"], item["value"])
        chart = str(attrs["chart"])
        local = Path(chart) if chart.startswith(self.scope.module_path) else None
        depends = []
        if "depends_on" in block.attributes:
            depends = re.findall(r"helm_release\.([A-Za-z0-9_]+)", block.text)
        return Release(
            address=address,
            name=str(attrs["name"]),
            chart=chart,
            version=str(attrs.get("version", "")),
            namespace=str(attrs.get("namespace", "default")),
            repository=attrs.get("repository"),
            values=values,
            local_chart=local,
            depends_on=depends,
            text=block.text,
            source=block.source,
            attributes=attrs,
        )


def merge_values(base: dict[str, t.Any], overlay: dict[str, t.Any]) -> dict[str, t.Any]:
    """Helm's merge of several values documents: maps deep-merged, the rest replaced."""
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_values(merged[key], value)
        else:
            merged[key] = value
    return merged


def _set_path(values: dict[str, t.Any], name: str, value: t.Any) -> None:
    keys = [k.replace("\\.", ".") for k in re.split(r"(?<!\\)\.", name)]
    node = values
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def input_values(blocks: list[hcl_eval.Block], overrides: dict[str, t.Any]) -> dict[str, t.Any]:
    """Variable defaults, then the stage-1 outputs the stack declares, then overrides."""
    values: dict[str, t.Any] = {}
    for block in blocks:
        if block.kind != "variable":
            continue
        name = block.labels[0]
        if "default" in block.attributes:
            values[name] = hcl_eval.evaluate(block.attributes["default"], hcl_eval.Scope({}))
        if name in STAGE_ONE_OUTPUTS:
            values[name] = STAGE_ONE_OUTPUTS[name]
    values.update(overrides)
    return values


def validation_failures(blocks: list[hcl_eval.Block], inputs: dict[str, t.Any]) -> list[str]:
    """Each variable validation the inputs break, as Terraform would report it."""
    failures: list[str] = []
    for block in blocks:
        if block.kind != "variable":
            continue
        name = block.labels[0]
        if name not in inputs:
            failures.append(f"var.{name} has no value")
            continue
        for rule in block.blocks:
            if rule.kind != "validation":
                continue
            scope = hcl_eval.Scope({name: inputs[name]})
            if not hcl_eval.evaluate(rule.attributes["condition"], scope):
                message = hcl_eval.evaluate(rule.attributes["error_message"], scope)
                failures.append(f"var.{name} = {inputs[name]!r}: {message}")
    return failures


def load(overrides: dict[str, t.Any] | None = None, folder: Path = CLUSTER_STACK) -> Stack:
    blocks = hcl_eval.load_blocks(folder)
    defaults = stage_one_defaults()
    declared = {b.labels[0] for b in blocks if b.kind == "variable"}
    example = {
        k: defaults[k]
        for k in ("cluster_version", "target_group_deregistration_delay")
        if k in declared
    }
    inputs = input_values(blocks, {**example, **(overrides or {})})
    scope = hcl_eval.Scope(
        variables=inputs,
        local_exprs=hcl_eval.locals_of(blocks),
        data={"aws_vpc.this": {"cidr_block_associations": [{"cidr_block": defaults["vpc_cidr"]}]}},
        module_path=str(folder),
        # The stack's own resources (a namespace's metadata[0].name); a release's
        # attributes are Helm's to compute, so helm_release references stay unsupported.
        resources={
            ".".join(b.labels): b for b in blocks
            if b.kind == "resource" and b.labels[0] != "helm_release"
        },
    )
    return Stack(blocks, inputs, scope)


def unknown_stage_one_examples() -> set[str]:
    examples = set(STAGE_ONE_OUTPUTS) | {"cluster_version", "target_group_deregistration_delay"}
    return examples - contract_outputs()
