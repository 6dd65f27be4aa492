"""The workloads of one config: the table's entries resolved against the config and the
Deployments the render holds, plus the decisions the templates used to take in Jinja
(tutor-contrib-k8s's conditions, the celery arguments).

Two inputs give the same answer: the template functions (workloads/template.py) feed
the other plugins' `k8s-deployments` / `k8s-services` patches and the routes of the
render; `tutor eks check` (policies/) feeds the kustomized objects.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass, replace

from . import (
    CORE,
    GENERIC_SIDECAR,
    JOBS,
    STATIC,
    WEB,
    WORKER,
    Job,
    Workload,
    by_name,
    derived,
    table,
)
from . import with_overrides as _with_overrides

# Deployments that are not Open edX workloads: Tutor's Caddy (removed by this plugin)
# and the data stores (external on EKS; policies/core.py fails a render that keeps them).
NOT_SHAPED = {"caddy", "mysql", "mongodb", "redis", "meilisearch", "smtp", "elasticsearch"}


@dataclass(frozen=True)
class Found:
    """A Deployment seen in the render."""

    name: str
    plugin: str
    containers: tuple[str, ...]
    # The container port a route reaches (through a Service); None: no route.
    routed_port: int | None


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def _container_port(deployment: dict[str, t.Any], target: t.Any) -> int | None:
    """A Service targetPort (number or name) as the container's port number."""
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    for container in deployment["spec"]["template"]["spec"].get("containers", []):
        for port in container.get("ports", []):
            if port.get("name") == target:
                return int(port["containerPort"])
    return None


def find(deployments: t.Sequence[tuple[str, dict[str, t.Any]]],
         services: t.Sequence[dict[str, t.Any]],
         routes: t.Iterable[tuple[str, int]]) -> list[Found]:
    """(plugin, Deployment) pairs, Services and (service, port) routes -> Found.

    A Deployment is behind a route when a routed Service port selects its pods; the
    port its probes use is that Service port's target in the container."""
    routed = set(routes)
    found = []
    for plugin, deployment in deployments:
        name = deployment["metadata"]["name"]
        labels = deployment["spec"]["template"]["metadata"].get("labels", {})
        port = None
        for service in services:
            if not _matches(service.get("spec", {}).get("selector") or {}, labels):
                continue
            for item in service["spec"].get("ports", []):
                if (service["metadata"]["name"], item.get("port")) in routed:
                    port = _container_port(deployment, item.get("targetPort", item["port"]))
                    break
            if port is not None:
                break
        containers = deployment["spec"]["template"]["spec"].get("containers", [])
        found.append(Found(name, plugin, tuple(c["name"] for c in containers), port))
    return found


def _core_from_settings(w: Workload, config: dict[str, t.Any]) -> Workload:
    """A core entry with the values of its dedicated EKS_<PREFIX>_* settings."""
    key = f"EKS_{w.prefix}_"
    values = {
        field: str(config[key + field.upper()])
        for field in ("cpu_request", "cpu_limit", "memory_request", "memory_limit")
        if key + field.upper() in config
    }
    profile = profile_of(config)
    low, high = w.replicas[profile]
    low = int(config.get(key + "MIN_REPLICAS", low))
    high = int(config.get(key + "MAX_REPLICAS", high))
    return replace(w, **values, replicas={**w.replicas, profile: (low, high)},
                   cpu_target=int(config.get(key + "CPU_TARGET", w.cpu_target)))


def _with_sidecars(w: Workload, names: tuple[str, ...]) -> Workload:
    """The pod's further containers as rendered: the table's resources for those it
    names, the generic sidecar's for the others (every container needs requests)."""
    named = {s.container: s for s in w.sidecars}
    sidecars = tuple(
        named.get(name) or replace(GENERIC_SIDECAR, container=name)
        for name in names if name != w.main_container
    )
    return replace(w, sidecars=sidecars, container_order=names)


def profile_of(config: dict[str, t.Any]) -> str:
    return "small" if config.get("EKS_PROFILE") == "small" else "production"


def resolve(config: dict[str, t.Any], found: t.Sequence[Found] | None = None) -> list[Workload]:
    """Every workload of this config, in table order then render order.

    Without ``found`` (no render at hand: settings, `tutor eks scale`), the core entries
    of the enabled plugins. With it, every Deployment of the render: the table's entry
    when it names one, else a generic one (web behind a route, worker without)."""
    plugins = list(config.get("PLUGINS") or [])
    entries = table(plugins)
    known = by_name(entries)
    result: list[Workload] = [w for w in entries if w.name in by_name(CORE) and
                              (found is None or not w.plugin or
                               any(f.name == w.name for f in found))]
    containers: dict[str, tuple[str, ...]] = {}
    if found is not None:
        seen = {w.name for w in result}
        for item in found:
            if item.name in seen or item.name in NOT_SHAPED:
                continue
            seen.add(item.name)
            if item.name in known:
                entry = known[item.name]
                if item.routed_port and entry.kind == WEB and entry.port != item.routed_port:
                    entry = replace(entry, port=item.routed_port)
            else:
                kind = WEB if item.routed_port else WORKER
                entry = derived(item.name, kind, item.plugin,
                                item.containers[0] if item.containers else item.name,
                                item.routed_port or 0)
            result.append(entry)
            containers[item.name] = item.containers
    overrides = config.get("EKS_WORKLOADS") or {}
    profile = profile_of(config)
    shaped = []
    for w in result:
        if w.dedicated_settings:
            w = _core_from_settings(w, config)
        if w.name in overrides:
            w = _with_overrides(w, overrides[w.name], profile)
        if w.name in containers:
            w = _with_sidecars(w, containers[w.name])
        shaped.append(w)
    return shaped


# --- tutor-contrib-k8s ------------------------------------------------------------------


def keda(config: dict[str, t.Any], w: Workload) -> bool:
    """tutor-contrib-k8s scales this Deployment with KEDA: it renders its own scaler."""
    return "k8s" in (config.get("PLUGINS") or []) and bool(
        config.get(f"K8S_{w.k8s_prefix}_KEDA_ENABLE")
    )


def k8s_deletions(config: dict[str, t.Any], names: t.Iterable[str]) -> list[dict[str, str]]:
    """tutor-contrib-k8s's HPAs, PDBs and Caddy VPA that this plugin's replace: the same
    conditions as tutor-k8s's k8s-deployments patch (deleting an absent object fails the
    kustomize build). ``names``: the k8s prefixes of the shaped workloads and caddy."""
    if "k8s" not in (config.get("PLUGINS") or []):
        return []
    found = []
    for w_name, prefix in names:
        key = f"K8S_{prefix}_"
        if key + "HPA_ENABLE" not in config and key + "PDB_ENABLE" not in config:
            continue  # tutor-k8s has no autoscaling keys for this Deployment
        hpa = (config.get(key + "HPA_ENABLE")
               and (config.get(key + "HPA_CPU_ENABLE") or config.get(key + "HPA_MEMORY_ENABLE"))
               and not config.get(key + "KEDA_ENABLE"))
        if hpa:
            found.append({"kind": "HorizontalPodAutoscaler", "api": "autoscaling/v2",
                          "name": f"{w_name}-hpa"})
        if config.get(key + "PDB_ENABLE"):
            found.append({"kind": "PodDisruptionBudget", "api": "policy/v1",
                          "name": f"{w_name}-pdb"})
    if config.get("K8S_CADDY_VPA_ENABLE"):
        found.append({"kind": "VerticalPodAutoscaler", "api": "autoscaling.k8s.io/v1",
                      "name": "caddy-vpa"})
    return found


# --- celery -----------------------------------------------------------------------------

_CONCURRENCY_RE = re.compile(r"^(?:--concurrency(?:=\S+)?|-c(?:=?\S+)?|--autoscale(?:=\S+)?)$")


def sets_concurrency(args: t.Sequence[str]) -> bool:
    """Celery arguments that already fix the pool size (--concurrency, -c, --autoscale,
    with the value joined by `=` or in the next argument)."""
    return any(_CONCURRENCY_RE.match(str(a)) for a in args)


def worker_args(args: t.Sequence[str], concurrency: int) -> list[str]:
    """Tutor's celery arguments, plus `--concurrency` when they set no pool size: Tutor
    sets none, and celery would start one process per CPU of the node."""
    args = [str(a) for a in args]
    return args if sets_concurrency(args) else args + [f"--concurrency={concurrency}"]


# --- views for the templates ------------------------------------------------------------


def job_entries(config: dict[str, t.Any]) -> tuple[Job, ...]:
    return JOBS


def hpa(w: Workload, config: dict[str, t.Any]) -> bool:
    """An HPA, unless KEDA scales it or its bounds are equal: a fixed count for a
    service where autoscaling does not suit. The core Deployments keep their HPA
    whatever the bounds (`tutor eks scale` patches it live)."""
    low, high = w.replicas[profile_of(config)]
    return not keda(config, w) and (w.dedicated_settings or low != high)


def containers(w: Workload) -> list[dict[str, t.Any]]:
    """Every container with its resources and its index in the pod (JSON6902 paths
    address containers by index)."""
    order = list(w.container_order) or [w.main_container]
    items = [(w.main_container, w.cpu_request, w.cpu_limit, w.memory_request, w.memory_limit)]
    items += [(s.container, s.cpu_request, s.cpu_limit, s.memory_request, s.memory_limit)
              for s in w.sidecars]
    return [
        {"name": name, "index": order.index(name), "cpu_request": cr, "cpu_limit": cl,
         "memory_request": mr, "memory_limit": ml}
        for name, cr, cl, mr, ml in items if name in order
    ]


def view(w: Workload, config: dict[str, t.Any]) -> dict[str, t.Any]:
    """What the templates read of one workload."""
    low, high = w.replicas[profile_of(config)]
    return {
        "name": w.name,
        "kind": w.kind,
        "plugin": w.plugin,
        "container": w.main_container,
        "port": w.port,
        "probe": w.probe if w.kind in (WEB, STATIC) else "none",
        "probe_path": w.probe_path,
        "probe_host": w.probe_host,
        "cpu_request": w.cpu_request,
        "cpu_limit": w.cpu_limit,
        "memory_request": w.memory_request,
        "memory_limit": w.memory_limit,
        # Every container with its resources, main container first (JSON6902 paths
        # address containers by index: the render's order).
        "containers": containers(w),
        "min": low,
        "max": high,
        "target": w.cpu_target,
        "keda": keda(config, w),
        # A fixed count (min == max) for a workload where autoscaling does not suit;
        # the core ones keep their HPA whatever the bounds (`tutor eks scale` patches it).
        "hpa": hpa(w, config),
        "replicas": None if hpa(w, config) or keda(config, w) else low,
        "media": w.media,
        "ca_bundle": w.ca_bundle,
        "secrets": w.secrets,
        "uid": w.uid,
        "empty_dirs": [list(d) for d in w.empty_dirs],
        "skips": [list(s) for s in w.skips],
        "celery_variant": w.celery_variant,
        "k8s_prefix": w.k8s_prefix,
        "core": not w.plugin or w.dedicated_settings,
    }


def from_objects(objects: t.Sequence[dict[str, t.Any]],
                 config: dict[str, t.Any]) -> list[tuple[Workload, dict[str, t.Any]]]:
    """(entry, Deployment) of every shaped workload of a kustomized render: the same
    resolution as the templates', with the routes read from the Ingress backends."""
    deployments = [o for o in objects if o.get("kind") == "Deployment"]
    services = [o for o in objects if o.get("kind") == "Service"]
    routes = [
        (path["backend"]["service"]["name"], path["backend"]["service"]["port"].get("number"))
        for o in objects if o.get("kind") == "Ingress"
        for rule in o["spec"].get("rules", [])
        for path in rule.get("http", {}).get("paths", [])
    ]
    found = find([("", d) for d in deployments], services, routes)
    by_deployment = {d["metadata"]["name"]: d for d in deployments}
    return [(w, by_deployment[w.name]) for w in resolve(config, found)
            if w.name in by_deployment]
