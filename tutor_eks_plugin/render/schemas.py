"""Strict Kubernetes schema validation of rendered objects (kubernetes-validate)."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

import kubernetes_validate

from . import custom_resources

# API groups served by Kubernetes itself: a missing schema there is a real error
# (a removed or misspelt API version). Other dotted groups are custom resources.
CORE_GROUPS = {
    f"{name}.k8s.io"
    for name in (
        "networking", "rbac.authorization", "storage", "scheduling", "admissionregistration",
        "apiextensions", "certificates", "coordination", "discovery", "node", "events",
        "authentication", "authorization", "resource", "flowcontrol.apiserver",
        "apiregistration", "internal.apiserver", "storagemigration",
    )
}


@dataclass(frozen=True)
class SchemaResult:
    version: str
    validated: int
    failures: list[str]
    # Custom resources (VPA, KEDA, TargetGroupBinding, ...) have no upstream schema.
    unchecked: list[str]


def object_name(obj: dict[str, t.Any]) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def validate(objects: list[dict[str, t.Any]], version: str) -> SchemaResult:
    failures: list[str] = []
    unchecked: list[str] = []
    validated = 0
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
            validated += 1
        except kubernetes_validate.ValidationError as exc:
            where = "/".join(str(p) for p in exc.path) or "(root)"
            failures.append(f"{object_name(obj)}: {where}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError:
            if custom_resources.has_schema(obj):
                # A custom resource whose CRD schema the plugin vendors (crd_schemas/).
                problems = custom_resources.validate(obj)
                failures.extend(f"{object_name(obj)}: {p}" for p in problems)
                validated += not problems
                continue
            api = obj.get("apiVersion", "")
            group = api.split("/")[0] if "/" in api else ""
            if "." in group and group not in CORE_GROUPS:
                # A custom resource: no upstream schema exists. Report it as unchecked.
                unchecked.append(object_name(obj))
            else:
                failures.append(f"{object_name(obj)}: {api} does not exist in Kubernetes {version}")
        except kubernetes_validate.VersionNotSupportedError:
            failures.append(
                f"Kubernetes {version}: kubernetes-validate has no schemas for this version; "
                "upgrade kubernetes-validate or change EKS_CHECK_KUBERNETES_VERSIONS"
            )
            break
    return SchemaResult(version, validated, failures, unchecked)
