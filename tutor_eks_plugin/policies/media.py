"""Media policies: uploads land on shared storage, the same in every pod that writes them."""

from __future__ import annotations

import typing as t

from ..workloads import JOBS
from ..workloads.shape import from_objects
from . import Objects, named

MEDIA_PATHS = {"/openedx/media", "/openedx/media-private", "/openedx/data/ora2"}


def _writers(objects: Objects, config: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """The Deployments and Jobs whose workload table entry mounts media."""
    jobs = named(objects, "Job")
    return [d for w, d in from_objects(objects, config) if w.media] + [
        jobs[j.name] for j in JOBS if j.media and j.name in jobs
    ]


def shared_media(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    found = []
    if config.get("EKS_MEDIA_BACKEND") == "s3":
        if not config.get("EKS_S3_MEDIA_BUCKET"):
            found.append("EKS_MEDIA_BACKEND=s3 but EKS_S3_MEDIA_BUCKET is empty: run "
                         "`tutor eks infra apply` with the media bucket enabled")
        account = config.get("EKS_OPENEDX_SERVICE_ACCOUNT")
        for obj in _writers(objects, config):
            if obj["spec"]["template"]["spec"].get("serviceAccountName") != account:
                found.append(f"{obj['kind']}/{obj['metadata']['name']}: not run as service "
                             f"account {account}, so it has no S3 role")
        return found
    claims = named(objects, "PersistentVolumeClaim")
    media = claims.get("openedx-media")
    if media is None or "ReadWriteMany" not in media["spec"].get("accessModes", []):
        found.append("PersistentVolumeClaim/openedx-media: missing or not ReadWriteMany")
    for obj in _writers(objects, config):
        spec = obj["spec"]["template"]["spec"]
        volumes = {v["name"] for v in spec.get("volumes", [])
                   if v.get("persistentVolumeClaim", {}).get("claimName") == "openedx-media"}
        mounts = {m["mountPath"] for m in spec["containers"][0].get("volumeMounts", [])
                  if m["name"] in volumes}
        if mounts != MEDIA_PATHS:
            found.append(f"{obj['kind']}/{obj['metadata']['name']}: media mounted at "
                         f"{sorted(mounts)}, expected {sorted(MEDIA_PATHS)}")
    return found


POLICIES = [shared_media]
