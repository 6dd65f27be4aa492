"""checkov's Terraform policies over the stage-1 folders: zero failed checks.

A finding is either fixed or skipped inline with `#checkov:skip=CKV_...:reason`
next to the resource; a new failure fails this test with its check ids and
resources. Runs offline (--skip-download).
"""

from __future__ import annotations

import json
import re
from typing import Any

from stage1_tf_helpers import STAGE1_DIRS, TERRAFORM_SRC, run

# Folders of other concerns under terraform/ (their own tests scan them).
OTHER_PATHS = ("modules/edge", "stacks/cluster", "stacks/aws/edge")


def _reports(stdout: str) -> list[dict[str, Any]]:
    """checkov prints one JSON document, or a list of them (one per framework)."""
    decoder = json.JSONDecoder()
    docs: list[dict[str, Any]] = []
    index = 0
    while index < len(stdout):
        if stdout[index].isspace():
            index += 1
            continue
        doc, index = decoder.raw_decode(stdout, index)
        docs.extend(doc if isinstance(doc, list) else [doc])
    return docs


def test_checkov_has_no_failed_checks(checkov_bin: str) -> None:
    # No --quiet: passed checks stay in the report, which proves every folder was
    # scanned. --compact leaves the code blocks out.
    cmd = [
        checkov_bin,
        "--directory",
        ".",
        "--framework",
        "terraform",
        "--skip-download",
        "--compact",
        "--output",
        "json",
    ]
    for path in OTHER_PATHS:
        cmd += ["--skip-path", path]
    result = run(cmd, TERRAFORM_SRC, timeout=600)
    assert result.stdout.strip(), f"checkov printed nothing:\n{result.stderr}"
    reports = _reports(result.stdout)

    scanned = {r.get("repo_file_path", "") for rep in reports for r in _all_results(rep)}
    for rel in STAGE1_DIRS:
        assert any(path.startswith(f"/{rel}/") for path in scanned), f"checkov skipped {rel}"

    failed = [
        f"{check['check_id']} {check['resource']} ({check['repo_file_path']}:"
        f"{check['file_line_range'][0]}) {check['check_name']}"
        for rep in reports
        for check in rep.get("results", {}).get("failed_checks", [])
    ]
    errors = [rep["summary"] for rep in reports if rep.get("summary", {}).get("parsing_errors")]
    assert not errors, f"checkov could not parse some files: {errors}"
    assert not failed, "checkov found new failures:\n" + "\n".join(failed)


def _all_results(report: dict[str, Any]) -> list[dict[str, Any]]:
    results = report.get("results", {})
    return (
        results.get("passed_checks", [])
        + results.get("failed_checks", [])
        + results.get("skipped_checks", [])
    )


def test_every_inline_skip_gives_a_reason() -> None:
    """`#checkov:skip=ID` without `:reason` is refused: a skip must say why."""
    bare = []
    for rel in STAGE1_DIRS:
        for tf_file in (TERRAFORM_SRC / rel).rglob("*.tf"):
            for number, line in enumerate(tf_file.read_text(encoding="utf-8").splitlines(), 1):
                match = re.search(r"checkov:skip=([A-Z0-9_]+)(:(.*))?", line)
                if match and len((match.group(3) or "").strip()) < 20:
                    bare.append(f"{tf_file.relative_to(TERRAFORM_SRC)}:{number}")
    assert not bare, "checkov skips without a real reason:\n" + "\n".join(bare)
