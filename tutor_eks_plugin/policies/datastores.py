"""Data store policies: the CA bundle reaches every Open edX pod and job, mysql-job gets
its TLS option file, and the external Meilisearch Service routes only to Meilisearch."""

from __future__ import annotations

import typing as t

from .. import cabundle
from ..settings import search
from ..workloads import CORE, JOBS
from . import Objects, named

# (kind, name, container) of every workload that runs Open edX code or the mysql client:
# the entries of the workload table that read the CA bundle.
OPENEDX_WORKLOADS = tuple(
    [("Deployment", w.name, w.main_container) for w in CORE if w.ca_bundle]
    + [("Job", j.name, j.container) for j in JOBS if j.ca_bundle]
)


def _pod_spec(obj: dict[str, t.Any]) -> dict[str, t.Any]:
    return obj["spec"]["template"]["spec"]


def _container(obj: dict[str, t.Any], name: str) -> dict[str, t.Any] | None:
    return next((c for c in _pod_spec(obj).get("containers", []) if c["name"] == name), None)


def _configmap_volume(obj: dict[str, t.Any], prefix: str) -> str | None:
    for volume in _pod_spec(obj).get("volumes", []):
        name = volume.get("configMap", {}).get("name", "")
        if name == prefix or name.startswith(prefix + "-"):
            return volume["name"]
    return None


def ca_bundle_mounted(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    if not cabundle.source(config):
        return []
    wanted = cabundle.configmap_name(config)
    found = []
    for kind, name, container_name in OPENEDX_WORKLOADS:
        obj = named(objects, kind).get(name)
        if obj is None:
            found.append(f"{kind}/{name}: not rendered, cannot mount the CA bundle")
            continue
        volume = _configmap_volume(obj, wanted)
        container = _container(obj, container_name)
        mounts = {m["name"]: m for m in (container or {}).get("volumeMounts", [])}
        if volume is None:
            found.append(f"{kind}/{name}: no volume from ConfigMap {wanted}")
        elif volume not in mounts or mounts[volume]["mountPath"] != cabundle.MOUNT_DIR:
            found.append(
                f"{kind}/{name}: container {container_name} does not mount the CA "
                f"bundle at {cabundle.MOUNT_DIR}"
            )
        elif not mounts[volume].get("readOnly"):
            found.append(f"{kind}/{name}: the CA bundle mount is not read-only")
    if cabundle.source(config) == "file":
        configmaps = [n for n in named(objects, "ConfigMap") if n.startswith(wanted + "-")]
        if not configmaps:
            found.append(f"ConfigMap/{wanted}: not generated from EKS_CA_BUNDLE_PATH")
    return found


def mysql_job_tls(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    if not (cabundle.source(config) and config.get("EKS_MYSQL_TLS")):
        return []
    job = named(objects, "Job").get("mysql-job")
    if job is None:
        return []
    container = _container(job, "mysql") or {}
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
    found = []
    if env.get("HOME") != cabundle.MYSQL_CLIENT_HOME:
        found.append(
            f"Job/mysql-job: HOME is not {cabundle.MYSQL_CLIENT_HOME}: the mysql client "
            "would not read its TLS options"
        )
    if cabundle.MYSQL_CLIENT_HOME not in mounts:
        found.append("Job/mysql-job: the mysql client option file is not mounted")
    return found


def external_search_service(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    view = search.meilisearch_view({**config, "PLUGINS": config.get("PLUGINS", [])})
    services = named(objects, "Service")
    service = services.get(search.SERVICE_NAME)
    if not view["route"]:
        return (
            [f"Service/{search.SERVICE_NAME}: rendered but no external Meilisearch is configured"]
            if service
            else []
        )
    if service is None:
        return [f"Service/{search.SERVICE_NAME}: not rendered for MEILISEARCH_URL"]
    found = []
    if service["spec"].get("selector"):
        found.append(
            f"Service/{search.SERVICE_NAME}: has a selector {service['spec']['selector']}: "
            "it would route to Open edX pods instead of Meilisearch"
        )
    if view["backend"] == "endpointslice":
        slices = [
            s
            for s in objects
            if s.get("kind") == "EndpointSlice"
            and s["metadata"].get("labels", {}).get("kubernetes.io/service-name")
            == search.SERVICE_NAME
        ]
        addresses = {a for s in slices for e in s.get("endpoints", []) for a in e["addresses"]}
        if addresses != {view["host"]}:
            found.append(
                f"Service/{search.SERVICE_NAME}: EndpointSlice addresses {sorted(addresses)} "
                f"do not match MEILISEARCH_URL's {view['host']}"
            )
    elif service["spec"].get("externalName") != view["host"]:
        found.append(f"Service/{search.SERVICE_NAME}: externalName is not {view['host']}")
    return found


POLICIES = [ca_bundle_mounted, mysql_job_tls, external_search_service]
