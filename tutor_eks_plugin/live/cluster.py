"""Cluster-side checks (kubectl): what runs compared with what the config renders.

The list of Deployments, HorizontalPodAutoscalers, claims and images to expect is the
render itself (`Target.rendered`), so a plugin that adds a Deployment is checked too.
"""

from __future__ import annotations

import typing as t

from .aws import AWS, CLUSTER
from .context import Target
from .report import Result, fail, ok, warn

ZONE_LABEL = "topology.kubernetes.io/zone"


def _condition(obj: dict[str, t.Any], kind: str) -> t.Optional[dict[str, t.Any]]:
    for cond in obj.get("status", {}).get("conditions", []) or []:
        if cond.get("type") == kind:
            return cond
    return None


def _by_name(items: t.Iterable[dict[str, t.Any]]) -> dict[str, dict[str, t.Any]]:
    return {i["metadata"]["name"]: i for i in items}


def _live(
    target: Target, kind: str, resource: str, results: list[Result]
) -> t.Iterator[tuple[str, dict[str, t.Any]]]:
    """Each rendered object of ``kind`` by name, with what the cluster runs under that
    name; one the cluster lacks is a failure added to ``results``."""
    live = _by_name(target.kube_items(resource))
    for obj in target.rendered(kind):
        name = obj["metadata"]["name"]
        if name in live:
            yield name, live[name]
        else:
            results.append(fail("absent from the cluster", "run `tutor k8s start`", name))


def nodes(target: Target) -> list[Result]:
    items = target.kube_items("nodes", namespace="")
    ready_zones: dict[str, int] = {}
    not_ready = []
    for node in items:
        cond = _condition(node, "Ready")
        zone = node["metadata"].get("labels", {}).get(ZONE_LABEL, "?")
        if cond and cond.get("status") == "True":
            ready_zones[zone] = ready_zones.get(zone, 0) + 1
        else:
            not_ready.append(node["metadata"]["name"])
    expected = len(target.output(AWS, "private_subnet_ids") or []) or None
    zones = ", ".join(f"{z}: {n}" for z, n in sorted(ready_zones.items())) or "none"
    seen = f"{sum(ready_zones.values())} ready node(s) by zone ({zones})"
    if not_ready:
        seen += f"; not ready: {', '.join(sorted(not_ready))}"
    if not ready_zones:
        return [fail(seen, "no ready node: look at the node group in the EKS console")]
    if expected and len(ready_zones) < expected:
        return [fail(seen, f"the profile spreads nodes over {expected} zones: check the node "
                     "group's subnets and the cluster autoscaler's logs")]
    if not_ready:
        return [warn(seen, "kubectl describe node NAME for the not-ready nodes")]
    return [ok(seen)]


def deployments(target: Target) -> list[Result]:
    results: list[Result] = []
    for name, dep in _live(target, "Deployment", "deployments", results):
        status = dep.get("status", {})
        ready, want = status.get("readyReplicas", 0) or 0, status.get("replicas", 0) or 0
        available = (_condition(dep, "Available") or {}).get("status") == "True"
        seen = f"{ready}/{want} ready, Available={available}"
        if not available or ready == 0:
            results.append(fail(seen, f"kubectl -n {target.namespace} describe deployment {name}",
                                name))
        else:
            results.append(ok(seen, name))
    return results


def autoscalers(target: Target) -> list[Result]:
    results: list[Result] = []
    for name, hpa in _live(target, "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                           results):
        status = hpa.get("status", {})
        values = [
            (m.get("resource") or {}).get("current", {}).get("averageUtilization")
            for m in status.get("currentMetrics") or []
        ]
        active = _condition(hpa, "ScalingActive") or {}
        shown = ", ".join(f"{v}%" if v is not None else "<unknown>" for v in values) or "<unknown>"
        seen = (f"cpu {shown}, replicas {status.get('currentReplicas', '?')}"
                f" (min {hpa['spec'].get('minReplicas')}, max {hpa['spec'].get('maxReplicas')})")
        if not values or None in values or active.get("status") == "False":
            reason = active.get("reason", "")
            results.append(fail(
                seen + (f", {reason}" if reason else ""),
                "metrics are not read: check metrics-server (kubectl top pods) and that the "
                "Deployment sets CPU requests", name))
        else:
            results.append(ok(seen, name))
    return results


def volumes(target: Target) -> list[Result]:
    rendered = target.rendered("PersistentVolumeClaim")
    if not rendered:
        return [ok("not applicable: no claim rendered (media on S3)")]
    live = _by_name(target.kube_items("persistentvolumeclaims"))
    results = []
    for obj in rendered:
        name = obj["metadata"]["name"]
        phase = live.get(name, {}).get("status", {}).get("phase", "absent")
        if phase == "Bound":
            results.append(ok("Bound", name))
        else:
            results.append(fail(phase, f"kubectl -n {target.namespace} describe pvc {name}: "
                                "check the EFS CSI driver and the StorageClass", name))
    return results


def ingress_controller(target: Target) -> list[Result]:
    namespace = target.output(CLUSTER, "nginx_namespace")
    if not namespace:
        return [fail("no nginx_namespace output", "apply stage cluster")]
    items = target.kube_items("deployments", namespace=namespace)
    if not items:
        return [fail(f"no Deployment in namespace {namespace}", "apply stage cluster")]
    results = []
    for dep in items:
        name = dep["metadata"]["name"]
        ready = dep.get("status", {}).get("readyReplicas", 0) or 0
        want = dep.get("spec", {}).get("replicas", 1)
        seen = f"{namespace}: {ready}/{want} ready"
        if ready == 0:
            results.append(fail(seen, f"kubectl -n {namespace} logs deployment/{name}", name))
        elif ready < want:
            results.append(warn(seen, f"kubectl -n {namespace} describe deployment {name}", name))
        else:
            results.append(ok(seen, name))
    return results


def target_group_binding(target: Target) -> list[Result]:
    namespace = target.output(CLUSTER, "nginx_namespace")
    want_arn = target.output(AWS, "alb_target_group_arn")
    items = target.kube_items("targetgroupbindings.elbv2.k8s.aws", namespace=namespace)
    bound = [i for i in items if i.get("spec", {}).get("targetGroupARN") == want_arn]
    if not bound:
        return [fail(f"no TargetGroupBinding for {want_arn} in {namespace}",
                     "apply stage cluster")]
    tgb = bound[0]
    generation = tgb["metadata"].get("generation", 1)
    observed = tgb.get("status", {}).get("observedGeneration")
    seen = f"{tgb['metadata']['name']}: generation {generation}, observed {observed}"
    if observed != generation:
        return [fail(seen, "the AWS Load Balancer Controller has not reconciled it: "
                     "kubectl -n kube-system logs deployment/aws-load-balancer-controller")]
    return [ok(seen)]


def crash_loops(target: Target) -> list[Result]:
    namespaces = [target.namespace]
    nginx = target.output(CLUSTER, "nginx_namespace")
    if nginx:
        namespaces.append(nginx)
    results = []
    total = 0
    for namespace in namespaces:
        for pod in target.kube_items("pods", namespace=namespace):
            total += 1
            for status in pod.get("status", {}).get("containerStatuses", []) or []:
                waiting = (status.get("state") or {}).get("waiting") or {}
                if waiting.get("reason") == "CrashLoopBackOff":
                    name = pod["metadata"]["name"]
                    results.append(fail(
                        f"container {status['name']} in CrashLoopBackOff, "
                        f"{status.get('restartCount', 0)} restarts",
                        f"kubectl -n {namespace} logs {name} -c {status['name']} --previous",
                        f"{namespace}/{name}"))
    return results or [ok(f"{total} pod(s) in {', '.join(namespaces)}, none crash-looping")]


def images(target: Target) -> list[Result]:
    live = _by_name(target.kube_items("deployments"))
    results = []
    for obj in target.rendered("Deployment"):
        name = obj["metadata"]["name"]
        if name not in live:
            continue  # reported by the deployments check
        want = {c["name"]: c["image"] for c in obj["spec"]["template"]["spec"]["containers"]}
        have = {c["name"]: c.get("image") for c in
                live[name]["spec"]["template"]["spec"]["containers"]}
        wrong = {n: (have.get(n), img) for n, img in want.items() if have.get(n) != img}
        if wrong:
            detail = "; ".join(f"{n} runs {h} instead of {w}" for n, (h, w) in wrong.items())
            results.append(fail(detail, "run `tutor k8s start` to roll out the configured image",
                                name))
        else:
            results.append(ok(", ".join(sorted(set(want.values()))), name))
    return results
