"""Workload shape of the Open edX Deployments: resources, autoscaling, probes, availability.

Each Deployment (lms, cms, lms-worker, cms-worker and, with the mfe plugin, mfe) gets
the same seven keys, ``EKS_<DEPLOYMENT>_{CPU,MEMORY}_{REQUEST,LIMIT}``,
``EKS_<DEPLOYMENT>_{MIN,MAX}_REPLICAS`` and ``EKS_<DEPLOYMENT>_CPU_TARGET``. The
resource defaults are templates over the process counts (uwsgi processes for lms and
cms, celery concurrency for the workers), so they follow a change of those counts;
docs/workloads.md explains the numbers.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from .. import capacity
from . import Rule, Setting
from .validators import (
    MEMORY_RE,
    Choice,
    Integer,
    RenderedInteger,
    Validator,
    cpu,
    memory,
    quantity_text,
    whole_number,
)

# Spread over zones: a preference (ScheduleAnyway) or a hard rule (DoNotSchedule).
SPREAD_POLICIES = ("ScheduleAnyway", "DoNotSchedule")


@dataclass(frozen=True)
class Workload:
    deployment: str
    cpu_request: str
    cpu_limit: str
    memory_request: str
    memory_limit: str
    # (min, max) replicas per EKS_PROFILE: the maxima must fit the profile's node group
    # (policies/capacity.py checks it; docs/workloads.md, "Capacity", shows the sums).
    replicas: dict[str, tuple[int, int]]
    cpu_target: int

    @property
    def prefix(self) -> str:
        return self.deployment.upper().replace("-", "_")

    def replicas_default(self, bound: int) -> str:
        """A default that follows EKS_PROFILE (Tutor renders it to a number on load)."""
        production = self.replicas["production"][bound]
        small = self.replicas["small"][bound]
        return f"{{{{ {small} if EKS_PROFILE == 'small' else {production} }}}}"


# The small profile (4 x m6i.large) holds one web pod of 1 CPU per node next to the
# system pods: its maxima add up to what `tutor eks check` shows fits (docs/workloads.md).
REPLICAS: dict[str, dict[str, tuple[int, int]]] = {
    "lms": {"production": (2, 10), "small": (1, 2)},
    "cms": {"production": (2, 6), "small": (1, 2)},
    "lms-worker": {"production": (1, 6), "small": (1, 2)},
    "cms-worker": {"production": (1, 4), "small": (1, 1)},
    "mfe": {"production": (2, 4), "small": (1, 2)},
}


def _uwsgi(variant: str) -> str:
    return f"(OPENEDX_{variant}_UWSGI_WORKERS|int)"


def _celery(variant: str) -> str:
    return f"(EKS_{variant}_WORKER_CONCURRENCY|int)"


# uwsgi processes are single-threaded: one process uses at most one core, so the CPU
# limit is one core per process and the request half of it (web traffic is bursty).
# Memory: ~512 MiB for the uwsgi master and the shared, copy-on-write code, plus
# ~768 MiB per process once warm; the limit leaves 1 GiB per process of headroom for
# large requests. With Tutor's 2 processes: 1 CPU / 2 GiB requested (Tutor's own
# request is 2Gi), 2 CPU / 3 GiB limit.
# Celery prefork children: a quarter core each requested (most tasks wait on MySQL,
# Mongo or HTTP), one core each as limit; ~512 MiB per child plus the main process,
# twice that as limit (course imports and grade reports are memory-hungry).
WORKLOADS: tuple[Workload, ...] = tuple(
    [
        Workload(
            name,
            f"{{{{ {_uwsgi(variant)} * 500 }}}}m",
            f"{{{{ {_uwsgi(variant)} }}}}",
            f"{{{{ 512 + {_uwsgi(variant)} * 768 }}}}Mi",
            f"{{{{ 1024 + {_uwsgi(variant)} * 1024 }}}}Mi",
            REPLICAS[name],
            75,
        )
        for name, variant in (("lms", "LMS"), ("cms", "CMS"))
    ]
    + [
        Workload(
            f"{name}-worker",
            f"{{{{ {_celery(variant)} * 250 }}}}m",
            f"{{{{ {_celery(variant)} }}}}",
            f"{{{{ 512 + {_celery(variant)} * 512 }}}}Mi",
            f"{{{{ 1024 + {_celery(variant)} * 1024 }}}}Mi",
            REPLICAS[f"{name}-worker"],
            80,
        )
        for name, variant in (("lms", "LMS"), ("cms", "CMS"))
    ]
    # The mfe Deployment is a Caddy serving static files: tiny and cheap to replicate.
    + [Workload("mfe", "50m", "500m", "64Mi", "256Mi", REPLICAS["mfe"], 75)]
)


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

_MEMORY_UNITS = {
    "": 1,
    "K": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
}


def cpu_millis(value: t.Any) -> float:
    """'500m' -> 500, '2' or 2 -> 2000 (values already passed the cpu() validator)."""
    text = quantity_text(value)
    return float(text[:-1]) if text.endswith("m") else float(text) * 1000


def memory_bytes(value: t.Any) -> int:
    """'512Mi' -> bytes (values already passed the memory() validator)."""
    number, unit = MEMORY_RE.match(quantity_text(value)).groups()  # type: ignore[union-attr]
    return int(number) * _MEMORY_UNITS[unit or ""]


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


# Where each Deployment's resource defaults come from (the formulas of WORKLOADS).
_SOURCES = {
    "LMS": "OPENEDX_LMS_UWSGI_WORKERS",
    "CMS": "OPENEDX_CMS_UWSGI_WORKERS",
    "LMS_WORKER": "EKS_LMS_WORKER_CONCURRENCY",
    "CMS_WORKER": "EKS_CMS_WORKER_CONCURRENCY",
}


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
    "OPENEDX_LMS_UWSGI_WORKERS": Integer(1, 512),
    "OPENEDX_CMS_UWSGI_WORKERS": Integer(1, 512),
}


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
    _replicas_rule, _requests_rule, _derived_rule, _grace_rule, _k8s_plugin_rule
]
