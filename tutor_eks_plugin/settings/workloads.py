"""Workload settings: resources, autoscaling, probes, availability.

The workloads themselves are listed once, in tutor_eks_plugin/workloads/. Each core
Deployment (lms, cms, lms-worker, cms-worker and, with the mfe plugin, mfe) gets
the same seven keys, ``EKS_<DEPLOYMENT>_{CPU,MEMORY}_{REQUEST,LIMIT}``,
``EKS_<DEPLOYMENT>_{MIN,MAX}_REPLICAS`` and ``EKS_<DEPLOYMENT>_CPU_TARGET``. The
resource defaults are templates over the process counts (uwsgi processes for lms and
cms, celery concurrency for the workers), so they follow a change of those counts;
docs/workloads.md explains the numbers. Every other workload (the official plugins'
services, third-party Deployments) takes its values from the table, overridden per
workload by EKS_WORKLOADS.
"""

from __future__ import annotations

import typing as t

from .. import capacity
from ..workloads import CORE, WEB, Workload
from . import Rule, Setting
from .validators import (
    Choice,
    Integer,
    RenderedInteger,
    Validator,
    cpu,
    cpu_millis,
    memory,
    memory_bytes,
    whole_number,
)
from .workloads_override import WorkloadOverrides

# Spread over zones: a preference (ScheduleAnyway) or a hard rule (DoNotSchedule).
SPREAD_POLICIES = ("ScheduleAnyway", "DoNotSchedule")

# The Deployments with dedicated EKS_<NAME>_* keys: the core of the workload table.
WORKLOADS: tuple[Workload, ...] = CORE


def _workload_settings(w: Workload) -> list[Setting]:
    name = w.deployment
    return [
        Setting(
            f"{w.prefix}_CPU_REQUEST",
            w.cpu_request,
            cpu(),
            f"CPU request of the {name} container (the HPA's 100%).",
        ),
        Setting(f"{w.prefix}_CPU_LIMIT", w.cpu_limit, cpu(), f"CPU limit of the {name} container."),
        Setting(
            f"{w.prefix}_MEMORY_REQUEST",
            w.memory_request,
            memory(),
            f"Memory request of the {name} container.",
        ),
        Setting(
            f"{w.prefix}_MEMORY_LIMIT",
            w.memory_limit,
            memory(),
            f"Memory limit of the {name} container (exceeding it restarts the pod).",
        ),
        Setting(
            f"{w.prefix}_MIN_REPLICAS",
            w.replicas_default(0),
            RenderedInteger(1, 100),
            f"Fewest {name} pods the HorizontalPodAutoscaler keeps "
            f"({w.replicas['production'][0]}; {w.replicas['small'][0]} with EKS_PROFILE=small).",
        ),
        Setting(
            f"{w.prefix}_MAX_REPLICAS",
            w.replicas_default(1),
            RenderedInteger(1, 200),
            f"Most {name} pods the HorizontalPodAutoscaler starts "
            f"({w.replicas['production'][1]}; {w.replicas['small'][1]} with EKS_PROFILE=small).",
        ),
        Setting(
            f"{w.prefix}_CPU_TARGET",
            w.cpu_target,
            Integer(10, 300),
            f"Average CPU use of the {name} pods, in percent of the request, that the "
            "HorizontalPodAutoscaler aims for.",
        ),
    ]


SETTINGS: list[Setting] = [
    Setting(
        "LMS_WORKER_CONCURRENCY",
        2,
        Integer(1, 32),
        "Celery processes per lms-worker pod (`--concurrency`). Tutor sets none, and "
        "celery then starts one per CPU of the node, whatever the pod's limits.",
    ),
    Setting(
        "CMS_WORKER_CONCURRENCY",
        2,
        Integer(1, 32),
        "Celery processes per cms-worker pod (`--concurrency`).",
    ),
    *[s for w in WORKLOADS for s in _workload_settings(w)],
    Setting(
        "WORKLOADS",
        {},
        WorkloadOverrides(),
        "Per-workload overrides of the workload table (docs/workloads.md), keyed by "
        "Deployment name: e.g. `{notes: {cpu_request: 500m, max_replicas: 6}}`. Keys: "
        "cpu_request, cpu_limit, memory_request, memory_limit, min_replicas, "
        "max_replicas, cpu_target, port, probe (http, tcp, none), probe_path, "
        "probe_host, media, skips (checkov check id -> reason). lms, cms, their "
        "workers and mfe use their EKS_<NAME>_* keys instead.",
    ),
    Setting(
        "HPA_SCALE_UP_WINDOW_SECONDS",
        60,
        Integer(0, 3600),
        "The HorizontalPodAutoscalers scale up on the lowest recommendation of this "
        "window: a one-minute spike does not add pods.",
    ),
    Setting(
        "HPA_SCALE_DOWN_WINDOW_SECONDS",
        300,
        Integer(0, 3600),
        "Scale down only to the highest recommendation of this window (no flapping).",
    ),
    Setting(
        "PROBE_TIMEOUT_SECONDS",
        5,
        Integer(1, 60),
        "Timeout of every probe.",
    ),
    Setting(
        "STARTUP_PROBE_PERIOD_SECONDS",
        10,
        Integer(1, 300),
        "How often the startup probe calls /heartbeat while a pod starts.",
    ),
    Setting(
        "STARTUP_PROBE_FAILURE_THRESHOLD",
        30,
        Integer(1, 1000),
        "Failed startup probes before the pod is restarted (period x threshold is the "
        "longest allowed start: 5 minutes by default).",
    ),
    Setting(
        "READINESS_PROBE_PERIOD_SECONDS",
        10,
        Integer(1, 300),
        "How often the readiness probe runs.",
    ),
    Setting(
        "READINESS_PROBE_FAILURE_THRESHOLD",
        3,
        Integer(1, 100),
        "Failed readiness probes before the pod stops receiving traffic.",
    ),
    Setting(
        "LIVENESS_PROBE_PERIOD_SECONDS",
        20,
        Integer(1, 300),
        "How often the liveness probe runs.",
    ),
    Setting(
        "LIVENESS_PROBE_FAILURE_THRESHOLD",
        3,
        Integer(1, 100),
        "Failed liveness probes before the container is restarted.",
    ),
    Setting(
        "PRESTOP_SLEEP_SECONDS",
        15,
        Integer(0, 300),
        "Web pods keep serving this long after they are told to stop, while the "
        "ingress controller removes them from its upstreams.",
    ),
    Setting(
        "TERMINATION_GRACE_PERIOD_SECONDS",
        60,
        Integer(1, 3600),
        "Time a web pod (lms, cms, mfe) gets to stop, preStop pause included.",
    ),
    Setting(
        "WORKER_TERMINATION_GRACE_PERIOD_SECONDS",
        300,
        Integer(1, 7200),
        "Time a celery worker gets to finish its running tasks after SIGTERM.",
    ),
    Setting(
        "ZONE_SPREAD",
        "ScheduleAnyway",
        Choice(list(SPREAD_POLICIES)),
        "Zone spread of the pods: a strong preference (ScheduleAnyway) or a hard rule "
        "that can leave pods Pending when one zone lacks room (DoNotSchedule).",
    ),
]

def _replicas_rule(config: dict[str, t.Any]) -> list[str]:
    found = []
    for w in WORKLOADS:
        low, high = (config.get(f"EKS_{w.prefix}_{k}_REPLICAS") for k in ("MIN", "MAX"))
        if low is None or high is None:
            continue
        low, high = whole_number(low), whole_number(high)
        if low > high:
            found.append(
                f"EKS_{w.prefix}_MIN_REPLICAS={low} is above EKS_{w.prefix}_MAX_REPLICAS="
                f"{high}: the minimum must be at most the maximum."
            )
    return found


def _requests_rule(config: dict[str, t.Any]) -> list[str]:
    found = []
    for w in WORKLOADS:
        for resource, measure in (("CPU", cpu_millis), ("MEMORY", memory_bytes)):
            request = config.get(f"EKS_{w.prefix}_{resource}_REQUEST")
            limit = config.get(f"EKS_{w.prefix}_{resource}_LIMIT")
            if request is not None and limit is not None:
                if measure(request) > measure(limit):
                    found.append(
                        f"EKS_{w.prefix}_{resource}_REQUEST={request} is above "
                        f"EKS_{w.prefix}_{resource}_LIMIT={limit}: a request must not "
                        "exceed its limit."
                    )
    return found


def _source(w: Workload) -> str | None:
    """The key a core Deployment's resource defaults follow (the formulas of CORE)."""
    if w.celery_variant:
        return f"EKS_{w.celery_variant.upper()}_WORKER_CONCURRENCY"
    if w.kind == WEB and not w.plugin:
        return f"OPENEDX_{w.prefix}_UWSGI_WORKERS"
    return None


_SOURCES = {w.prefix: source for w in WORKLOADS if (source := _source(w))}


def _derived_rule(config: dict[str, t.Any]) -> list[str]:
    """What the templates derive must make sense: a request above zero, and requests
    (limits) that one node of the profile's instance type can give (has)."""
    if config.get("EKS_PROFILE") not in capacity.PROFILES:
        return []
    node = capacity.profile_node(config)
    found = []
    for w in WORKLOADS:
        source = _SOURCES.get(w.prefix)
        origin = f" (its default follows {source}={config.get(source)!r})" if source else ""
        for resource, measure, allocatable, total, show in (
            ("CPU", cpu_millis, node.cpu_allocatable_m, node.cpu_capacity_m,
             lambda v: f"{v:.0f}m"),
            ("MEMORY", memory_bytes, node.memory_allocatable, node.memory_capacity,
             lambda v: f"{v / 2**20:.0f}Mi"),
        ):
            request_key = f"EKS_{w.prefix}_{resource}_REQUEST"
            limit_key = f"EKS_{w.prefix}_{resource}_LIMIT"
            if request_key not in config or limit_key not in config:
                continue
            request, limit = measure(config[request_key]), measure(config[limit_key])
            where = f"one {node.instance_type} node (EKS_PROFILE={config['EKS_PROFILE']})"
            if request <= 0:
                found.append(
                    f"{request_key}={config[request_key]!r}{origin} must be above 0: a pod "
                    f"without a request is never scheduled by size and defeats the CPU "
                    f"HorizontalPodAutoscaler. Set {source or request_key} higher."
                )
            elif request > allocatable:
                found.append(
                    f"{request_key}={config[request_key]!r}{origin} is more than {where} "
                    f"gives pods ({show(allocatable)}): the pod would never be scheduled. "
                    f"Lower {source or request_key}, or use a larger EKS_PROFILE."
                )
            if limit > total:
                found.append(
                    f"{limit_key}={config[limit_key]!r}{origin} is more than {where} has "
                    f"({show(total)}): lower {source or limit_key}."
                )
    return found


# Tutor's own keys the resource formulas read: `|int` would turn a string into 0.
TUTOR_KEYS: dict[str, Validator] = {
    source: Integer(1, 512) for source in _SOURCES.values() if source.startswith("OPENEDX_")
}


def _overrides_rule(config: dict[str, t.Any]) -> list[str]:
    """EKS_WORKLOADS bounds against the table's defaults of the profile: `max_replicas`
    alone must not fall below the default minimum (and the reverse)."""
    from ..workloads import GENERIC_WEB, by_name, table
    from ..workloads.shape import profile_of

    entries = by_name(table(config.get("PLUGINS") or []))
    profile = profile_of(config)
    found = []
    for name, values in (config.get("EKS_WORKLOADS") or {}).items():
        low, high = entries.get(name, GENERIC_WEB).replicas[profile]
        low, high = values.get("min_replicas", low), values.get("max_replicas", high)
        if low > high:
            found.append(
                f"EKS_WORKLOADS: {name} would run between {low} and {high} pods "
                f"(EKS_PROFILE={config.get('EKS_PROFILE')}): set both min_replicas and "
                "max_replicas, the minimum at most the maximum."
            )
    return found


def _grace_rule(config: dict[str, t.Any]) -> list[str]:
    sleep = config.get("EKS_PRESTOP_SLEEP_SECONDS")
    grace = config.get("EKS_TERMINATION_GRACE_PERIOD_SECONDS")
    if isinstance(sleep, int) and isinstance(grace, int) and grace <= sleep:
        return [
            f"EKS_TERMINATION_GRACE_PERIOD_SECONDS={grace} must be above "
            f"EKS_PRESTOP_SLEEP_SECONDS={sleep}: the pause is part of the grace period."
        ]
    return []


def _k8s_plugin_rule(config: dict[str, t.Any]) -> list[str]:
    plugins = config.get("PLUGINS") or []
    if "k8s" in plugins and "mfe" not in plugins:
        return [
            "The k8s plugin (tutor-contrib-k8s) patches the mfe Deployment unconditionally "
            "and breaks the render without the mfe plugin: run "
            "`tutor plugins enable mfe` or `tutor plugins disable k8s`."
        ]
    return []


RULES: list[Rule] = [
    _replicas_rule, _requests_rule, _derived_rule, _grace_rule, _k8s_plugin_rule,
    _overrides_rule,
]
