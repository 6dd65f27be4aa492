"""Render one stage-2 release offline with helm-python-sdk (once per test session)."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import cache
from .stack import Release

# libyaml's parser when PyYAML has it: kube-prometheus-stack's CRDs are megabytes.
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[misc,valid-type]
    """YAML as Kubernetes reads it: a bare `=` is a string (PyYAML's YAML 1.1 `value`
    tag would refuse it; CRDs list `=` among operator enums)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:value"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_all(text: str) -> list[t.Any]:
    return [doc for doc in yaml.load_all(text, Loader=_Loader) if doc]


@dataclass
class Rendered:
    release: Release
    chart_version: str = ""
    app_version: str = ""
    chart_path: Path | None = None
    offline_copy: Path | None = None  # the copy Helm loads (schema references made local)
    has_schema: bool = False
    schema_kubernetes: list[str] = field(default_factory=list)
    schema_error: str | None = None
    objects: list[dict[str, t.Any]] = field(default_factory=list)
    crds: list[dict[str, t.Any]] = field(default_factory=list)
    error: str | None = None  # chart missing, or Helm refused to render


def render(release: Release, workdir: Path) -> Rendered:
    import helm_python

    result = Rendered(release)
    try:
        source = release.local_chart or cache.chart_dir(release.chart, release.version)
        facts = cache.offline_copy(source, workdir / release.name)
    except cache.ChartMissing as exc:
        result.error = str(exc)
        return result
    meta = cache.chart_meta(source)
    result.chart_version, result.app_version = str(meta["version"]), str(meta.get("appVersion"))
    result.chart_path = source
    result.offline_copy = workdir / release.name
    result.has_schema = facts["schema"] is not None
    result.schema_kubernetes = facts["schema_kubernetes"]
    chart = helm_python.Chart.load(str(workdir / release.name))
    try:
        if result.has_schema:
            try:
                chart.validate_schema(release.values)
            except helm_python.HelmError as exc:
                result.schema_error = str(exc)
        try:
            manifests = chart.render(release.values, name=release.name,
                                     namespace=release.namespace)
        except helm_python.HelmError as exc:
            result.error = f"{release.address}: helm render failed: {exc}"
            return result
        for path, text in sorted(manifests.items()):
            if not path.endswith((".yaml", ".yml")):
                continue  # NOTES.txt
            result.objects.extend(_unlisted(load_all(text)))
        for _name, text in sorted(_crd_files(chart)):
            for obj in load_all(text):
                if obj.get("kind") == "CustomResourceDefinition":
                    result.crds.append(obj)
    finally:
        chart.close()
    return result


def _unlisted(objects: list[t.Any]) -> list[t.Any]:
    """A `kind: List` is not an API object: Helm's client applies its items one by one
    (kube-prometheus-stack renders some, often empty), so the checks see the items."""
    flat: list[t.Any] = []
    for obj in objects:
        if obj.get("kind") == "List" and obj.get("apiVersion") == "v1":
            flat.extend(_unlisted([i for i in obj.get("items") or [] if i]))
        else:
            flat.append(obj)
    return flat


def _crd_files(chart: t.Any) -> list[tuple[str, str]]:
    """The chart's crds/ files (Helm installs them before the templates)."""
    found = []
    for item in chart.crds() if callable(chart.crds) else chart.crds:
        if isinstance(item, dict):
            name, data = item.get("name", ""), item.get("data", "")
        else:
            name, data = getattr(item, "name", ""), getattr(item, "data", item)
        if isinstance(data, bytes):
            data = data.decode("utf-8")
        found.append((str(name), str(data)))
    return found


def probe_kubernetes_version(workdir: Path) -> str:
    """The Kubernetes version helm-python-sdk renders for (.Capabilities.KubeVersion)."""
    import helm_python

    chart = workdir / "kube-version-probe"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: probe\nversion: 0.1.0\n")
    (chart / "templates" / "v.yaml").write_text(
        "version: {{ .Capabilities.KubeVersion.Version | quote }}\n"
    )
    with helm_python.Chart.load(str(chart)) as loaded:
        out = loaded.render({}, name="probe", namespace="default")
    return str(yaml.safe_load(next(iter(out.values())))["version"])


def objects_of(rendered: Rendered, kind: str) -> dict[str, dict[str, t.Any]]:
    return {o["metadata"]["name"]: o for o in rendered.objects if o.get("kind") == kind}
