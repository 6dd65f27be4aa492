"""Every helm_release of stage 2, rendered offline with the values the stack sends.

Per release: the values pass the chart's values.schema.json; the render passes the
strict Kubernetes schemas of every version stage 1 supports (custom resources against
the CRDs the charts ship); checkov's Kubernetes checks find no failure beyond the
reasoned skips of checkov_skips.yml; and the workload rules of tests/charts/policies.py
hold. The numbers each test sees are what the closing report of issue 21 lists.
"""

from __future__ import annotations

import json
import subprocess
import typing as t
from pathlib import Path

import jsonschema
import pytest
import yaml

from tutor_eks_plugin.render import schemas

from . import policies, stack
from .render import Rendered

SKIPS: dict[str, dict[str, str]] = yaml.safe_load(
    (Path(__file__).parent / "checkov_skips.yml").read_text(encoding="utf-8")
)


def test_release_values_come_from_the_stack(chart_stack: stack.Stack) -> None:
    """The example stage-1 outputs are contract outputs and pass the stack's validations."""
    assert not stack.unknown_stage_one_examples(), "examples that are not stage-1 outputs"
    assert not stack.validation_failures(chart_stack.blocks, chart_stack.inputs)


def test_values_pass_the_chart_schema(rendered: Rendered) -> None:
    if not rendered.has_schema:
        assert not (rendered.chart_path / "values.schema.json").exists()
        return
    assert rendered.schema_error is None, rendered.schema_error


def test_localised_schema_rejects_a_misspelt_kubernetes_field(
    by_chart: t.Callable[[str], Rendered],
) -> None:
    """The F5 chart's Kubernetes references resolve to strict local definitions, so a
    misspelt field inside a Kubernetes object of the values is caught before a cluster."""
    import helm_python

    nginx = by_chart("nginx-ingress")
    bad = stack.merge_values(
        nginx.release.values, {"controller": {"lifecycle": {"preStop": {"sleeep": {"seconds": 5}}}}}
    )
    with helm_python.Chart.load(str(nginx.offline_copy)) as chart:
        chart.validate_schema(nginx.release.values)
        with pytest.raises(helm_python.HelmError, match="sleeep"):
            chart.validate_schema(bad)


def test_render_passes_strict_kubernetes_schemas(
    rendered: Rendered, render_kubernetes_version: str
) -> None:
    supported = stack.supported_kubernetes_versions()
    assert render_kubernetes_version.lstrip("v").rsplit(".", 1)[0] in supported, (
        f"helm-python-sdk renders for Kubernetes {render_kubernetes_version}, "
        f"stage 1 supports {supported}"
    )
    assert rendered.objects, f"{rendered.release.address} rendered nothing"
    for version in supported:
        result = schemas.validate(rendered.objects, version)
        assert not result.failures, "\n".join(result.failures)
        assert result.validated + len(result.unchecked) == len(rendered.objects)


def _crd_schemas(renders: dict[str, Rendered]) -> dict[tuple[str, str, str], dict[str, t.Any]]:
    found = {}
    for result in renders.values():
        crds = result.crds + [o for o in result.objects if o["kind"] == "CustomResourceDefinition"]
        for crd in crds:
            spec = crd["spec"]
            for version in spec["versions"]:
                schema = version.get("schema", {}).get("openAPIV3Schema")
                if schema:
                    found[(spec["group"], version["name"], spec["names"]["kind"])] = schema
    return found


def test_custom_resources_match_the_crds_the_charts_ship(
    rendered: Rendered, renders: dict[str, Rendered]
) -> None:
    """Objects without an upstream Kubernetes schema are checked against their CRD when a
    chart of the stack ships it; the rest are listed as unchecked in the failure text."""
    known = _crd_schemas(renders)
    unchecked = []
    for obj in rendered.objects:
        group, _, version = obj["apiVersion"].rpartition("/")
        schema = known.get((group, version, obj["kind"]))
        if schema is None:
            if "." in group and group not in schemas.CORE_GROUPS:
                unchecked.append(schemas.object_name(obj))
            continue
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(obj), key=str)
        assert not errors, f"{schemas.object_name(obj)}: {errors[0].message}"
    assert not unchecked, f"custom resources with no known CRD schema: {unchecked}"


@pytest.fixture(scope="session")
def checkov_reports(
    renders: dict[str, Rendered], checkov_bin: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, list[dict[str, t.Any]]]]:
    """One checkov run over every render (one file per release), split per release."""
    folder = tmp_path_factory.mktemp("checkov")
    for label, result in renders.items():
        if result.objects:
            (folder / f"{label}.yaml").write_text(yaml.safe_dump_all(result.objects))
    run = subprocess.run(
        [checkov_bin, "-d", str(folder), "--framework", "kubernetes", "--skip-download",
         "-o", "json"],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert run.stdout.strip(), f"checkov printed nothing:\n{run.stderr[-2000:]}"
    report = json.loads(run.stdout)
    report = report[0] if isinstance(report, list) else report
    split: dict[str, dict[str, list[dict[str, t.Any]]]] = {
        label: {"passed": [], "failed": []} for label in renders
    }
    for verdict in ("passed", "failed"):
        for check in report.get("results", {}).get(f"{verdict}_checks", []):
            label = Path(check["file_path"]).stem
            split[label][verdict].append(check)
    return split


def test_every_checkov_skip_has_a_reason() -> None:
    for chart, skips in SKIPS.items():
        for check_id, reason in skips.items():
            assert check_id.startswith(("CKV_K8S_", "CKV2_K8S_")), f"{chart}: {check_id}"
            assert isinstance(reason, str) and len(reason.split()) >= 8, f"{chart}: {check_id}"


def test_checkov_finds_no_failure_beyond_reasoned_skips(
    rendered: Rendered, checkov_reports: dict[str, dict[str, list[dict[str, t.Any]]]],
    release_label: str,
) -> None:
    chart = Path(rendered.release.chart).name
    skips = SKIPS.get(chart, {})
    verdicts = checkov_reports[release_label]
    failed = [c for c in verdicts["failed"] if c["check_id"] not in skips]
    lines = sorted({f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in failed})
    assert not failed, f"checkov failures in {chart}:\n" + "\n".join(lines)
    if any(o["kind"] in policies.WORKLOADS for o in rendered.objects):
        assert verdicts["passed"], f"checkov passed nothing in {chart}: did it read the render?"
    unused = set(skips) - {c["check_id"] for c in verdicts["failed"]}
    assert not unused, f"{chart}: skips that no longer fail, remove them: {sorted(unused)}"


def test_workload_policies(rendered: Rendered) -> None:
    problems = policies.violations(rendered.objects)
    assert not problems, "\n".join(problems)
