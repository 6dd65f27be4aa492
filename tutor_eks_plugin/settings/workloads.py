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

from . import MEMORY_RE, Choice, Integer, Rule, Setting, cpu, memory

# Spread over zones: a preference (ScheduleAnyway) or a hard rule (DoNotSchedule).
SPREAD_POLICIES = ("ScheduleAnyway", "DoNotSchedule")


@dataclass(frozen=True)
class Workload:
    deployment: str
    cpu_request: str
    cpu_limit: str
    memory_request: str
    memory_limit: str
    min_replicas: int
    max_replicas: int
    cpu_target: int

    @property
    def prefix(self) -> str:
        return self.deployment.upper().replace("-", "_")


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
            2,
            max_replicas,
            75,
        )
        for name, variant, max_replicas in (("lms", "LMS", 10), ("cms", "CMS", 6))
    ]
    + [
        Workload(
            f"{name}-worker",
            f"{{{{ {_celery(variant)} * 250 }}}}m",
            f"{{{{ {_celery(variant)} }}}}",
            f"{{{{ 512 + {_celery(variant)} * 512 }}}}Mi",
            f"{{{{ 1024 + {_celery(variant)} * 1024 }}}}Mi",
            1,
            max_replicas,
            80,
        )
        for name, variant, max_replicas in (("lms", "LMS", 6), ("cms", "CMS", 4))
    ]
    # The mfe Deployment is a Caddy serving static files: tiny and cheap to replicate.
    + [Workload("mfe", "50m", "500m", "64Mi", "256Mi", 2, 4, 75)]
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
            w.min_replicas,
            Integer(1, 100),
            f"Fewest {name} pods the HorizontalPodAutoscaler keeps.",
        ),
        Setting(
            f"{w.prefix}_MAX_REPLICAS",
            w.max_replicas,
            Integer(1, 200),
            f"Most {name} pods the HorizontalPodAutoscaler starts.",
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


def cpu_millis(value: str) -> float:
    """'500m' -> 500, '2' -> 2000 (values already passed the cpu() validator)."""
    return float(value[:-1]) if value.endswith("m") else float(value) * 1000


def memory_bytes(value: str) -> int:
    """'512Mi' -> bytes (values already passed the memory() validator)."""
    number, unit = MEMORY_RE.match(value).groups()  # type: ignore[union-attr]
    return int(number) * _MEMORY_UNITS[unit or ""]


def _replicas_rule(config: dict[str, t.Any]) -> list[str]:
    found = []
    for w in WORKLOADS:
        low, high = (config.get(f"EKS_{w.prefix}_{k}_REPLICAS") for k in ("MIN", "MAX"))
        if isinstance(low, int) and isinstance(high, int) and low > high:
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
            if isinstance(request, str) and isinstance(limit, str):
                if measure(request) > measure(limit):
                    found.append(
                        f"EKS_{w.prefix}_{resource}_REQUEST={request} is above "
                        f"EKS_{w.prefix}_{resource}_LIMIT={limit}: a request must not "
                        "exceed its limit."
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


RULES: list[Rule] = [_replicas_rule, _requests_rule, _grace_rule, _k8s_plugin_rule]
