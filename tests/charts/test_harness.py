"""The harness itself: a new release anywhere in the stack is picked up, and what it
cannot evaluate fails loudly instead of rendering something else."""

from __future__ import annotations

import shutil
from pathlib import Path

import hcl2
import pytest

from . import hcl_eval, stack


def _expr(text: str) -> object:
    tree = hcl2.parses_to_tree(f"x = {text}\n")
    (body,) = tree.children
    (attribute,) = [c for c in body.children if getattr(c, "data", "") == "attribute"]
    return [c for c in attribute.children if hasattr(c, "data")][-1]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('"v${var.v}.0"', "v1.35.0"),
        ("var.n + 15", 75),
        ('var.mode == "irsa" ? { a = 1 } : {}', {}),
        ("[for c in var.cidrs : c.cidr_block]", ["10.0.0.0/16"]),
        ('join(",", distinct(["a", "a", "b"]))', "a,b"),
        ('coalesce(null, "x")', "x"),
        ('can(regex("^1\\\\.[0-9]{2}$", var.v))', True),
        ("merge({ a = 1 }, { b = 2 })", {"a": 1, "b": 2}),
        ('{ "k.io/x" = true, plain = [1, 2] }', {"k.io/x": True, "plain": [1, 2]}),
    ],
)
def test_expressions_evaluate_as_terraform_would(text: str, value: object) -> None:
    scope = hcl_eval.Scope(
        {"v": "1.35", "n": 60, "mode": "pod-identity", "cidrs": [{"cidr_block": "10.0.0.0/16"}]}
    )
    assert hcl_eval.evaluate(_expr(text), scope) == value


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("templatefile(\"x.tpl\", {})", "templatefile"),
        ("helm_release.other.metadata", "helm_release.other.metadata"),
        ("var.missing", "var.missing"),
        ("local.nowhere", "local.nowhere"),
    ],
)
def test_what_cannot_be_evaluated_is_named(text: str, named: str) -> None:
    with pytest.raises(hcl_eval.EvalError, match=named.replace(".", r"\.")):
        hcl_eval.evaluate(_expr(text), hcl_eval.Scope({}))


def _stack_with(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "cluster"
    shutil.copytree(stack.CLUSTER_STACK, folder, ignore=shutil.ignore_patterns(".terraform*"))
    (folder / "zz_harness_probe.tf").write_text(extra, encoding="utf-8")
    return folder


def test_a_release_in_a_new_file_is_picked_up_with_its_locals(tmp_path: Path) -> None:
    folder = _stack_with(tmp_path, """
locals {
  harness_probe_values = { prometheus = { retention = "${var.nginx_replicas * 5}d" } }
}

resource "helm_release" "harness_probe" {
  name       = "harness-probe"
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "kube-prometheus-stack"
  version    = "88.5.3"
  namespace  = kubernetes_namespace_v1.monitoring.metadata[0].name
  values     = [yamlencode(local.harness_probe_values)]
  set        = [{ name = "grafana.enabled", value = false }]
}
""")
    releases = stack.load(folder=folder).releases()
    release = releases["harness_probe"]
    assert release.values == {"prometheus": {"retention": "10d"}, "grafana": {"enabled": False}}
    assert release.namespace == "monitoring"
    assert {"nginx_ingress", "aws_load_balancer_controller", "kube_prometheus_stack",
            "log_shipper"} <= set(releases)


def test_a_release_turned_off_by_default_says_so(tmp_path: Path) -> None:
    folder = _stack_with(tmp_path, """
variable "harness_probe_enabled" {
  description = "x"
  type        = bool
  default     = false
}

resource "helm_release" "harness_probe" {
  count   = var.harness_probe_enabled ? 1 : 0
  name    = "harness-probe"
  chart   = "kube-prometheus-stack"
  version = "88.5.3"
}
""")
    with pytest.raises(hcl_eval.EvalError, match="harness_probe is not installed"):
        stack.load(folder=folder).releases()


def test_stage_one_examples_are_held_to_the_stacks_validations() -> None:
    loaded = stack.load({"vpc_id": "vpc-XYZ", "target_group_deregistration_delay": 4000})
    failures = stack.validation_failures(loaded.blocks, loaded.inputs)
    assert any(f.startswith("var.vpc_id = 'vpc-XYZ'") for f in failures), failures
    assert any("target_group_deregistration_delay" in f for f in failures), failures
    assert not stack.validation_failures(stack.load().blocks, stack.load().inputs)


def test_file_functions_read_the_module_folder(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.json").write_text('{"who": "${who}", "raw": "$${keep} %%{keep}"}')
    (tmp_path / "d" / "b.txt").write_text("x")
    (tmp_path / "r.yaml").write_text("groups: [{name: g}]\n")
    scope = hcl_eval.Scope({"who": "me"}, module_path=str(tmp_path))
    files = '{ for f in fileset("${path.module}/d", "*.json") : trimsuffix(f, ".json") => ' \
            'templatefile("${path.module}/d/${f}", { who = var.who }) }'
    assert hcl_eval.evaluate(_expr(files), scope) == {
        "a": '{"who": "me", "raw": "${keep} %{keep}"}'
    }
    assert hcl_eval.evaluate(_expr('yamldecode(file("r.yaml"))'), scope) == {
        "groups": [{"name": "g"}]
    }


@pytest.mark.parametrize(
    ("template", "named"),
    [("%{ if true }x%{ endif }", "directives"), ("${nobody}", "nobody"), ("${", "unterminated")],
)
def test_templates_beyond_the_evaluator_are_named(tmp_path: Path, template: str, named: str) -> None:
    (tmp_path / "t.tpl").write_text(template)
    scope = hcl_eval.Scope({}, module_path=str(tmp_path))
    with pytest.raises(hcl_eval.EvalError, match=named):
        hcl_eval.evaluate(_expr('templatefile("t.tpl", {})'), scope)


def test_a_resource_gives_its_configured_arguments_not_computed_ones(tmp_path: Path) -> None:
    folder = _stack_with(tmp_path, """
locals {
  harness_probe_uid = kubernetes_namespace_v1.monitoring.metadata[0].uid
}
""")
    loaded = stack.load(folder=folder)
    assert loaded.scope.local("monitoring_namespace") == "monitoring"
    name = _expr("kubernetes_namespace_v1.monitoring.metadata[0].name")
    assert hcl_eval.evaluate(name, loaded.scope) == "monitoring"
    with pytest.raises(hcl_eval.EvalError, match="'uid'"):
        loaded.scope.local("harness_probe_uid")
