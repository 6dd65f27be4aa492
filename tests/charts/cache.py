"""The chart cache the chart tests read, and loading a chart from it for offline use.

`EKS_CHART_CACHE` names a folder holding one unpacked chart per folder
(`<cache>/<chart>/Chart.yaml`), as `scripts/fetch-charts.sh` writes it. Without the
variable the cache is `../shared/charts` next to this repository, when that folder
exists. A chart missing from the cache fails the test with the chart's name and the
command that fetches it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import typing as t
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
CACHE_ENV = "EKS_CHART_CACHE"
FETCH = "scripts/fetch-charts.sh"
# The F5 chart's schema points at yannh/nginxinc-style Kubernetes definitions on GitHub.
REMOTE_K8S_DEFINITIONS = re.compile(
    r"^https://raw\.githubusercontent\.com/[^#]+/v(?P<minor>1\.[0-9]+)\.[0-9]+"
    r"(?:-[a-z-]+)?/_definitions\.json#/definitions/(?P<pointer>.+)$"
)


class ChartMissing(Exception):
    """A chart the stack installs is not in the cache (message says how to fetch it)."""


def cache_dir() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    return REPO.parent / "shared" / "charts"


def chart_dir(name: str, version: str) -> Path:
    """The cached chart folder of a remote chart, or ChartMissing naming the fix."""
    root = cache_dir()
    folder = root / name
    if not (folder / "Chart.yaml").is_file():
        where = f"{CACHE_ENV}={root}" if os.environ.get(CACHE_ENV) else f"the default {root}"
        raise ChartMissing(
            f"chart {name} (pinned {version}) is not in the chart cache ({where}): fetch it "
            f"with `{FETCH} {name}` (needs network), or point {CACHE_ENV} at a folder that "
            f"holds {name}/Chart.yaml."
        )
    return folder


def chart_meta(folder: Path) -> dict[str, t.Any]:
    return yaml.safe_load((folder / "Chart.yaml").read_text(encoding="utf-8"))


def kubernetes_definitions(minor: str) -> dict[str, t.Any]:
    """kubernetes-validate's strict definitions for a minor version (or the newest older)."""
    import kubernetes_validate

    base = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    wanted = tuple(int(p) for p in minor.split("."))
    candidates = sorted(
        (tuple(int(p) for p in d.name[1:].split("-")[0].split(".")[:2]), d)
        for d in base.glob("v*-local-strict")
    )
    usable = [d for v, d in candidates if v <= wanted]
    if not usable:
        raise ChartMissing(f"kubernetes-validate ships no schemas at or below Kubernetes {minor}")
    data = json.loads((usable[-1] / "_definitions.json").read_text(encoding="utf-8"))
    return data["$defs"]


def localise_schema(schema: dict[str, t.Any]) -> tuple[dict[str, t.Any], set[str]]:
    """The schema with its remote Kubernetes `$ref`s pointing at embedded local copies.

    Each remote reference `.../v1.NN.P/_definitions.json#/definitions/<name>[/...]` becomes
    `#/$defs/k8s/<name>[/...]`, and the definitions it needs (transitively) are copied
    from kubernetes-validate's strict schemas of that minor version. Returns the new
    schema and the minors used. Another remote reference raises ChartMissing.
    """
    schema = copy.deepcopy(schema)
    minors: set[str] = set()
    wanted: set[str] = set()

    def rewrite(node: t.Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("http"):
                match = REMOTE_K8S_DEFINITIONS.match(ref)
                if not match:
                    raise ChartMissing(f"schema reference {ref} cannot be resolved offline")
                minors.add(match["minor"])
                pointer = match["pointer"]
                wanted.add(pointer.split("/")[0])
                node["$ref"] = f"#/$defs/k8s/{pointer}"
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)

    rewrite(schema)
    if not minors:
        return schema, minors
    if len(minors) > 1:
        raise ChartMissing(f"schema refers to several Kubernetes versions: {sorted(minors)}")
    definitions = kubernetes_definitions(next(iter(minors)))
    embedded: dict[str, t.Any] = {}
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name in embedded:
            continue
        if name not in definitions:
            raise ChartMissing(f"Kubernetes definition {name} is not in kubernetes-validate")
        body = copy.deepcopy(definitions[name])
        for ref in _refs(body):
            todo.append(ref.rsplit("/", 1)[-1])
        embedded[name] = body
    for body in embedded.values():
        _retarget(body)
    schema.setdefault("$defs", {})["k8s"] = embedded
    return schema, minors


def _refs(node: t.Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _retarget(node: t.Any) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            node["$ref"] = "#/$defs/k8s/" + ref[len("#/$defs/"):]
        for value in node.values():
            _retarget(value)
    elif isinstance(node, list):
        for value in node:
            _retarget(value)


def offline_copy(source: Path, target: Path) -> dict[str, t.Any]:
    """Copy a chart where Helm can load it offline: dependencies from the cache into
    `charts/`, remote schema references made local. Returns facts for the report."""
    shutil.copytree(source, target, symlinks=False)
    meta = chart_meta(target)
    for dep in meta.get("dependencies") or []:
        if dep.get("repository", "").startswith("file://"):
            continue
        if (target / "charts" / dep["name"]).exists() or list(
            (target / "charts").glob(f"{dep['name']}-*.tgz")
        ):
            continue
        if dep.get("condition") and not (cache_dir() / dep["name"] / "Chart.yaml").is_file():
            # An optional subchart (external-secrets' bitwarden-sdk-server, off by
            # default): Helm drops it when its condition is false; a release that turns
            # it on fails the render, which names the missing chart.
            continue
        (target / "charts").mkdir(exist_ok=True)
        shutil.copytree(chart_dir(dep["name"], str(dep.get("version"))),
                        target / "charts" / dep["name"])
    facts: dict[str, t.Any] = {"schema": None, "schema_kubernetes": []}
    # Subcharts' schemas too: Helm validates each chart's values against its own.
    for schema_file in sorted(target.rglob("values.schema.json")):
        schema, minors = localise_schema(json.loads(schema_file.read_text(encoding="utf-8")))
        schema_file.write_text(json.dumps(schema), encoding="utf-8")
        if schema_file.parent == target:
            facts["schema"] = schema_file
            facts["schema_kubernetes"] = sorted(minors)
    return facts
