"""What every Terraform test needs: a quiet terraform environment and checkov's verdict."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from tests.terraform import shared_provider


def tf_env() -> dict[str, str]:
    """Environment for terraform: no colour, no prompts, no checkpoint calls."""
    env = dict(os.environ)
    env.update({"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"})
    return env


# The terraform commands that never configure the provider in these tests (`test` runs only
# against mock_provider), so they can share one provider process (shared_provider.py).
_UNCONFIGURED = frozenset({"test", "validate"})


def run(cmd: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    env = tf_env()
    if len(cmd) > 1 and cmd[1] in _UNCONFIGURED:
        env.update(shared_provider.reattach_env(Path(cwd)))
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def checkov_terraform(checkov_bin: str, folder: Path) -> list[dict[str, Any]]:
    """checkov's Terraform reports for a folder (one JSON document or a list of them)."""
    result = subprocess.run(
        [checkov_bin, "-d", str(folder), "--framework", "terraform", "--skip-download",
         "-o", "json"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.stdout.strip(), f"checkov printed nothing:\n{result.stderr[-2000:]}"
    report = json.loads(result.stdout)
    return report if isinstance(report, list) else [report]


def failed_checks(reports: list[dict[str, Any]]) -> list[str]:
    return [
        f"{c['check_id']} {c['resource']} ({c['file_path']})"
        for r in reports
        for c in r["results"]["failed_checks"]
    ]


def assert_checkov_clean(checkov_bin: str, folder: Path, min_passed: int) -> None:
    """checkov finds no failure, passes at least `min_passed` checks (so a scan of nothing
    cannot pass), and every skip carries a written reason."""
    reports = checkov_terraform(checkov_bin, folder)
    failed = failed_checks(reports)
    assert not failed, "checkov failures (fix, or skip inline with a reason):\n" + "\n".join(failed)
    assert sum(r["summary"]["passed"] for r in reports) >= min_passed
    for check in (c for r in reports for c in r["results"]["skipped_checks"]):
        reason = (check.get("check_result") or {}).get("suppress_comment", "")
        assert len(reason.strip()) >= 20, f"{check['check_id']} skipped without a real reason"


def assert_terraform_test_runs(terraform_bin: str, workdir: Path, expected: set[str]) -> None:
    """`terraform test` passes, and exactly the expected runs passed (none went missing)."""
    result = run([terraform_bin, "test", "-no-color"], workdir, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    passed = set(re.findall(r'run "([a-z0-9_]+)"\.\.\. pass', output))
    assert passed == expected, f"runs passed: {sorted(passed)}\n{output}"
