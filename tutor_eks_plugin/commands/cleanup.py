"""`tutor eks cleanup`: delete what plain Tutor left on a cluster that now runs eks.

`tutor k8s start` applies but never prunes, so a namespace that ran plain Tutor keeps
its Caddy LoadBalancer and its database pods after the switch. This command finds
exactly those objects (by the instance label Tutor puts on everything it applies)
and deletes them. Dry run by default; PersistentVolumeClaims hold the data of the old
in-cluster databases and are only deleted with --include-volumes.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import typing as t
from dataclasses import dataclass

import click
from tutor import config as tutor_config
from tutor import exceptions, fmt

from .. import tools
from ..render import kustomize

# Workloads plain Tutor runs and this plugin replaces (Caddy -> NGINX Ingress
# Controller; the stores -> RDS, DocumentDB, ElastiCache, Meilisearch on EC2, SES).
LEFTOVER_WORKLOADS = ("caddy", "mysql", "mongodb", "redis", "meilisearch", "smtp")
# kustomize's configMapGenerator appends a content hash: caddy-config-<hash>.
LEFTOVER_CONFIGMAP_PREFIXES = ("caddy-config-", "redis-config-")
KINDS = ("deployment", "service", "configmap", "persistentvolumeclaim")


@dataclass(frozen=True)
class Leftover:
    kind: str
    name: str

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"

    @property
    def is_volume(self) -> bool:
        return self.kind == "persistentvolumeclaim"


def is_leftover(kind: str, name: str) -> bool:
    if kind == "configmap":
        return name.startswith(LEFTOVER_CONFIGMAP_PREFIXES)
    if kind == "persistentvolumeclaim" and name == "smtp":
        return False  # Tutor gives smtp no volume: a claim of that name is not ours
    return name in LEFTOVER_WORKLOADS


def _kubectl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tools.kubectl(), *args], capture_output=True, text=True, check=False)


def rendered_names(root: str) -> set[tuple[str, str]]:
    """(kind, name) of every object the current config renders: never leftovers.

    A selector-less Service named after a store (pointing at the managed service) is
    part of the render and must survive the cleanup.
    """
    with tempfile.TemporaryDirectory(prefix="tutor-eks-cleanup-") as work_root:
        kustomize.render_copy(root, work_root)
        objects = kustomize.kustomize(work_root)
    return {(o["kind"].lower(), o["metadata"]["name"]) for o in objects}


def find_leftovers(
    namespace: str, instance_id: str, keep: t.Collection[tuple[str, str]] = ()
) -> list[Leftover]:
    result = _kubectl(
        "get", ",".join(KINDS), "--namespace", namespace,
        "--selector", f"app.kubernetes.io/instance=openedx-{instance_id}", "--output", "json",
    )
    if result.returncode != 0:
        raise exceptions.TutorError(
            f"kubectl get failed in namespace {namespace}: {result.stderr.strip()}"
        )
    found = []
    for item in json.loads(result.stdout or "{}").get("items", []):
        kind = item.get("kind", "").lower()
        name = item.get("metadata", {}).get("name", "")
        if kind in KINDS and is_leftover(kind, name) and (kind, name) not in keep:
            found.append(Leftover(kind, name))
    return sorted(found, key=lambda o: (KINDS.index(o.kind), o.name))


def delete(namespace: str, objects: t.Sequence[Leftover]) -> None:
    result = _kubectl(
        "delete", "--namespace", namespace, "--ignore-not-found=true", "--wait=false",
        *[o.ref for o in objects],
    )
    if result.returncode != 0:
        raise exceptions.TutorError(f"kubectl delete failed: {result.stderr.strip()}")
    for line in result.stdout.splitlines():
        fmt.echo_info(line)


@click.command(
    help="Delete what plain Tutor left on the cluster: the caddy Deployment, Service "
    "and ConfigMaps, and the mysql, mongodb, redis, meilisearch and smtp Deployments "
    "and Services. Lists them only, unless --apply."
)
@click.option("--apply", "apply_", is_flag=True, help="Delete the objects listed.")
@click.option(
    "--include-volumes",
    is_flag=True,
    help="Also delete the PersistentVolumeClaims of caddy and the old in-cluster "
    "databases. THIS DELETES THEIR DATA: migrate it to the managed services first.",
)
@click.pass_obj
def cleanup(context: click.Context, apply_: bool, include_volumes: bool) -> None:
    config = tutor_config.load(context.root)
    namespace = str(config["K8S_NAMESPACE"])
    leftovers = find_leftovers(namespace, str(config["ID"]), rendered_names(context.root))
    chosen = [o for o in leftovers if include_volumes or not o.is_volume]
    kept = [o for o in leftovers if o not in chosen]
    if not leftovers:
        fmt.echo_info(f"Nothing to clean up in namespace {namespace}.")
        return
    verb = "Deleting" if apply_ else "Would delete"
    for obj in chosen:
        fmt.echo_info(f"{verb} {obj.ref}")
    for obj in kept:
        fmt.echo_alert(
            f"Keeping {obj.ref}: it holds data; pass --include-volumes to delete it "
            "(the data is lost)."
        )
    if not apply_:
        fmt.echo_info("Dry run: nothing was deleted. Run again with --apply to delete.")
        return
    if chosen:
        delete(namespace, chosen)
