"""Resource counts of stacks/aws per profile, measured from real plans.

`terraform plan` cannot use mocks, so the plans come from `terraform test`
runs (command = plan) against the mocked provider: with `-json -verbose` every
run prints its full plan (a `test_plan` message with `resource_changes`). The
counts are printed (run pytest with -s) and the differences between profiles and
switches are asserted.
"""

from __future__ import annotations

from typing import Any

from stage1_tf_helpers import (
    STACK,
    diagnostics,
    initialised,
    json_lines,
    managed_instance_counts,
    run,
)

COUNTS_DIR = "stage1_counts"

# One plan per profile, the small one also with every opt-in switched on and with
# MongoDB brought from outside. Each plan walks the whole stack (about a quarter of an
# apply's CPU), so a switch is planned in one profile only: what it adds does not depend
# on the profile (production with every opt-in was a fifth plan, read for one count).
SCENARIOS: dict[str, dict[str, Any]] = {
    "small": {"profile": "small"},
    "small_all_options": {
        "profile": "small",
        "opensearch_enabled": True,
        "media_bucket_enabled": True,
        "spot_nodes_enabled": True,
    },
    "small_byo_mongodb": {"profile": "small", "bring_your_own_mongodb": True},
    "production": {"profile": "production"},
}


def _hcl(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"'


def _test_file() -> str:
    runs = []
    for name, variables in SCENARIOS.items():
        body = "\n".join(f"    {k} = {_hcl(v)}" for k, v in variables.items())
        runs.append(f'run "{name}" {{\n  command = plan\n  variables {{\n{body}\n  }}\n}}\n')
    header = (
        'mock_provider "aws" {\n  source = "./tests/mocks/default"\n}\n\n'
        'mock_provider "aws" {\n  alias  = "us_east_1"\n  source = "./tests/mocks/us_east_1"\n}\n\n'
        'mock_provider "aws" {\n  alias  = "backup_copy"\n  source = "./tests/mocks/backup_copy"\n}\n\n'
        "variables {\n"
        '  name             = "counts"\n'
        '  region           = "eu-west-1"\n'
        '  lms_host         = "learn.example.com"\n'
        '  cms_host         = "studio.learn.example.com"\n'
        '  mfe_host         = "apps.learn.example.com"\n'
        '  meilisearch_host = "search.learn.example.com"\n'
        "}\n\n"
    )
    return header + "\n".join(runs)


def test_resource_counts_per_profile(terraform_bin: str, provider_mirror: str) -> None:
    workdir = initialised(terraform_bin, provider_mirror, STACK)
    (workdir / COUNTS_DIR).mkdir(exist_ok=True)
    (workdir / COUNTS_DIR / "counts.tftest.hcl").write_text(_test_file(), encoding="utf-8")

    result = run(
        [terraform_bin, "test", "-json", "-verbose", "-no-color", f"-test-directory={COUNTS_DIR}"],
        workdir,
    )
    messages = json_lines(result.stdout)
    assert result.returncode == 0, "counting plans failed:\n" + "\n".join(diagnostics(messages))

    counts = {
        msg["@testrun"]: managed_instance_counts(msg["test_plan"])
        for msg in messages
        if msg.get("type") == "test_plan"
    }
    assert set(counts) == set(SCENARIOS), f"plans missing for {set(SCENARIOS) - set(counts)}"
    totals = {name: sum(by_type.values()) for name, by_type in counts.items()}

    print("\nManaged resource instances planned by stacks/aws (mocked provider):")
    for name in SCENARIOS:
        print(f"  {name:24s} {totals[name]:4d}")
    types = sorted({t for by_type in counts.values() for t in by_type})
    print("  per type (small / production):")
    for rtype in types:
        small, prod = counts["small"].get(rtype, 0), counts["production"].get(rtype, 0)
        if small or prod:
            print(f"    {rtype:50s} {small:3d} {prod:3d}")

    small, prod = counts["small"], counts["production"]
    assert small["aws_nat_gateway"] == 1 and prod["aws_nat_gateway"] == 3
    assert small["aws_docdb_cluster_instance"] == 1 and prod["aws_docdb_cluster_instance"] == 3
    assert prod.get("aws_vpc_endpoint", 0) > small.get("aws_vpc_endpoint", 0)
    assert "aws_docdb_cluster" not in counts["small_byo_mongodb"]
    assert "aws_opensearch_domain" not in small
    assert counts["small_all_options"]["aws_opensearch_domain"] == 1
    # The edge's access-log bucket and the backup dumps bucket are always there; the
    # media bucket is the opt-in one.
    assert small["aws_s3_bucket"] == 2
    assert counts["small_all_options"]["aws_s3_bucket"] == 3
    assert small["aws_backup_plan"] == 2 and "aws_backup_vault_lock_configuration" not in small
    assert prod["aws_backup_vault_lock_configuration"] == 1
    assert small["aws_eks_node_group"] == 1
    assert counts["small_all_options"]["aws_eks_node_group"] == 2
    assert totals["production"] > totals["small"] > totals["small_byo_mongodb"]
    # The edge is part of every scenario, the same in both profiles: one ALB, one
    # distribution, one CLOUDFRONT web ACL (the plan of the VPC in the same run proves
    # the edge's for_each keys are known before the VPC exists).
    edge_types = (
        "aws_lb",
        "aws_lb_target_group",
        "aws_lb_listener",
        "aws_cloudfront_distribution",
        "aws_wafv2_web_acl",
        "aws_wafv2_web_acl_logging_configuration",
    )
    for name, by_type in counts.items():
        assert all(by_type.get(t) == 1 for t in edge_types), f"{name}: edge incomplete"
        assert by_type.get("aws_acm_certificate") == 2, f"{name}: two certificates expected"
