"""terraform/stacks/cluster (stage 2): structure checks only.

No helm or kubernetes provider exists offline, so `terraform init/validate/plan` cannot
run on this stack here. These tests read it with python-hcl2 and check what can be
checked without the providers: pinned chart versions, declared variables, the mapping of
inputs to stage-1 outputs, and the values shared with the plugin. `terraform fmt` and
checkov need no provider and run for real.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.terraform.edge_tf_helpers import (
    CLUSTER_STACK,
    blocks,
    contract_outputs,
    load_dir,
    resources,
)
from tests.terraform.module_checks import assert_fmt_clean
from tests.terraform.tf_common import checkov_terraform, failed_checks
from tutor_eks_plugin import config as plugin_config

EXACT_VERSION = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+$")
# Stack settings that do not come from stage 1 (tuning, and values the plugin owns).
LOCAL_SETTINGS = {
    "ingress_class_name",
    "media_storage_class_name",
    "nginx_client_max_body_size",
    "nginx_proxy_timeout",
    "controller_identity",
    "nginx_replicas",
    "nginx_http_port",
    "nginx_health_check_port",
    "cluster_autoscaler_image_tag",
    "helm_timeout_seconds",
    "efs_reclaim_policy",
    # EKS_SECRETS_SOURCE, and secrets referenced by hand (docs/secrets.md).
    "secrets_source",
    "external_secrets_additional_secret_arns",
}


@pytest.fixture(scope="module")
def stack() -> dict[str, list[Any]]:
    return load_dir(CLUSTER_STACK)


@pytest.fixture(scope="module")
def variables(stack: dict[str, list[Any]]) -> dict[str, dict[str, Any]]:
    return blocks(stack, "variable")


@pytest.fixture(scope="module")
def values(stack: dict[str, list[Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for entry in stack.get("locals", []):
        merged.update(entry)
    return merged


def _all_tf_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(CLUSTER_STACK.glob("*.tf")))


def test_fmt_is_clean(terraform_bin: str) -> None:
    assert_fmt_clean(terraform_bin, CLUSTER_STACK)


def test_every_helm_release_pins_an_exact_version(stack: dict[str, list[Any]]) -> None:
    releases = resources(stack, "helm_release")
    # Other files of the stack may add releases (monitoring.tf): tests/charts renders all.
    assert set(releases) >= {
        "aws_load_balancer_controller",
        "nginx_ingress",
        "target_group_binding",
        "cluster_autoscaler",
        # monitoring.tf (observability, tests/observability)
        "kube_prometheus_stack",
        "log_shipper",
    }
    for name, body in releases.items():
        assert EXACT_VERSION.match(str(body.get("version", ""))), f"{name}: version not pinned"
    assert releases["nginx_ingress"]["repository"] == "https://helm.nginx.com/stable"
    assert releases["nginx_ingress"]["chart"] == "nginx-ingress"


def test_local_chart_version_matches_its_release(stack: dict[str, list[Any]]) -> None:
    release = resources(stack, "helm_release")["target_group_binding"]
    chart_dir = CLUSTER_STACK / release["chart"].replace("${path.module}/", "")
    chart = yaml.safe_load((chart_dir / "Chart.yaml").read_text(encoding="utf-8"))
    assert chart["version"] == release["version"]
    template = (chart_dir / "templates" / "manifests.yaml").read_text(encoding="utf-8")
    assert ".Values.manifests" in template


def test_every_referenced_variable_is_declared(variables: dict[str, dict[str, Any]]) -> None:
    referenced = set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_]*)", _all_tf_text()))
    assert referenced, "no variable referenced: parsing went wrong"
    assert referenced <= set(variables), f"undeclared: {sorted(referenced - set(variables))}"
    for name, body in variables.items():
        assert body.get("description") and body.get("type"), f"variable {name} undocumented"


def test_inputs_are_stage_one_outputs(variables: dict[str, dict[str, Any]]) -> None:
    stage_one = set(variables) - LOCAL_SETTINGS
    unknown = stage_one - contract_outputs()
    assert not unknown, f"inputs with no stage-1 output of that name: {sorted(unknown)}"
    required = {n for n, body in variables.items() if "default" not in body}
    assert required <= stage_one, "a required input must come from stage 1"
    readme = (CLUSTER_STACK / "README.md").read_text(encoding="utf-8")
    for name in stage_one:
        assert f"`{name}`" in readme, f"README mapping lacks {name}"


def test_shared_values_match_the_plugin_defaults(variables: dict[str, dict[str, Any]]) -> None:
    defaults = dict(plugin_config.defaults())
    assert (
        variables["ingress_class_name"]["default"] == defaults["EKS_INGRESS_CLASS_NAME"] == "nginx"
    )
    assert variables["media_storage_class_name"]["default"] == defaults["EKS_MEDIA_STORAGE_CLASS"]
    assert variables["media_storage_class_name"]["default"] == "efs-sc"
    assert variables["nginx_client_max_body_size"]["default"] == "4m"
    assert (
        variables["nginx_client_max_body_size"]["default"]
        == defaults["EKS_INGRESS_DEFAULT_MAX_BODY_SIZE"]
    )
    timeout = defaults["EKS_INGRESS_PROXY_TIMEOUT_SECONDS"]
    assert variables["nginx_proxy_timeout"]["default"] == f"{timeout}s" == "300s"


def test_nginx_values(values: dict[str, Any]) -> None:
    controller = values["nginx_values"]["controller"]
    assert controller["ingressClass"]["name"] == "${var.ingress_class_name}"
    assert controller["service"]["type"] == "ClusterIP"
    assert controller["readyStatus"] == {"enable": True, "port": "${var.nginx_health_check_port}"}
    entries = controller["config"]["entries"]
    assert entries["client-max-body-size"] == "${var.nginx_client_max_body_size}"
    assert entries["proxy-read-timeout"] == "${var.nginx_proxy_timeout}"
    assert entries["proxy-send-timeout"] == "${var.nginx_proxy_timeout}"
    assert entries["set-real-ip-from"] == '${join(",", local.vpc_cidrs)}'
    assert entries["real-ip-header"] == "X-Forwarded-For"
    assert entries["redirect-to-https"] == "True"
    assert values["nginx_values"]["prometheus"]["create"] is True
    assert values["nginx_values"]["serviceNameOverride"] == "${local.nginx_service_name}"


def test_target_group_binding(values: dict[str, Any]) -> None:
    (tgb,) = values["target_group_binding_values"]["manifests"]
    assert tgb["kind"] == "TargetGroupBinding"
    assert tgb["apiVersion"] == "elbv2.k8s.aws/v1beta1"
    spec = tgb["spec"]
    assert spec["targetGroupARN"] == "${var.alb_target_group_arn}"
    assert spec["targetType"] == "ip"
    assert spec["serviceRef"]["name"] == "${local.nginx_service_name}"
    (rule,) = spec["networking"]["ingress"]
    assert rule["from"] == [{"securityGroup": {"groupID": "${var.alb_security_group_id}"}}]
    ports = {p["port"] for p in rule["ports"]}
    assert ports == {"${var.nginx_http_port}", "${var.nginx_health_check_port}"}


def test_storage_class(stack: dict[str, list[Any]]) -> None:
    sc = resources(stack, "kubernetes_storage_class_v1")["efs"]
    (metadata,) = sc["metadata"]
    assert metadata["name"] == "${var.media_storage_class_name}"
    assert sc["storage_provisioner"] == "efs.csi.aws.com"
    params = sc["parameters"]
    assert params["provisioningMode"] == "efs-ap"
    assert params["fileSystemId"] == "${var.efs_file_system_id}"
    assert params["uid"] == "1000" and params["gid"] == "1000"


def test_controllers_use_stage_one_roles(values: dict[str, Any]) -> None:
    lbc_sa = values["lbc_values"]["serviceAccount"]["annotations"]
    assert "var.load_balancer_controller_role_arn" in lbc_sa
    ca_sa = values["autoscaler_values"]["rbac"]["serviceAccount"]["annotations"]
    assert "var.cluster_autoscaler_role_arn" in ca_sa
    assert values["autoscaler_values"]["autoDiscovery"]["clusterName"] == "${var.cluster_name}"


def test_checkov_finds_no_failed_check(checkov_bin: str) -> None:
    reports = checkov_terraform(checkov_bin, CLUSTER_STACK)
    failed = failed_checks(reports)
    assert not failed, "checkov failures:\n" + "\n".join(failed)


def test_no_machine_paths_in_the_stack() -> None:
    """Neither this checkout's location nor the provider mirror's leaks into the stack."""
    local = {str(Path(CLUSTER_STACK).resolve().parents[3]), str(Path.home())}
    mirror = os.environ.get("EKS_TF_PLUGIN_MIRROR")
    if mirror:
        local.add(str(Path(mirror).resolve()))
    for path in Path(CLUSTER_STACK).rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not [p for p in local if p + "/" in text], f"{path} holds a local path"
