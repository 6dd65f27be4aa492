"""What only a render of all stage-2 releases together can answer."""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

import pytest

from . import hcl_eval, stack
from .render import Rendered, objects_of, render

F5_CONTROLLER = "nginx.org/ingress-controller"
# Tags EKS itself puts on the Auto Scaling group of every managed node group (AWS docs,
# "Managed node groups": the cluster autoscaler discovers them without extra tags).
EKS_MANAGED_ASG_TAGS = ("k8s.io/cluster-autoscaler/enabled", "k8s.io/cluster-autoscaler/{cluster}")


def _args(workload: dict[str, t.Any]) -> list[str]:
    container = workload["spec"]["template"]["spec"]["containers"][0]
    return [str(a) for a in container.get("args", []) + container.get("command", [])]


def _flag(workload: dict[str, t.Any], name: str) -> str | None:
    for arg in _args(workload):
        match = re.match(rf"^--?{re.escape(name)}=(.*)$", arg)
        if match:
            return match.group(1)
    return None


def _nginx_deployment(nginx: Rendered) -> dict[str, t.Any]:
    (deployment,) = objects_of(nginx, "Deployment").values()
    return deployment


def _binding(by_chart: t.Callable[[str], Rendered]) -> dict[str, t.Any]:
    bindings = [o for o in by_chart("manifests").objects if o["kind"] == "TargetGroupBinding"]
    assert len(bindings) == 1, f"expected one TargetGroupBinding, found {len(bindings)}"
    return bindings[0]


def binding_problems(nginx: Rendered, binding: dict[str, t.Any], health_port: int) -> list[str]:
    """Does the TargetGroupBinding reach a port NGINX really listens on?"""
    problems = []
    ref = binding["spec"]["serviceRef"]
    service = objects_of(nginx, "Service").get(ref["name"])
    if service is None:
        return [f"TargetGroupBinding serviceRef {ref['name']} is not an NGINX Service"]
    if binding["metadata"].get("namespace") != service["metadata"].get("namespace", nginx.release.namespace):
        problems.append("TargetGroupBinding and the NGINX Service are in different namespaces")
    port = next((p for p in service["spec"]["ports"] if p["port"] == ref["port"]), None)
    if port is None:
        return problems + [f"Service {ref['name']} has no port {ref['port']}"]
    deployment = _nginx_deployment(nginx)
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
    target = port.get("targetPort", port["port"])
    target_port = ports.get(target) if isinstance(target, str) else target
    listener = _flag(deployment, "default-http-listener-port")
    if target_port is None:
        problems.append(f"Service port {ref['port']} targets {target!r}, no such container port")
    elif listener is None or int(listener) != int(target_port):
        problems.append(f"the target group sends traffic to port {target_port}, NGINX listens "
                        f"on {listener} (-default-http-listener-port)")
    ready = _flag(deployment, "ready-status-port")
    if ready is None or int(ready) != health_port or health_port not in ports.values():
        problems.append(f"the ALB health check uses port {health_port}, NGINX serves "
                        f"/nginx-ready on {ready} (container ports {sorted(ports.values())})")
    opened = {p["port"] for rule in binding["spec"].get("networking", {}).get("ingress", [])
              for p in rule["ports"]}
    wanted = {int(listener or 0), health_port}
    if opened != wanted:
        problems.append(f"the binding opens ports {sorted(opened)} to the ALB, NGINX needs "
                        f"{sorted(wanted)}")
    return problems


def test_target_group_binding_reaches_nginx(
    by_chart: t.Callable[[str], Rendered], chart_stack: stack.Stack
) -> None:
    problems = binding_problems(
        by_chart("nginx-ingress"), _binding(by_chart), chart_stack.inputs["nginx_health_check_port"]
    )
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def other_port_renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """NGINX and the binding again, with nginx_http_port moved to 8080."""
    moved = stack.load({"nginx_http_port": 8080}).releases()
    workdir = tmp_path_factory.mktemp("port")
    return {k: render(moved[k], workdir) for k in ("nginx_ingress", "target_group_binding")}


def test_changing_the_http_port_moves_the_listener(other_port_renders: dict[str, Rendered]) -> None:
    """nginx_http_port is where NGINX listens, not only a containerPort label."""
    nginx, manifests = other_port_renders["nginx_ingress"], other_port_renders["target_group_binding"]
    assert not nginx.error and not manifests.error
    (binding,) = [o for o in manifests.objects if o["kind"] == "TargetGroupBinding"]
    assert _flag(_nginx_deployment(nginx), "default-http-listener-port") == "8080"
    assert not binding_problems(nginx, binding, 8081)


@pytest.fixture(scope="module")
def plugin_ingresses(tmp_path_factory: pytest.TempPathFactory, kubectl_bin: str) -> list[dict]:
    """The Ingresses of a default plugin render (real tutor 22 and kubectl kustomize)."""
    from tutor_cli import render as tutor_render

    objects = tutor_render(tmp_path_factory.mktemp("plugin"), kubectl_bin, ("eks", "mfe")).objects
    return [o for o in objects if o["kind"] == "Ingress"]


def test_nginx_serves_the_plugins_ingress_class(
    by_chart: t.Callable[[str], Rendered], plugin_ingresses: list[dict[str, t.Any]]
) -> None:
    nginx = by_chart("nginx-ingress")
    assert plugin_ingresses, "the plugin rendered no Ingress"
    named = {i["spec"].get("ingressClassName") for i in plugin_ingresses}
    assert len(named) == 1, f"the plugin's Ingresses name several classes: {named}"
    (wanted,) = named
    assert _flag(_nginx_deployment(nginx), "ingress-class") == wanted
    classes = objects_of(nginx, "IngressClass")
    assert wanted in classes, f"no IngressClass {wanted} rendered: {sorted(classes)}"
    assert classes[wanted]["spec"]["controller"] == F5_CONTROLLER
    annotations = {k for i in plugin_ingresses for k in i["metadata"].get("annotations", {})}
    assert any(k.startswith("nginx.org/") for k in annotations), "no F5 annotation to honour"


def webhook_problems(objects: list[dict[str, t.Any]]) -> list[str]:
    """Webhooks that can block objects the Open edX deployment creates or updates.

    The decided state (docs/decisions.md): no webhook of the Load Balancer Controller sees
    Services or Ingresses; the ones left with failure policy Fail only see its own custom
    resources or pods in namespaces/objects that opted in with a label.
    """
    problems = []
    for config in objects:
        if config["kind"] not in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"):
            continue
        for hook in config.get("webhooks", []):
            resources = {r for rule in hook.get("rules", []) for r in rule.get("resources", [])}
            groups = {g for rule in hook.get("rules", []) for g in rule.get("apiGroups", [])}
            if resources & {"services", "ingresses", "*"}:
                problems.append(f"{config['kind']}/{config['metadata']['name']}: webhook "
                                f"{hook['name']} intercepts {sorted(resources)}")
                continue
            if hook.get("failurePolicy", "Fail") != "Fail" or groups <= {"elbv2.k8s.aws", "aga.k8s.aws"}:
                continue
            selectors = [hook.get("namespaceSelector") or {}, hook.get("objectSelector") or {}]
            opted_in = any(
                e.get("operator") in ("In", "Exists") and e["key"].startswith("elbv2.k8s.aws/")
                for s in selectors for e in s.get("matchExpressions", [])
            )
            if not opted_in:
                problems.append(f"{config['metadata']['name']}: webhook {hook['name']} fails "
                                f"closed on {sorted(resources)} without an opt-in label")
    return problems


def test_load_balancer_controller_webhooks_cannot_block_the_apply(
    by_chart: t.Callable[[str], Rendered],
) -> None:
    lbc = by_chart("aws-load-balancer-controller")
    configs = [o for o in lbc.objects if "WebhookConfiguration" in o["kind"]]
    assert configs, "the controller rendered no webhook configuration"
    problems = webhook_problems(lbc.objects)
    assert not problems, "\n".join(problems)


def test_the_webhook_check_catches_the_chart_defaults(
    by_chart: t.Callable[[str], Rendered], tmp_path: Path
) -> None:
    """With the chart's own webhook defaults the check above fails (issue 11 point 3)."""
    release = by_chart("aws-load-balancer-controller").release
    values = {k: v for k, v in release.values.items()
              if k not in ("enableServiceMutatorWebhook", "webhookConfig")}
    defaults = render(stack.Release(**{**release.__dict__, "values": values}), tmp_path)
    problems = webhook_problems(defaults.objects)
    assert any("mservice" in p for p in problems) and any("vingress" in p for p in problems)


def test_nginx_drains_longer_than_the_deregistration_delay(
    by_chart: t.Callable[[str], Rendered], chart_stack: stack.Stack
) -> None:
    delay = chart_stack.inputs["target_group_deregistration_delay"]
    deployment = _nginx_deployment(by_chart("nginx-ingress"))
    pod = deployment["spec"]["template"]["spec"]
    sleep = pod["containers"][0].get("lifecycle", {}).get("preStop", {}).get("sleep", {})
    grace = pod.get("terminationGracePeriodSeconds", 30)
    assert sleep.get("seconds", 0) > delay, f"preStop sleep {sleep} <= deregistration delay {delay}"
    assert grace > sleep["seconds"], f"grace {grace}s ends before the preStop sleep"


def test_nginx_namespace_injects_readiness_gates(chart_stack: stack.Stack) -> None:
    """The namespace of the NGINX release carries the controller's readiness-gate label."""
    namespace = chart_stack.releases()["nginx_ingress"].namespace
    found = []
    for block in chart_stack.blocks:
        if block.kind == "resource" and block.labels[0] == "kubernetes_namespace_v1":
            (metadata,) = [b for b in block.blocks if b.kind == "metadata"]
            values = {k: hcl_eval.evaluate(v, chart_stack.scope) for k, v in metadata.attributes.items()}
            found.append(values)
    (ns,) = [n for n in found if n["name"] == namespace]
    assert ns["labels"].get("elbv2.k8s.aws/pod-readiness-gate-inject") == "enabled"
    release = next(b for b in chart_stack.blocks if b.labels[:2] == ["helm_release", "nginx_ingress"])
    assert "create_namespace" not in release.attributes
    assert "kubernetes_namespace_v1.nginx" in release.text, "NGINX must wait for its namespace"


def test_autoscaler_discovers_stage_one_node_groups(
    by_chart: t.Callable[[str], Rendered], chart_stack: stack.Stack
) -> None:
    cluster = chart_stack.inputs["cluster_name"]
    (deployment,) = objects_of(by_chart("cluster-autoscaler"), "Deployment").values()
    discovery = _flag(deployment, "node-group-auto-discovery")
    assert discovery and discovery.startswith("asg:tag="), discovery
    wanted = {tag.split("=")[0] for tag in discovery[len("asg:tag="):].split(",")}
    eks = (stack.EKS_MODULE / "nodes.tf").read_text() + (stack.EKS_MODULE / "iam.tf").read_text()
    assert "aws_eks_node_group" in eks, "stage 1 no longer builds managed node groups"
    tags = {t.format(cluster=cluster) for t in EKS_MANAGED_ASG_TAGS}
    assert wanted <= tags, f"the autoscaler looks for {sorted(wanted)}, node groups carry {sorted(tags)}"
    (scale_tag,) = re.findall(r'"aws:ResourceTag/([^"]+)"', eks)
    scale_tag = scale_tag.replace("${var.cluster_name}", cluster)
    assert scale_tag in wanted, f"stage 1 lets the autoscaler resize groups tagged {scale_tag} only"


def test_service_accounts_match_stage_one_pod_identity(
    renders: dict[str, Rendered], chart_stack: stack.Stack
) -> None:
    blocks = hcl_eval.load_blocks(stack.EKS_MODULE)
    scope = hcl_eval.Scope(
        {"openedx_namespace": "openedx", "openedx_service_account": "openedx"},
        local_exprs=hcl_eval.locals_of(blocks),
    )
    roles = scope.local("pod_identity_roles")
    associated = {(r["namespace"], r["service_account"]) for r in roles.values()
                  if r["associate"] and r["namespace"] == "kube-system"}
    assert associated, "stage 1 associates no controller service account"
    used = set()
    for result in renders.values():
        for obj in result.objects:
            if obj["kind"] in ("Deployment", "DaemonSet", "StatefulSet"):
                sa = obj["spec"]["template"]["spec"].get("serviceAccountName", "default")
                used.add((obj["metadata"].get("namespace", result.release.namespace), sa))
    accounts = {(o["metadata"].get("namespace", r.release.namespace), o["metadata"]["name"])
                for r in renders.values() for o in r.objects if o["kind"] == "ServiceAccount"}
    missing = associated - (used & accounts)
    assert not missing, f"Pod Identity associations with no controller using them: {missing}"
