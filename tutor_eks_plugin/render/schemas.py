"""Strict Kubernetes schema validation of rendered objects (kubernetes-validate)."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

import kubernetes_validate


@dataclass(frozen=True)
class SchemaResult:
    version: str
    validated: int
    failures: list[str]


def object_name(obj: dict[str, t.Any]) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def validate(objects: list[dict[str, t.Any]], version: str) -> SchemaResult:
    failures: list[str] = []
    validated = 0
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
            validated += 1
        except kubernetes_validate.ValidationError as exc:
            where = "/".join(str(p) for p in exc.path) or "(root)"
            failures.append(f"{object_name(obj)}: {where}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError:
            # Custom resources (e.g. a TargetGroupBinding) have no upstream schema:
            # report them, since the check cannot vouch for them.
            failures.append(
                f"{object_name(obj)}: no schema for {obj.get('apiVersion')} in Kubernetes {version}"
            )
        except kubernetes_validate.VersionNotSupportedError:
            failures.append(
                f"Kubernetes {version}: kubernetes-validate has no schemas for this version; "
                "upgrade kubernetes-validate or change EKS_CHECK_KUBERNETES_VERSIONS"
            )
            break
    return SchemaResult(version, validated, failures)
