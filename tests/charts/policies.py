"""The plugin's workload rules, applied to the controllers the cluster stage installs.

The plugin's own policies (`tutor_eks_plugin.policies`) target the Open edX objects by
name; the ones that hold for any workload are reused as they are (`GENERIC`), and the
rules below restate the rest for controller workloads: resources set, probes, a
disruption budget for replicated controllers, nothing privileged.
"""

from __future__ import annotations

import typing as t

from tutor_eks_plugin.policies import core

Objects = list[dict[str, t.Any]]
WORKLOADS = ("Deployment", "DaemonSet", "StatefulSet")
# Plugin policies that hold for any rendered object set (config is not read by them).
GENERIC = (core.services_select_pods, core.ingress_backends_exist)

# Workloads allowed to run privileged or on the host network, with the reason.
PRIVILEGED_ALLOWED: dict[str, str] = {
    "kube-prometheus-stack-prometheus-node-exporter": (
        "node-exporter reports the node itself: hostNetwork for the node's interfaces and "
        "a scrape address per node, hostPID for the host's processes; it runs as "
        "nobody, read-only, with no privilege escalation (checked below all the same)"
    ),
}
# Services whose pods are created by an operator or by EKS, not by the chart's templates.
FOREIGN_SELECTORS: dict[str, str] = {
    "kps-alertmanager": "the Prometheus operator creates the StatefulSet from the Alertmanager resource",
    "kps-prometheus": "the Prometheus operator creates the StatefulSet from the Prometheus resource",
    "kps-coredns": "selects the CoreDNS pods of the EKS add-on in kube-system, for scraping",
}
# (workload, probe) a chart cannot set, with the reason (the same as checkov_skips.yml).
PROBE_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("nginx-ingress-controller", "livenessProbe"): (
        "the F5 chart offers no liveness probe; the process exits on fatal errors and "
        "readiness (/nginx-ready) takes a broken pod out of the target group"
    ),
    ("cluster-autoscaler-aws-cluster-autoscaler", "readinessProbe"): (
        "the chart defines none; the autoscaler serves no traffic and its liveness probe "
        "restarts a stuck process"
    ),
    # "<workload>/<container>": one container only.
    **{
        (f"grafana/grafana-sc-{kind}", probe): (
            "the Grafana chart has one probe setting for all its k8s-sidecar containers, "
            "each listening on its own health port, so none can be probed correctly; the "
            "grafana container itself has both probes"
        )
        for kind in ("dashboard", "datasources")
        for probe in ("readinessProbe", "livenessProbe")
    },
}


def _workloads(objects: Objects) -> list[dict[str, t.Any]]:
    return [o for o in objects if o.get("kind") in WORKLOADS]


def _containers(workload: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    spec = workload["spec"]["template"]["spec"]
    return list(spec.get("initContainers", [])) + list(spec.get("containers", []))


def _name(obj: dict[str, t.Any]) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


def resources_set(objects: Objects) -> list[str]:
    found = []
    for workload in _workloads(objects):
        for container in _containers(workload):
            resources = container.get("resources") or {}
            requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
            if not {"cpu", "memory"} <= set(requests) or "memory" not in limits:
                found.append(f"{_name(workload)}: container {container['name']} needs CPU and "
                             "memory requests and a memory limit")
    return found


def probed(objects: Objects) -> list[str]:
    found = []
    for workload in _workloads(objects):
        for container in workload["spec"]["template"]["spec"]["containers"]:
            for probe in ("readinessProbe", "livenessProbe"):
                name = workload["metadata"]["name"]
                if {(name, probe), (f"{name}/{container['name']}", probe)} & set(PROBE_EXCEPTIONS):
                    continue
                if probe not in container:
                    found.append(f"{_name(workload)}: container {container['name']} has no {probe}")
    return found


def budgeted(objects: Objects) -> list[str]:
    budgets = [o for o in objects if o.get("kind") == "PodDisruptionBudget"]
    found = []
    for workload in _workloads(objects):
        if workload["kind"] != "Deployment" or workload["spec"].get("replicas", 1) < 2:
            continue
        labels = workload["spec"]["template"]["metadata"].get("labels", {})
        matching = [
            b for b in budgets
            if b["metadata"].get("namespace") in (None, workload["metadata"].get("namespace"))
            and all(labels.get(k) == v
                    for k, v in b["spec"].get("selector", {}).get("matchLabels", {}).items())
        ]
        if len(matching) != 1:
            found.append(f"{_name(workload)}: {len(matching)} PodDisruptionBudgets select its "
                         f"{workload['spec']['replicas']} replicas, expected 1")
    return found


def not_privileged(objects: Objects) -> list[str]:
    found = []
    for workload in _workloads(objects):
        if workload["metadata"]["name"] in PRIVILEGED_ALLOWED:
            continue
        spec = workload["spec"]["template"]["spec"]
        if spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC"):
            found.append(f"{_name(workload)}: uses the host's network, PID or IPC namespace")
        for container in _containers(workload):
            context = container.get("securityContext") or {}
            if context.get("privileged") or context.get("allowPrivilegeEscalation", False):
                found.append(f"{_name(workload)}: container {container['name']} is privileged "
                             "or may escalate")
    return found


RULES = (resources_set, probed, budgeted, not_privileged)


def violations(objects: Objects) -> list[str]:
    found = [problem for rule in RULES for problem in rule(objects)]
    found += [
        problem for policy in GENERIC for problem in policy(objects, {})
        if not any(problem.startswith(f"Service/{name}:") for name in FOREIGN_SELECTORS)
    ]
    return found
