"""The workload table as template variables (imported on the first render only).

- ``eks_workload_list()``: every workload of the render (core, known plugin services,
  Deployments of other plugins found in their `k8s-deployments` patches), as the
  dicts of ``shape.view``;
- ``eks_workload_jobs()``: the Jobs that run Open edX code or the mysql client;
- ``eks_worker_args(name)``: a celery worker's arguments with `--concurrency` added
  when Tutor's arguments set no pool size;
- ``eks_k8s_deletions()``: the objects of tutor-contrib-k8s this plugin replaces.

Other plugins' Deployments are found by rendering their `k8s-deployments` and
`k8s-services` patches with the render's config (each plugin's own patches, read from
its hooks context), and the routes from the Caddyfile patches (render/routes.py): a
Deployment selected by a routed Service is web, any other a worker.
"""

from __future__ import annotations

import typing as t
import weakref
from dataclasses import asdict

import jinja2
from tutor import hooks

from . import GENERIC_JOB, shape

# One discovery per Renderer (Tutor builds one per `tutor config save` / render and
# keeps its config fixed): several templates ask for the same list.
_CACHE: weakref.WeakKeyDictionary[t.Any, list[t.Any]] = weakref.WeakKeyDictionary()
_PODS: weakref.WeakKeyDictionary[t.Any, list[t.Any]] = weakref.WeakKeyDictionary()


def _rendered_pods(context: jinja2.runtime.Context) -> list[tuple[str, str, list[str]]]:
    """(kind, name, containers) of every rendered Deployment and Job, read once per
    Renderer (rendering Tutor's manifests is the costly part)."""
    from ..render import network_policies

    cached = _PODS.get(context.environment)
    if cached is None:
        cached = network_policies.workloads_for_template(context)
        _PODS[context.environment] = cached
    return cached


def _config(context: jinja2.runtime.Context) -> dict[str, t.Any]:
    return {k: v for k, v in context.get_all().items() if k.isupper()}


def _docs(text: str) -> list[dict[str, t.Any]]:
    from ..render import network_policies

    return network_policies._docs(text)  # libyaml's loader where PyYAML has it


def found_in_render(context: jinja2.runtime.Context, config: dict[str, t.Any]) -> list[shape.Found]:
    """The other plugins' Deployments, and which of them a route reaches."""
    from ..render import routes

    deployments: list[tuple[str, dict[str, t.Any]]] = []
    services: list[dict[str, t.Any]] = []
    for plugin in config.get("PLUGINS") or []:
        if plugin == "eks":
            continue
        items = hooks.Filters.ENV_PATCHES.iterate_from_context(hooks.Contexts.app(plugin).name)
        for name, text in items:
            if name not in ("k8s-deployments", "k8s-services"):
                continue
            for doc in _docs(context.environment.from_string(text).render(context.get_all())):
                if doc.get("kind") == "Deployment":
                    deployments.append((plugin, doc))
                elif doc.get("kind") == "Service":
                    services.append(doc)
    patch = context["patch"]
    ingresses = routes.build_ingresses(config, {n: patch(n) for n in routes.CADDY_PATCHES})
    routed = [(r.service, r.port) for i in ingresses for r in i.routes]
    return shape.find(deployments, services, routed)


@jinja2.pass_context
def eks_workload_list(context: jinja2.runtime.Context) -> list[dict[str, t.Any]]:
    cached = _CACHE.get(context.environment)
    if cached is None:
        config = _config(context)
        found = found_in_render(context, config)
        cached = [shape.view(w, config) for w in shape.resolve(config, found)]
        _CACHE[context.environment] = cached
    return cached


@jinja2.pass_context
def eks_workload_jobs(context: jinja2.runtime.Context) -> list[dict[str, t.Any]]:
    return [asdict(job) for job in shape.job_entries(_config(context))]


@jinja2.pass_context
def eks_workload_pods(
    context: jinja2.runtime.Context, attribute: str
) -> list[tuple[str, str, str]]:
    """(kind, name, container) of the Deployments and Jobs whose entry says
    ``attribute`` (media, ca_bundle): the pods that mount the media volume or the CA
    bundle."""
    return [("Deployment", w["name"], w["container"])
            for w in eks_workload_list(context) if w[attribute]] + [
        ("Job", j["name"], j["container"]) for j in eks_workload_jobs(context) if j[attribute]
    ]


@jinja2.pass_context
def eks_job_resources(context: jinja2.runtime.Context) -> list[dict[str, t.Any]]:
    """Every rendered Job (core and other plugins'), its containers and the resources
    of its table entry (the generic job's for another plugin's)."""
    jobs = {j.name: j for j in shape.job_entries(_config(context))}
    found = []
    for kind, name, containers in _rendered_pods(context):
        if kind != "Job":
            continue
        job = jobs.get(name, GENERIC_JOB)
        found.append({"name": name, "containers": containers, **{
            k: getattr(job, k)
            for k in ("cpu_request", "cpu_limit", "memory_request", "memory_limit")
        }})
    return found


@jinja2.pass_context
def eks_pod_security(context: jinja2.runtime.Context) -> list[dict[str, t.Any]]:
    """Every rendered Deployment and Job (render/network_policies.py's list, core and
    other plugins'), with the uid, writable emptyDirs and uid skips of its table entry
    (uid 1000, Tutor's `app` user, for one the table does not name)."""
    entries = {w["name"]: w for w in eks_workload_list(context)}
    jobs = {j.name: j for j in shape.job_entries(_config(context))}
    pods = []
    for kind, name, containers in _rendered_pods(context):
        entry = entries.get(name) if kind == "Deployment" else None
        job = jobs.get(name) if kind == "Job" else None
        uid = entry["uid"] if entry else job.uid if job else 1000
        pods.append({
            "kind": kind, "name": name, "containers": containers, "uid": uid,
            "empty_dirs": entry["empty_dirs"] if entry else [],
            # Deployments carry their skips on the workloads patch; Jobs here.
            "skips": [list(s) for s in job.skips] if job else [],
        })
    return pods


def eks_worker_args(variant: str, concurrency: t.Any) -> list[str]:
    command = (hooks.Filters.LMS_WORKER_COMMAND if variant == "lms"
               else hooks.Filters.CMS_WORKER_COMMAND)
    return shape.worker_args(list(command.iterate()), int(concurrency))


@jinja2.pass_context
def eks_k8s_deletions(context: jinja2.runtime.Context) -> list[dict[str, str]]:
    config = _config(context)
    names = [(w["name"], w["k8s_prefix"]) for w in eks_workload_list(context)]
    return shape.k8s_deletions(config, [*names, ("caddy", "CADDY")])


TEMPLATE_VARIABLES: list[tuple[str, t.Any]] = [
    ("eks_workload_list", eks_workload_list),
    ("eks_workload_jobs", eks_workload_jobs),
    ("eks_workload_pods", eks_workload_pods),
    ("eks_pod_security", eks_pod_security),
    ("eks_job_resources", eks_job_resources),
    ("eks_worker_args", eks_worker_args),
    ("eks_k8s_deletions", eks_k8s_deletions),
]
