"""Capacity: the render at its autoscaling maxima must fit the profile's node group and
its RDS instance.

Two figures, printed by `tutor eks check` and failing it when exceeded:

(a) the requests of every rendered Deployment at its HorizontalPodAutoscaler maximum
    (a Deployment without an HPA at its replica count), plus the system pods
    (``capacity.SYSTEM_PODS``), against ``node_max_size`` nodes of the profile's
    instance type: in total, and packed node by node (first fit, largest first), since
    a pod cannot straddle two nodes;
(b) the MySQL connections at those maxima (uwsgi processes and celery processes per
    pod, times the database aliases Django opens) against 80 % of the RDS instance
    class's default max_connections.

Everything is read from the rendered objects where it is rendered (replicas, requests,
celery's --concurrency, UWSGI_WORKERS); docs/workloads.md, "Capacity", gives the
formulas and their sources.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass, field

import yaml

from .. import capacity
from ..settings.validators import cpu_millis, memory_bytes
from ..workloads.shape import from_objects
from . import Objects, named


@dataclass
class PodShape:
    owner: str
    cpu_m: float
    memory: int


@dataclass
class CapacityPlan:
    profile: str
    node: capacity.Node
    nodes: int
    daemon_cpu_m: float = 0.0
    daemon_memory: int = 0
    pods: list[PodShape] = field(default_factory=list)
    replicas: dict[str, int] = field(default_factory=dict)
    unplaced: list[PodShape] = field(default_factory=list)
    nodes_used: int = 0

    @property
    def cpu_total_m(self) -> float:
        return self.node.cpu_allocatable_m * self.nodes

    @property
    def memory_total(self) -> int:
        return self.node.memory_allocatable * self.nodes

    @property
    def cpu_requested_m(self) -> float:
        return sum(p.cpu_m for p in self.pods) + self.daemon_cpu_m * self.nodes

    @property
    def memory_requested(self) -> int:
        return sum(p.memory for p in self.pods) + self.daemon_memory * self.nodes


def _requests(pod_spec: dict[str, t.Any]) -> tuple[float, int]:
    cpu, memory = 0.0, 0
    for container in pod_spec.get("containers", []):
        requests = container.get("resources", {}).get("requests", {})
        if "cpu" in requests:
            cpu += cpu_millis(requests["cpu"])
        if "memory" in requests:
            memory += memory_bytes(requests["memory"])
    return cpu, memory


def _max_replicas(objects: Objects) -> dict[str, int]:
    found: dict[str, int] = {}
    for hpa in named(objects, "HorizontalPodAutoscaler").values():
        ref = hpa["spec"]["scaleTargetRef"]
        if ref.get("kind") == "Deployment":
            found[ref["name"]] = int(hpa["spec"]["maxReplicas"])
    for scaled in (o for o in objects if o.get("kind") == "ScaledObject"):
        found[scaled["spec"]["scaleTargetRef"]["name"]] = int(
            scaled["spec"].get("maxReplicaCount", 100)
        )
    return found


def _pack(plan: CapacityPlan) -> None:
    """First fit, largest first: each node starts with its allocatable minus DaemonSets."""
    free = [
        [plan.node.cpu_allocatable_m - plan.daemon_cpu_m,
         plan.node.memory_allocatable - plan.daemon_memory,
         plan.node.max_pods - _daemon_pods()]
        for _ in range(plan.nodes)
    ]
    used: set[int] = set()
    for pod in sorted(plan.pods, key=lambda p: (p.cpu_m, p.memory), reverse=True):
        for index, room in enumerate(free):
            if pod.cpu_m <= room[0] and pod.memory <= room[1] and room[2] >= 1:
                room[0] -= pod.cpu_m
                room[1] -= pod.memory
                room[2] -= 1
                used.add(index)
                break
        else:
            plan.unplaced.append(pod)
    plan.nodes_used = len(used)


def _daemon_pods() -> int:
    return sum(1 for s in capacity.SYSTEM_PODS if s.replicas == 0)


def plan_for(objects: Objects, config: dict[str, t.Any]) -> CapacityPlan:
    profile = capacity.PROFILES[config["EKS_PROFILE"]]
    plan = CapacityPlan(config["EKS_PROFILE"], capacity.node(profile.node_instance_type),
                        profile.node_max_size)
    for system in capacity.SYSTEM_PODS:
        if system.replicas == 0:
            plan.daemon_cpu_m += system.cpu_m
            plan.daemon_memory += system.memory_mib * capacity.MIB
        else:
            plan.pods += [PodShape(system.name, system.cpu_m, system.memory_mib * capacity.MIB)
                          for _ in range(system.replicas)]
    for daemonset in named(objects, "DaemonSet").values():
        cpu, memory = _requests(daemonset["spec"]["template"]["spec"])
        plan.daemon_cpu_m += cpu
        plan.daemon_memory += memory
    maxima = _max_replicas(objects)
    for name, deployment in named(objects, "Deployment").items():
        count = maxima.get(name, int(deployment["spec"].get("replicas", 1)))
        cpu, memory = _requests(deployment["spec"]["template"]["spec"])
        plan.replicas[name] = count
        plan.pods += [PodShape(name, cpu, memory) for _ in range(count)]
    _pack(plan)
    return plan


def _gib(value: float) -> str:
    return f"{value / capacity.GIB:.1f} GiB"


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "n/a"


def node_figures(plan: CapacityPlan) -> list[str]:
    n = plan.node
    return [
        f"Capacity, EKS_PROFILE={plan.profile}: at most {plan.nodes} x {n.instance_type} "
        f"nodes, each {n.cpu_allocatable_m:.0f}m CPU / {_gib(n.memory_allocatable)} "
        f"allocatable of {n.cpu_capacity_m:.0f}m / {_gib(n.memory_capacity)}, "
        f"{n.max_pods} pods.",
        f"  at the autoscaling maxima the pods request {plan.cpu_requested_m:.0f}m of "
        f"{plan.cpu_total_m:.0f}m CPU ({_percent(plan.cpu_requested_m, plan.cpu_total_m)}) "
        f"and {_gib(plan.memory_requested)} of {_gib(plan.memory_total)} memory "
        f"({_percent(plan.memory_requested, plan.memory_total)}); packed node by node "
        f"they fill {plan.nodes_used} of {plan.nodes} nodes"
        + (f", {len(plan.unplaced)} pods left over." if plan.unplaced else "."),
        "  Open edX at maxima: "
        + ", ".join(f"{name} x{count}" for name, count in sorted(plan.replicas.items()))
        + f"; DaemonSets per node {plan.daemon_cpu_m:.0f}m / {_gib(plan.daemon_memory)}.",
    ]


def node_capacity(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    plan = plan_for(objects, config)
    found = []
    fix = ("lower EKS_<DEPLOYMENT>_MAX_REPLICAS or the requests, or use a larger "
           "EKS_PROFILE (docs/workloads.md, \"Capacity\")")
    if plan.cpu_requested_m > plan.cpu_total_m:
        found.append(
            f"at the autoscaling maxima the pods request {plan.cpu_requested_m:.0f}m CPU, "
            f"more than the {plan.cpu_total_m:.0f}m that {plan.nodes} x "
            f"{plan.node.instance_type} nodes can give pods (EKS_PROFILE={plan.profile}): {fix}"
        )
    if plan.memory_requested > plan.memory_total:
        found.append(
            f"at the autoscaling maxima the pods request {_gib(plan.memory_requested)} memory, "
            f"more than the {_gib(plan.memory_total)} that {plan.nodes} x "
            f"{plan.node.instance_type} nodes can give pods (EKS_PROFILE={plan.profile}): {fix}"
        )
    if plan.unplaced and not found:
        left = sorted({p.owner for p in plan.unplaced})
        found.append(
            f"at the autoscaling maxima {len(plan.unplaced)} pods ({', '.join(left)}) find no "
            f"node with room: the requests fit in total but not node by node on "
            f"{plan.nodes} x {plan.node.instance_type} (EKS_PROFILE={plan.profile}): {fix}"
        )
    return found


# --- MySQL connections ----------------------------------------------------------------

_CONCURRENCY_RE = re.compile(r"^(?:--concurrency=|-c=?)(\d+)$")
_AUTOSCALE_RE = re.compile(r"^--autoscale=(\d+)(?:,\d+)?$")


def _processes(deployment: dict[str, t.Any]) -> int | None:
    """Django processes per pod: celery's --concurrency / --autoscale max, or uwsgi's
    UWSGI_WORKERS. None: the pod is no Django process that talks to MySQL."""
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    args = [str(a) for a in container.get("args", [])]
    if "celery" in " ".join(container.get("command", []) + args) or "worker" in args:
        for index, arg in enumerate(args):
            match = _CONCURRENCY_RE.match(arg) or _AUTOSCALE_RE.match(arg)
            if match:
                return int(match.group(1))
            if arg in ("-c", "--concurrency") and index + 1 < len(args):
                return int(args[index + 1])
    for env in container.get("env", []):
        if env.get("name") == "UWSGI_WORKERS" and str(env.get("value", "")).isdigit():
            return int(env["value"])
    return None


@dataclass
class ConnectionPlan:
    instance_class: str
    max_connections: int
    # name -> (replicas at the maximum, Django processes per pod, database aliases)
    per_deployment: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    @property
    def budget(self) -> int:
        return int(self.max_connections * capacity.MYSQL_CONNECTIONS_BUDGET)

    @property
    def total(self) -> int:
        return sum(r * p * a for r, p, a in self.per_deployment.values())


def _db_aliases(objects: Objects) -> dict[str, int]:
    """Django database aliases per variant, from the rendered `<variant>.env.yml` that
    Tutor's `openedx-config` ConfigMap hands to the pods (Tutor 22 renders only
    `default`; edx-platform routes `read_replica` and `student_module_history` to it
    when they are absent). Each process keeps one connection per alias it uses."""
    found: dict[str, int] = {}
    for configmap in named(objects, "ConfigMap").values():
        for variant in ("lms", "cms"):
            text = (configmap.get("data") or {}).get(f"{variant}.env.yml")
            if text:
                databases = (yaml.safe_load(text) or {}).get("DATABASES") or {"default": {}}
                found[variant] = len(databases)
    return found


def connection_plan(objects: Objects, config: dict[str, t.Any]) -> ConnectionPlan:
    instance_class = capacity.PROFILES[config["EKS_PROFILE"]].mysql_instance_class
    plan = ConnectionPlan(instance_class, capacity.mysql_max_connections(instance_class))
    aliases = _db_aliases(objects)
    maxima = _max_replicas(objects)
    for w, deployment in from_objects(objects, config):
        name = w.name
        processes = _processes(deployment)
        if processes is None and w.dedicated_settings and not w.plugin:
            # Tutor's uwsgi default when the Deployment does not say (processes = 2).
            variant = name.split("-")[0].upper()
            processes = int(config.get(f"OPENEDX_{variant}_UWSGI_WORKERS", 2))
        elif processes is None:
            # Other plugins' services: the table's count (0: no MySQL client known).
            processes = w.mysql_processes
        if not processes:
            continue
        replicas = maxima.get(name, int(deployment["spec"].get("replicas", 1)))
        plan.per_deployment[name] = (replicas, processes, aliases.get(name.split("-")[0], 1))
    return plan


def mysql_figures(plan: ConnectionPlan) -> list[str]:
    parts = ", ".join(
        f"{name} {r} pods x {p} processes x {a} alias{'es' if a > 1 else ''}"
        for name, (r, p, a) in plan.per_deployment.items()
    )
    return [
        f"MySQL connections at the autoscaling maxima: {plan.total} ({parts}) of a budget "
        f"of {plan.budget} (80 % of "
        f"max_connections ~{plan.max_connections} on {plan.instance_class}, "
        f"{_percent(plan.total, plan.budget)} used)."
    ]


def mysql_connections(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    plan = connection_plan(objects, config)
    if plan.total <= plan.budget:
        return []
    return [
        f"at the autoscaling maxima Open edX opens {plan.total} MySQL connections, more than "
        f"80 % of max_connections ({plan.budget} of ~{plan.max_connections} on "
        f"{plan.instance_class}, EKS_PROFILE={config['EKS_PROFILE']}): lower "
        "EKS_<DEPLOYMENT>_MAX_REPLICAS, OPENEDX_*_UWSGI_WORKERS or "
        "EKS_*_WORKER_CONCURRENCY, or use a larger RDS class (docs/workloads.md, \"Capacity\")"
    ]


def figures(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    return node_figures(plan_for(objects, config)) + mysql_figures(
        connection_plan(objects, config)
    )


POLICIES = [node_capacity, mysql_connections]
FIGURES = [figures]
