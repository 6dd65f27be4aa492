"""Gates over every render case: strict Kubernetes schemas, the plugin's own policies,
and checkov's Kubernetes policies (zero failures beyond the listed, reasoned skips)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from cases import CASES, OTHER_PLUGINS_WORKLOADS
from tutor_cli import run_tutor

from tutor_eks_plugin.render import schemas

SKIPS = yaml.safe_load((Path(__file__).parent / "checkov_skips.yml").read_text())
VERSIONS = ("1.34", "1.37")


@pytest.fixture(params=sorted(CASES))
def case(request, render_case):
    plugins, settings = CASES[request.param]
    return render_case(request.param, plugins=plugins, settings=settings)


def test_strict_schemas(case) -> None:
    for version in VERSIONS:
        result = schemas.validate(case.objects, version)
        assert not result.failures, "\n".join(result.failures)
        assert result.validated + len(result.unchecked) == len(case.objects)


def test_eks_check_passes(case) -> None:
    """The real `tutor eks check` on the case's root: schemas and plugin policies pass."""
    result = run_tutor(case.root, "eks", "check", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Rendered {len(case.objects)} objects" in result.stdout
    assert ", 0 failed." in result.stdout and "OK in" in result.stdout


def test_every_skip_has_a_reason() -> None:
    assert SKIPS, "the skip list must not be empty by accident"
    for check_id, reason in SKIPS.items():
        assert check_id.startswith(("CKV_K8S_", "CKV2_K8S_")), check_id
        assert isinstance(reason, str) and len(reason.split()) >= 8, check_id


def test_checkov(case, checkov_bin: str, tmp_path: Path) -> None:
    manifest = tmp_path / "render.yaml"
    owned = [
        o for o in case.objects
        if o["metadata"]["name"].removesuffix("-job") not in OTHER_PLUGINS_WORKLOADS
    ]
    manifest.write_text(yaml.safe_dump_all(owned))
    result = subprocess.run(
        [checkov_bin, "-f", str(manifest), "--framework", "kubernetes", "--skip-download",
         "--quiet", "--compact", "-o", "json", "--skip-check", ",".join(SKIPS)],
        capture_output=True, text=True, check=False,
    )
    assert result.stdout.strip(), f"checkov printed nothing:\n{result.stderr[-2000:]}"
    report = json.loads(result.stdout)
    report = report[0] if isinstance(report, list) else report
    failed = report.get("results", {}).get("failed_checks", [])
    lines = [f"{f['check_id']} {f['resource']}: {f['check_name']}" for f in failed]
    assert not failed, "new checkov failures:\n" + "\n".join(sorted(set(lines)))
    assert report["summary"]["passed"] > 0
