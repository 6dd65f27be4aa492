"""`terraform test` of single stage-1 modules (their tests/*.tftest.hcl), with the real AWS
provider schema and a mocked provider: much faster than the whole stack's test, so new
module behaviour is asserted here. Every run block is listed: a renamed or dropped run
fails here.
"""

from __future__ import annotations

import pytest
from stage1_tf_helpers import initialised, json_lines, run

EXPECTED_RUNS = {
    "modules/mysql": {
        "mysql_logs_and_final_snapshot",
        "mysql_final_snapshot_name_is_stable",
        "mysql_app_password_secret",
        "mysql_recovery_window_is_validated",
    },
    "modules/mongodb": {
        "docdb_logs_and_final_snapshot",
        "docdb_final_snapshot_name_is_stable",
        "docdb_off_creates_no_log_group",
    },
    "modules/search": {
        "meilisearch_recovers_and_is_backed_up",
        "meilisearch_alarms_notify_topics",
        "opensearch_creates_its_service_linked_role",
        "opensearch_uses_an_existing_service_linked_role",
    },
    "modules/eks": {
        "node_volumes_use_the_deployment_key",
        "vpc_cni_enforces_network_policies",
        "network_policies_off",
    },
}


@pytest.mark.parametrize("module", sorted(EXPECTED_RUNS))
def test_module_tests_pass(terraform_bin: str, provider_mirror: str, module: str) -> None:
    workdir = initialised(terraform_bin, provider_mirror, module)
    result = run([terraform_bin, "test", "-json", "-no-color"], workdir)
    messages = json_lines(result.stdout)
    outcome = {
        m["@testrun"]: m["test_run"]["status"]
        for m in messages
        if m.get("type") == "test_run" and m.get("test_run", {}).get("progress") == "complete"
    }
    failures = [
        f"[{m.get('@testrun', '')}] {m['diagnostic'].get('summary', '')}: {m['diagnostic'].get('detail', '')}"
        for m in messages
        if m.get("type") == "diagnostic" and m.get("@level") == "error"
    ]
    assert result.returncode == 0 and not failures, (
        f"terraform test failed in {module}:\n" + "\n".join(failures) + result.stderr[-2000:]
    )
    assert outcome == {name: "pass" for name in EXPECTED_RUNS[module]}, outcome
