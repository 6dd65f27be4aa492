"""Gates over every render case: strict Kubernetes schemas, the plugin's own policies,
and checkov's Kubernetes policies (zero failures beyond the listed, reasoned skips)."""

from __future__ import annotations

import json
import subprocess
import typing as t
from pathlib import Path

import pytest
import yaml
from cases import CASES, OTHER_PLUGINS_WORKLOADS
from checkov_runner import CheckovRunner

SKIPS = yaml.safe_load((Path(__file__).parent / "checkov_skips.yml").read_text())
VERSIONS = ("1.34", "1.37")


@pytest.fixture(params=sorted(CASES))
def case_name(request) -> str:
    return request.param


@pytest.fixture
def case(case_name: str, render_case):
    plugins, settings = CASES[case_name]
    return render_case(case_name, plugins=plugins, settings=settings)


def test_strict_schemas(case, case_name: str, strict_schemas) -> None:
    for version in VERSIONS:
        result = strict_schemas(case_name, case, version)
        assert not result.failures, "\n".join(result.failures)
        assert result.validated + len(result.unchecked) == len(case.objects)


def test_eks_check_passes(case, case_name: str, eks_check) -> None:
    """The real `tutor eks check` on the case's root: schemas and plugin policies pass."""
    result = eks_check(case_name, case)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Rendered {len(case.objects)} objects" in result.stdout
    assert ", 0 failed." in result.stdout and "OK in" in result.stdout


def test_every_skip_has_a_reason() -> None:
    assert SKIPS, "the skip list must not be empty by accident"
    for check_id, reason in SKIPS.items():
        assert check_id.startswith(("CKV_K8S_", "CKV2_K8S_")), check_id
        assert isinstance(reason, str) and len(reason.split()) >= 8, check_id


def _manifest(case, folder: Path) -> Path:
    manifest = folder / "render.yaml"
    owned = [
        o for o in case.objects
        if o["metadata"]["name"].removesuffix("-job") not in OTHER_PLUGINS_WORKLOADS
    ]
    manifest.write_text(yaml.safe_dump_all(owned))
    return manifest


def _checkov_args(manifest: Path) -> list[str]:
    return ["-f", str(manifest), "--framework", "kubernetes", "--skip-download", "--quiet",
            "--compact", "-o", "json", "--skip-check", ",".join(SKIPS)]


def _report(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.stdout.strip(), f"checkov printed nothing:\n{result.stderr[-2000:]}"
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def test_checkov(case, checkov_runner: CheckovRunner, tmp_path: Path) -> None:
    result = checkov_runner.run(_checkov_args(_manifest(case, tmp_path)))
    report = _report(result)
    failed = report.get("results", {}).get("failed_checks", [])
    lines = [f"{f['check_id']} {f['resource']}: {f['check_name']}" for f in failed]
    assert not failed, "new checkov failures:\n" + "\n".join(sorted(set(lines)))
    assert report["summary"]["passed"] > 0


def _outcomes(report: dict) -> dict[str, t.Any]:
    """The counts, and each failed or skipped check with its resource (--quiet leaves
    the passed ones out of the report)."""
    found: dict[str, t.Any] = {
        kind: sorted((c["check_id"], c["resource"]) for c in report["results"].get(kind, []))
        for kind in ("failed_checks", "skipped_checks")
    }
    found["summary"] = {k: report["summary"][k] for k in ("passed", "failed", "skipped",
                                                          "resource_count")}
    return found


def test_forkserver_answers_as_the_cli(checkov_bin: str, checkov_runner: CheckovRunner,
                                       render_case, tmp_path: Path) -> None:
    """checkov_runner (one import of checkov, a forked process per run) gives the report
    the `checkov` command gives, check by check and resource by resource, also after
    another run: two runs through it, then the CLI, on the case with the most objects."""
    plugins, settings = CASES["plugins"]
    manifest = _manifest(render_case("plugins", plugins=plugins, settings=settings), tmp_path)
    args = _checkov_args(manifest)
    first, second = checkov_runner.run(args), checkov_runner.run(args)
    cli = subprocess.run([checkov_bin, *args], capture_output=True, text=True, check=False)
    expected = _outcomes(_report(cli))
    assert expected["summary"]["passed"] > 0, "the CLI passed no check"
    assert (first.returncode, _outcomes(_report(first))) == (cli.returncode, expected)
    assert (second.returncode, _outcomes(_report(second))) == (cli.returncode, expected)
