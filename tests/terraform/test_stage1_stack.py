"""`terraform test` of stacks/aws: the *.tftest.hcl files under
terraform/stacks/aws/tests/ plan and apply the whole stage-1 stack for both
profiles against `mock_provider "aws"` (the real provider schema validates every
argument; no AWS account is involved) and assert the security and redundancy
properties. Each file runs in its own `terraform test -filter=...` call, so the
files spread over the pytest workers; every file under tests/ must be listed below, so
none is left out. Each file is one state and one teardown: a profile is applied once per
set of inputs, and what differs only by inputs that do not touch each other's assertions
shares that apply (see docs/testing.md, "Suite time").
"""

from __future__ import annotations

import time

import pytest
from stage1_tf_helpers import STACK, TERRAFORM_SRC, diagnostics, initialised, json_lines, run

EXPECTED_RUNS = {
    # small_profile applies the small stack (and carries the outputs contract);
    # small_byo_mongodb plans bring-your-own MongoDB on top of its state.
    "tests/small.tftest.hcl": {"small_profile", "small_byo_mongodb"},
    # One apply of production with every opt-in: the profile, its backups, its alarms and
    # the longest name.
    "tests/production.tftest.hcl": {"production_profile"},
    # One plan from an empty state that expects six validation errors.
    "tests/options_inputs.tftest.hcl": {"rejects_invalid_inputs"},
}


def test_every_test_file_is_listed() -> None:
    on_disk = {
        f"tests/{path.name}" for path in (TERRAFORM_SRC / STACK / "tests").glob("*.tftest.hcl")
    }
    assert on_disk == set(EXPECTED_RUNS), (
        f"list every stacks/aws test file in EXPECTED_RUNS: on disk {sorted(on_disk)}"
    )


@pytest.mark.parametrize("test_file", sorted(EXPECTED_RUNS))
def test_stack_tests_pass(terraform_bin: str, provider_mirror: str, test_file: str) -> None:
    workdir = initialised(terraform_bin, provider_mirror, STACK)
    assert (workdir / test_file).is_file(), f"{test_file} is missing"
    started = time.monotonic()
    result = run([terraform_bin, "test", "-json", "-no-color", f"-filter={test_file}"], workdir)
    elapsed = time.monotonic() - started
    messages = json_lines(result.stdout)

    outcome: dict[str, dict[str, str]] = {}
    for msg in messages:
        if msg.get("type") == "test_run" and msg["test_run"].get("progress") == "complete":
            outcome.setdefault(msg["@testfile"], {})[msg["@testrun"]] = msg["test_run"]["status"]
    print(
        f"\nterraform test (stacks/aws, {test_file}): {elapsed:.1f}s"
        f" for {sum(map(len, outcome.values()))} runs"
    )
    for name, status in sorted(outcome.get(test_file, {}).items()):
        print(f"  {test_file} :: {name}: {status}")

    problems = diagnostics(messages)
    assert result.returncode == 0, "terraform test failed:\n" + "\n".join(
        problems or [result.stdout[-4000:], result.stderr[-4000:]]
    )
    assert set(outcome) == {test_file}, f"files run: {sorted(outcome)}"
    seen = outcome[test_file]
    runs = EXPECTED_RUNS[test_file]
    assert runs <= set(seen), f"{test_file}: runs not executed: {runs - set(seen)}"
    failed = [f"{test_file}::{r}={s}" for r, s in seen.items() if s != "pass"]
    assert not failed, f"runs did not pass: {failed}"
