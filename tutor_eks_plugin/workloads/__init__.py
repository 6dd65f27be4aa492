"""The workload table: every Open edX Deployment and Job this plugin shapes, written once.

Each entry says what the templates, the settings, the policies of `tutor eks check`
and the capacity figures need to know about a workload: its kind (web, worker or
static), the port and Host header of its health check, its resource and replica
defaults, its CPU target, whether it mounts media, reads the CA bundle and the
data-store secrets, and its tutor-contrib-k8s key prefix. Everything else that used
to repeat the list (templates, policies, settings) loops over this table.

- ``CORE``: the Deployments of Tutor itself (lms, cms, their workers) and of the mfe
  plugin. Their values have dedicated ``EKS_<NAME>_*`` settings (settings/workloads.py).
- ``KNOWN``: the official plugins' services (notes, credentials, discovery, xqueue),
  shaped when their plugin renders them; values overridable through ``EKS_WORKLOADS``.
- ``GENERIC_WEB`` / ``GENERIC_WORKER``: the safe defaults of a Deployment no table
  entry names (a third-party plugin's), found in the render (workloads/discover.py).
- ``JOBS``: the init and client Jobs that run Open edX code or the mysql client.

Pure data and no heavy import: the settings read it on every `tutor config save`.
Other plugins add or change entries through ``tutor_eks_plugin.hooks.WORKLOADS``.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, replace

WEB, WORKER, STATIC = "web", "worker", "static"
KINDS = (WEB, WORKER, STATIC)
# Probe kinds: "http" (startup probe on the health path; readiness and liveness on the
# TCP port), "tcp" (all three on the TCP port), "none" (celery-like workers).
PROBES = ("http", "tcp", "none")
PROFILES = ("production", "small")


@dataclass(frozen=True)
class Sidecar:
    """A further container of a workload's pod, with its own resources."""

    container: str
    cpu_request: str
    cpu_limit: str
    memory_request: str
    memory_limit: str


# A further container no entry names (another plugin's sidecar): small, bounded.
GENERIC_SIDECAR = Sidecar("", "50m", "500m", "128Mi", "256Mi")


@dataclass(frozen=True)
class Workload:
    name: str
    kind: str
    cpu_request: str
    cpu_limit: str
    memory_request: str
    memory_limit: str
    # (min, max) replicas per EKS_PROFILE. min == max: a fixed count (no HPA), for a
    # service where autoscaling does not suit (docs/workloads.md, "Autoscaling").
    replicas: dict[str, tuple[int, int]]
    cpu_target: int = 75
    # The plugin that renders it ("" for Tutor itself): shaped only when enabled.
    plugin: str = ""
    container: str = ""
    port: int = 0
    probe: str = "none"
    probe_path: str = ""
    probe_host: str = ""
    # Where the probe path and Host header are read from (shown in docs/workloads.md).
    probe_source: str = ""
    media: bool = False
    ca_bundle: bool = False
    secrets: bool = False
    # uid the pod runs as; the image's own user (1000 is Tutor's `app`).
    uid: int = 1000
    # Writable emptyDirs (volume name, mount path) for an image that writes outside /tmp.
    empty_dirs: tuple[tuple[str, str], ...] = ()
    # tutor-contrib-k8s key prefix (K8S_<prefix>_HPA_ENABLE, ..._KEDA_ENABLE, ...).
    k8s_prefix: str = ""
    # Celery worker of this Open edX variant (lms, cms): `--concurrency` is added.
    celery_variant: str = ""
    sidecars: tuple[Sidecar, ...] = ()
    # Django processes per pod that hold a MySQL connection, for the capacity figures
    # (policies/capacity.py) when the render does not say (lms/cms: uwsgi's
    # UWSGI_WORKERS or Tutor's default; workers: celery's --concurrency). 0: none known.
    mysql_processes: int = 0
    # The pod's container names in render order (found in the render; () = main only).
    container_order: tuple[str, ...] = ()
    # Checkov checks skipped for this workload only, with the reason (annotations).
    skips: tuple[tuple[str, str], ...] = ()
    # Dedicated EKS_<PREFIX>_* settings hold the resources and replicas (core only).
    dedicated_settings: bool = False
    # Known from the table, or derived from the render (a third-party Deployment).
    derived: bool = False

    @property
    def prefix(self) -> str:
        return self.name.upper().replace("-", "_")

    @property
    def deployment(self) -> str:
        return self.name

    @property
    def main_container(self) -> str:
        return self.container or self.name

    def replicas_default(self, bound: int) -> str:
        """A default that follows EKS_PROFILE (Tutor renders it to a number on load)."""
        production = self.replicas["production"][bound]
        small = self.replicas["small"][bound]
        return f"{{{{ {small} if EKS_PROFILE == 'small' else {production} }}}}"


@dataclass(frozen=True)
class Job:
    """An init or client Job. Requests and limits let the scheduler place it on a node
    with room, and keep a runaway migration from starving the serving pods."""

    name: str
    container: str
    cpu_request: str = "250m"
    cpu_limit: str = "1"
    memory_request: str = "512Mi"
    memory_limit: str = "2Gi"
    media: bool = False
    ca_bundle: bool = True
    # Which secret reader (settings/secrets.py: OPENEDX or MYSQL_JOB) it is.
    secrets_reader: str = ""
    uid: int = 1000
    skips: tuple[tuple[str, str], ...] = ()


def _uwsgi(variant: str) -> str:
    return f"(OPENEDX_{variant}_UWSGI_WORKERS|int)"


def _celery(variant: str) -> str:
    return f"(EKS_{variant}_WORKER_CONCURRENCY|int)"


WORKER_SKIPS = (
    ("CKV_K8S_8", "celery workers get no liveness probe: celery inspect ping would load "
     "Django in the pod and restart every worker on a broker stall (docs/workloads.md)"),
    ("CKV_K8S_9", "celery workers serve no Service, so a readiness probe has no effect "
     "(docs/workloads.md)"),
)
_HEARTBEAT = ("edx-platform's /heartbeat view (openedx/core/djangoapps/heartbeat); "
              "the Host is the in-cluster service name, in Tutor's ALLOWED_HOSTS")


# uwsgi processes are single-threaded: one process uses at most one core, so the CPU
# limit is one core per process and the request half of it (web traffic is bursty).
# Memory: ~512 MiB for the uwsgi master and the shared, copy-on-write code, plus
# ~768 MiB per process once warm; the limit leaves 1 GiB per process of headroom for
# large requests. With Tutor's 2 processes: 1 CPU / 2 GiB requested (Tutor's own
# request is 2Gi), 2 CPU / 3 GiB limit.
# Celery prefork children: a quarter core each requested (most tasks wait on MySQL,
# Mongo or HTTP), one core each as limit; ~512 MiB per child plus the main process,
# twice that as limit (course imports and grade reports are memory-hungry).
# The small profile (4 x m6i.large) holds one web pod of 1 CPU per node next to the
# system pods: its maxima add up to what `tutor eks check` shows fits (docs/workloads.md).
CORE: tuple[Workload, ...] = (
    *(
        Workload(
            name, WEB,
            f"{{{{ {_uwsgi(variant)} * 500 }}}}m",
            f"{{{{ {_uwsgi(variant)} }}}}",
            f"{{{{ 512 + {_uwsgi(variant)} * 768 }}}}Mi",
            f"{{{{ 1024 + {_uwsgi(variant)} * 1024 }}}}Mi",
            replicas, 75,
            port=8000, probe="http", probe_path="/heartbeat", probe_host=name,
            probe_source=_HEARTBEAT,
            media=True, ca_bundle=True, secrets=True, k8s_prefix=variant,
            dedicated_settings=True,
        )
        for name, variant, replicas in (
            ("lms", "LMS", {"production": (2, 10), "small": (1, 2)}),
            ("cms", "CMS", {"production": (2, 6), "small": (1, 2)}),
        )
    ),
    *(
        Workload(
            f"{variant.lower()}-worker", WORKER,
            f"{{{{ {_celery(variant)} * 250 }}}}m",
            f"{{{{ {_celery(variant)} }}}}",
            f"{{{{ 512 + {_celery(variant)} * 512 }}}}Mi",
            f"{{{{ 1024 + {_celery(variant)} * 1024 }}}}Mi",
            replicas, 80,
            media=True, ca_bundle=True, secrets=True, k8s_prefix=f"{variant}_WORKER",
            celery_variant=variant.lower(), skips=WORKER_SKIPS, dedicated_settings=True,
        )
        for variant, replicas in (
            ("LMS", {"production": (1, 6), "small": (1, 2)}),
            ("CMS", {"production": (1, 4), "small": (1, 1)}),
        )
    ),
    # The mfe Deployment is a Caddy serving static files: tiny and cheap to replicate.
    # The Caddy image defaults to root but needs none (port 8002): it runs as 1000 with
    # writable emptyDirs for Caddy's /config and /data.
    Workload(
        "mfe", STATIC, "50m", "500m", "64Mi", "256Mi",
        {"production": (2, 4), "small": (1, 2)}, 75,
        plugin="mfe", port=8002, probe="http", probe_path="/",
        probe_source="tutor-mfe's Caddyfile serves every MFE under / on port 8002",
        empty_dirs=(("caddy-config", "/config"), ("caddy-data", "/data")),
        k8s_prefix="MFE", dedicated_settings=True,
        skips=(("CKV_K8S_40", "the upstream image (the MFE's Caddy) has its own low uid "
                "(1000); a uid above 10000 would not own its files"),),
    ),
)

# The official plugins' services (Tutor 22). Each is a Django app with two worker
# processes (the plugins' Dockerfiles: `uwsgi --processes=2`, notes `gunicorn
# --workers=2`; hence mysql_processes=2), so the requests follow the
# lms pattern for two processes, scaled down: these services see a fraction of the LMS
# traffic. Probe paths and Host headers are the services' own health views (cited per
# entry); the Host is the name each plugin puts into the service's ALLOWED_HOSTS.
# The CA bundle: every plugin whose templates hold Django settings gets it with its
# data-store wiring (render/settings_patches.py), so these entries leave it False.
_SERVICE_REPLICAS = {"production": (2, 4), "small": (1, 1)}
KNOWN: tuple[Workload, ...] = (
    Workload(
        "notes", WEB, "250m", "1", "384Mi", "768Mi", _SERVICE_REPLICAS,
        plugin="notes", port=8000, probe="http", probe_path="/heartbeat/",
        probe_host="notes",
        probe_source="openedx/edx-notes-api notesserver/urls.py: `heartbeat/` "
        "(views.heartbeat); tutor-notes' settings put `notes` into ALLOWED_HOSTS",
        k8s_prefix="NOTES", mysql_processes=2,
    ),
    Workload(
        "credentials", WEB, "250m", "1", "512Mi", "1Gi", _SERVICE_REPLICAS,
        plugin="credentials", port=8000, probe="http", probe_path="/health/",
        probe_host="credentials",
        probe_source="openedx/credentials credentials/urls.py: `health/` "
        "(core views.health); tutor-credentials' settings allow the `credentials` host",
        k8s_prefix="CREDENTIALS", mysql_processes=2,
    ),
    Workload(
        "discovery", WEB, "250m", "1", "512Mi", "1536Mi", _SERVICE_REPLICAS,
        plugin="discovery", port=8000, probe="http", probe_path="/health/",
        probe_host="discovery",
        probe_source="openedx/course-discovery course_discovery/urls.py: `health/` "
        "(core views.health); tutor-discovery's settings allow the `discovery` host",
        k8s_prefix="DISCOVERY", mysql_processes=2,
    ),
    Workload(
        "xqueue", WEB, "100m", "500m", "256Mi", "512Mi", _SERVICE_REPLICAS,
        plugin="xqueue", port=8000, probe="http", probe_path="/xqueue/status/",
        probe_host="xqueue",
        probe_source="openedx/xqueue xqueue/urls.py includes submission_queue/urls.py under "
        "`xqueue/`, whose `status/` is views.status; tutor-xqueue's settings allow the "
        "`xqueue` host",
        k8s_prefix="XQUEUE",
        # Two uwsgi processes and the consumer loop's Django process.
        mysql_processes=3,
        # tutor-xqueue runs the push-queue consumer loop (`manage.py run_consumer` every
        # 10 s) as a second container of the same pod: a Django process at rest.
        sidecars=(Sidecar("xqueue-consumer", "50m", "500m", "192Mi", "384Mi"),),
        # checkov reads probes per container: the consumer loop has no port and no
        # health command (the xqueue container beside it is probed).
        skips=(
            ("CKV_K8S_8", "the xqueue-consumer container is a polling loop without a port "
             "or health command; the xqueue container is probed (docs/workloads.md)"),
            ("CKV_K8S_9", "the xqueue-consumer container serves no traffic; the xqueue "
             "container has the readiness probe (docs/workloads.md)"),
        ),
    ),
)

# A third-party Deployment behind a route: small, replicated, probed on the TCP port
# the route targets (its health endpoint, if any, is not known).
GENERIC_WEB = Workload(
    "", WEB, "100m", "1", "256Mi", "512Mi", {"production": (2, 4), "small": (1, 2)},
    probe="tcp", derived=True,
)
# A third-party Deployment without a route: a worker, no probe (nothing to ask).
GENERIC_WORKER = Workload(
    "", WORKER, "100m", "1", "256Mi", "512Mi", {"production": (2, 4), "small": (1, 2)},
    derived=True,
    skips=(
        ("CKV_K8S_8", "a Deployment of another plugin without a route: the eks plugin "
         "knows no health command for it (docs/workloads.md, \"Other plugins\")"),
        ("CKV_K8S_9", "a Deployment of another plugin without a route serves no traffic, "
         "so a readiness probe has no effect (docs/workloads.md)"),
    ),
)

# lms/cms jobs run Django migrations (1-2 GiB resident at peak); mysql-job is a mysql
# client. secrets_reader: the reader names of settings/secrets.py (OPENEDX, MYSQL_JOB).
JOBS: tuple[Job, ...] = (
    Job("lms-job", "lms", "500m", "2", "1Gi", "3Gi", media=True, secrets_reader="openedx"),
    Job("cms-job", "cms", "500m", "2", "1Gi", "3Gi", media=True, secrets_reader="openedx"),
    # The mysql client image runs as its own mysql user (999).
    Job("mysql-job", "mysql", "100m", "2", "128Mi", "512Mi", secrets_reader="mysql-job",
        uid=999,
        skips=(("CKV_K8S_40", "the upstream image (mysql) has its own low uid (999); a "
                "uid above 10000 would not own its files"),)),
)

# Another plugin's Job (its init/migration job, e.g. notes-job): a Django migration,
# sized like a small one; every container gets these.
GENERIC_JOB = Job("", "", ca_bundle=False)

# Keys of an EKS_WORKLOADS entry, with the Workload field each sets.
OVERRIDE_FIELDS = (
    "cpu_request", "cpu_limit", "memory_request", "memory_limit",
    "min_replicas", "max_replicas", "cpu_target",
    "port", "probe", "probe_path", "probe_host", "media", "skips",
)


def table(plugins: t.Sequence[str] = ()) -> tuple[Workload, ...]:
    """CORE and KNOWN entries (those whose plugin is enabled, when ``plugins`` is given),
    after the WORKLOADS filter of other plugins."""
    from ..hooks import WORKLOADS

    entries = list(CORE + KNOWN)
    entries = list(WORKLOADS.apply(entries))
    if plugins:
        entries = [w for w in entries if not w.plugin or w.plugin in plugins]
    return tuple(entries)


def by_name(entries: t.Iterable[Workload]) -> dict[str, Workload]:
    return {w.name: w for w in entries}


def derived(name: str, kind: str, plugin: str, container: str, port: int) -> Workload:
    """The generic entry for a Deployment no table entry names."""
    base = GENERIC_WEB if kind == WEB else GENERIC_WORKER
    return replace(base, name=name, plugin=plugin, container=container, port=port,
                   k8s_prefix=name.upper().replace("-", "_"))


def with_overrides(w: Workload, values: dict[str, t.Any], profile: str) -> Workload:
    """An entry with an EKS_WORKLOADS item applied (values already validated)."""
    changes: dict[str, t.Any] = {
        k: v for k, v in values.items()
        if k in OVERRIDE_FIELDS and k not in ("min_replicas", "max_replicas", "skips")
    }
    for key in ("cpu_request", "cpu_limit", "memory_request", "memory_limit"):
        if key in changes:
            changes[key] = str(changes[key])
    if "skips" in values:
        changes["skips"] = tuple(sorted(values["skips"].items()))
    if "min_replicas" in values or "max_replicas" in values:
        low, high = w.replicas[profile]
        bounds = (values.get("min_replicas", low), values.get("max_replicas", high))
        changes["replicas"] = {**w.replicas, profile: bounds}
    if "port" in values and w.probe == "none" and w.kind == WEB:
        changes.setdefault("probe", "tcp")
    return replace(w, **changes)


__all__ = [
    "CORE", "GENERIC_JOB", "GENERIC_SIDECAR", "GENERIC_WEB", "GENERIC_WORKER", "JOBS",
    "KINDS", "KNOWN", "OVERRIDE_FIELDS", "PROBES", "PROFILES", "STATIC", "WEB", "WORKER",
    "Job", "Sidecar", "Workload", "by_name", "derived", "table", "with_overrides",
]
