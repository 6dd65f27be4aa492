"""`terraform test` of stacks/aws: the *.tftest.hcl files under
terraform/stacks/aws/tests/ plan and apply the whole stage-1 stack for both
profiles against `mock_provider "aws"` (the real provider schema validates every
argument; no AWS account is involved) and assert the security and redundancy
properties. All files run in one `terraform test` call to load the provider once.
"""

from __future__ import annotations

import time

from stage1_tf_helpers import STACK, TERRAFORM_SRC, diagnostics, initialised, json_lines, run

EXPECTED_RUNS = {
    "tests/small.tftest.hcl": {"small_profile"},
    "tests/production.tftest.hcl": {"production_profile"},
    "tests/options.tftest.hcl": {
        "bring_your_own_mongodb",
        "outputs_contract",
        "rejects_unsupported_kubernetes_version",
        "rejects_unknown_profile",
        "rejects_host_with_scheme",
        "rejects_malformed_route53_zone_id",
        "rejects_world_open_api_endpoint",
        "longest_name_fits_every_name_limit",
    },
    "tests/backup.tftest.hcl": {"production_backups", "small_backups"},
    "tests/observability.tftest.hcl": {
        "small_profile_alarms",
        "production_profile_alarms",
        "rejects_unknown_alarm_threshold",
    },
}


def test_stack_tests_pass(terraform_bin: str, provider_mirror: str) -> None:
    workdir = initialised(terraform_bin, provider_mirror, STACK)
    started = time.monotonic()
    result = run([terraform_bin, "test", "-json", "-no-color"], workdir)
    elapsed = time.monotonic() - started
    messages = json_lines(result.stdout)

    outcome: dict[str, dict[str, str]] = {}
    for msg in messages:
        if msg.get("type") == "test_run" and msg["test_run"].get("progress") == "complete":
            outcome.setdefault(msg["@testfile"], {})[msg["@testrun"]] = msg["test_run"]["status"]
    print(
        f"\nterraform test (stacks/aws): {elapsed:.1f}s for {sum(map(len, outcome.values()))} runs"
    )
    for test_file, runs in sorted(outcome.items()):
        for name, status in sorted(runs.items()):
            print(f"  {test_file} :: {name}: {status}")

    problems = diagnostics(messages)
    assert result.returncode == 0, "terraform test failed:\n" + "\n".join(
        problems or [result.stdout[-4000:], result.stderr[-4000:]]
    )
    for test_file, runs in EXPECTED_RUNS.items():
        assert (TERRAFORM_SRC / STACK / test_file).is_file(), f"{test_file} is missing"
        seen = outcome.get(test_file, {})
        assert runs <= set(seen), f"{test_file}: runs not executed: {runs - set(seen)}"
    failed = [
        f"{f}::{r}={s}" for f, runs in outcome.items() for r, s in runs.items() if s != "pass"
    ]
    assert not failed, f"runs did not pass: {failed}"
