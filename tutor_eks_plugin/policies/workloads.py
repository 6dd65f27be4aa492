"""Workload policies: every Open edX Deployment is autoscaled, budgeted and probed."""

from __future__ import annotations

import typing as t

from . import Objects, named

WEB = ("lms", "cms", "mfe")
SHAPED = ("lms", "cms", "lms-worker", "cms-worker", "mfe")


def _shaped(objects: Objects, config: dict[str, t.Any]) -> dict[str, dict[str, t.Any]]:
    deployments = named(objects, "Deployment")
    return {name: deployments[name] for name in SHAPED if name in deployments}


def _labels(deployment: dict[str, t.Any]) -> dict[str, str]:
    return deployment["spec"]["template"]["metadata"].get("labels", {})


def resources_requested(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    found = []
    for name, deployment in _shaped(objects, config).items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            requests = container.get("resources", {}).get("requests", {})
            if not {"cpu", "memory"} <= set(requests):
                found.append(f"Deployment/{name}: container {container['name']} lacks "
                             "CPU and memory requests (a CPU HPA needs them)")
    return found


def autoscaled_without_pinned_replicas(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    targets: dict[str, int] = {}
    for hpa in named(objects, "HorizontalPodAutoscaler").values():
        ref = hpa["spec"]["scaleTargetRef"]
        if ref.get("kind") == "Deployment":
            targets[ref["name"]] = targets.get(ref["name"], 0) + 1
    keda = {o["spec"]["scaleTargetRef"]["name"] for o in objects if o["kind"] == "ScaledObject"}
    found = []
    for name, deployment in _shaped(objects, config).items():
        count = targets.get(name, 0) + (1 if name in keda else 0)
        if count != 1:
            found.append(f"Deployment/{name}: {count} autoscalers target it, expected 1")
        if "replicas" in deployment["spec"]:
            found.append(f"Deployment/{name}: spec.replicas is pinned and fights the HPA")
    deployments = named(objects, "Deployment")
    for hpa_name, hpa in named(objects, "HorizontalPodAutoscaler").items():
        if hpa["spec"]["scaleTargetRef"]["name"] not in deployments:
            found.append(f"HorizontalPodAutoscaler/{hpa_name}: its target is not rendered")
    return found


def one_disruption_budget(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    budgets = named(objects, "PodDisruptionBudget")
    found = []
    for name, deployment in _shaped(objects, config).items():
        labels = _labels(deployment)
        matching = [
            b for b, pdb in budgets.items()
            if all(labels.get(k) == v
                   for k, v in pdb["spec"].get("selector", {}).get("matchLabels", {}).items())
        ]
        if len(matching) != 1:
            found.append(f"Deployment/{name}: {len(matching)} PodDisruptionBudgets select it, "
                         "expected 1")
    return found


def web_probes(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    found = []
    for name, deployment in _shaped(objects, config).items():
        if name not in WEB:
            continue
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            if probe not in container:
                found.append(f"Deployment/{name}: no {probe}")
        liveness = container.get("livenessProbe", {})
        if liveness.get("httpGet", {}).get("path", "").startswith("/heartbeat"):
            found.append(f"Deployment/{name}: liveness on /heartbeat restarts every replica "
                         "when MySQL or MongoDB stalls")
    return found


POLICIES = [
    resources_requested,
    autoscaled_without_pinned_replicas,
    one_disruption_budget,
    web_probes,
]
