"""Workload policies: every Open edX namespace Deployment, core or another plugin's,
has requests, an autoscaler (or a fixed count of at least 2 in production), one
disruption budget, probes (workers: the written-down no-probe choice), zone and node
spread and a least-privilege security context.

Which Deployments and what each should have come from the workload table
(tutor_eks_plugin/workloads/), resolved against the render: the same resolution the
templates use, so a plugin workload the templates shape is checked here too.
"""

from __future__ import annotations

import typing as t

from ..workloads import Workload
from ..workloads.shape import from_objects, hpa, keda, profile_of
from . import Objects, named

PROBES = ("startupProbe", "readinessProbe", "livenessProbe")


def _shaped(objects: Objects, config: dict[str, t.Any]) -> list[tuple[Workload, dict[str, t.Any]]]:
    return from_objects(objects, config)


def _labels(deployment: dict[str, t.Any]) -> dict[str, str]:
    return deployment["spec"]["template"]["metadata"].get("labels", {})


def _pod(deployment: dict[str, t.Any]) -> dict[str, t.Any]:
    return deployment["spec"]["template"]["spec"]


def resources_requested(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    found = []
    for w, deployment in _shaped(objects, config):
        for container in _pod(deployment)["containers"]:
            resources = container.get("resources", {})
            if not {"cpu", "memory"} <= set(resources.get("requests", {})):
                found.append(f"Deployment/{w.name}: container {container['name']} lacks "
                             "CPU and memory requests (a CPU HPA needs them)")
            if not {"cpu", "memory"} <= set(resources.get("limits", {})):
                found.append(f"Deployment/{w.name}: container {container['name']} lacks "
                             "CPU and memory limits")
    return found


def autoscaled_without_pinned_replicas(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    targets: dict[str, int] = {}
    for item in named(objects, "HorizontalPodAutoscaler").values():
        ref = item["spec"]["scaleTargetRef"]
        if ref.get("kind") == "Deployment":
            targets[ref["name"]] = targets.get(ref["name"], 0) + 1
    scaled = {o["spec"]["scaleTargetRef"]["name"] for o in objects if o["kind"] == "ScaledObject"}
    production = profile_of(config) == "production"
    found = []
    for w, deployment in _shaped(objects, config):
        count = targets.get(w.name, 0) + (1 if w.name in scaled else 0)
        if hpa(w, config) or keda(config, w):
            if count != 1:
                found.append(f"Deployment/{w.name}: {count} autoscalers target it, expected 1")
            if "replicas" in deployment["spec"]:
                found.append(f"Deployment/{w.name}: spec.replicas is pinned and fights the HPA")
            continue
        # A fixed count (equal bounds in the table or EKS_WORKLOADS).
        replicas = int(deployment["spec"].get("replicas", 1))
        if count:
            found.append(f"Deployment/{w.name}: has a fixed count but {count} autoscalers")
        if production and replicas < 2:
            found.append(f"Deployment/{w.name}: {replicas} replica in the production profile: "
                         "one pod's loss takes the service down (set min_replicas and "
                         f"max_replicas of EKS_WORKLOADS.{w.name} to 2 or more)")
    deployments = named(objects, "Deployment")
    for hpa_name, item in named(objects, "HorizontalPodAutoscaler").items():
        if item["spec"]["scaleTargetRef"]["name"] not in deployments:
            found.append(f"HorizontalPodAutoscaler/{hpa_name}: its target is not rendered")
    return found


def one_disruption_budget(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    budgets = named(objects, "PodDisruptionBudget")
    found = []
    for w, deployment in _shaped(objects, config):
        labels = _labels(deployment)
        matching = [
            b for b, pdb in budgets.items()
            if all(labels.get(k) == v
                   for k, v in pdb["spec"].get("selector", {}).get("matchLabels", {}).items())
        ]
        if len(matching) != 1:
            found.append(f"Deployment/{w.name}: {len(matching)} PodDisruptionBudgets select "
                         "it, expected 1")
    return found


def web_probes(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    """Probes where the table says so; a worker (probe "none") is the written-down
    exception (its checkov skips say why)."""
    found = []
    for w, deployment in _shaped(objects, config):
        if w.kind == "worker" or w.probe == "none":
            continue
        container = next((c for c in _pod(deployment)["containers"]
                          if c["name"] == w.main_container), _pod(deployment)["containers"][0])
        for probe in PROBES:
            if probe not in container:
                found.append(f"Deployment/{w.name}: no {probe}")
        startup = container.get("startupProbe", {})
        if w.probe == "http" and startup:
            get = startup.get("httpGet", {})
            hosts = [h.get("value") for h in get.get("httpHeaders", []) if h["name"] == "Host"]
            if get.get("path") != w.probe_path or (w.probe_host and hosts != [w.probe_host]):
                found.append(f"Deployment/{w.name}: the startup probe is not GET "
                             f"{w.probe_path} with Host {w.probe_host or '(none)'}, the "
                             "service's own health check")
        liveness = container.get("livenessProbe", {})
        path = liveness.get("httpGet", {}).get("path", "")
        if path and w.probe_path and path.startswith(w.probe_path) and w.probe_path != "/":
            found.append(f"Deployment/{w.name}: liveness on {w.probe_path} restarts every "
                         "replica when a shared data store stalls")
    return found


def spread_and_least_privilege(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    found = []
    for w, deployment in _shaped(objects, config):
        pod = _pod(deployment)
        keys = {c.get("topologyKey") for c in pod.get("topologySpreadConstraints", [])}
        for key in ("topology.kubernetes.io/zone", "kubernetes.io/hostname"):
            if key not in keys:
                found.append(f"Deployment/{w.name}: no topology spread over {key}")
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            found.append(f"Deployment/{w.name}: the pod does not set runAsNonRoot")
        for container in pod["containers"]:
            context = container.get("securityContext", {})
            if context.get("allowPrivilegeEscalation") is not False or "ALL" not in context.get(
                "capabilities", {}
            ).get("drop", []):
                found.append(f"Deployment/{w.name}: container {container['name']} may "
                             "escalate privileges or keeps Linux capabilities")
    return found


POLICIES = [
    resources_requested,
    autoscaled_without_pinned_replicas,
    one_disruption_budget,
    web_probes,
    spread_and_least_privilege,
]
