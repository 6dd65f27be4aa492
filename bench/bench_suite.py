"""Benchmark: the test suite's wall time, whole or the issue-20 subset.

Usage:
    python bench/bench_suite.py subset [-n WORKERS] [pytest args...]
    python bench/bench_suite.py all [-n WORKERS] [pytest args...]

`subset` runs the tests that existed when issue 20 set its suite-time goal (commit
6d07f3f, "the tests that exist today run in under 6 minutes on 2 cores"); `all` runs the
whole suite. Both run pytest with the options scripts/test.sh uses (xdist workers,
worksteal, the slow files first) and print the wall time, the load average before and
after (the figure means little on a busy machine), and the 10 slowest tests.

The subset is a list of files, kept here by hand (git history is not there in a shallow
clone). Every test file of 6d07f3f still lives at the same path; none was split or moved,
so the mapping is the identity. What the subset also carries because it cannot be
separated from an old file (tests and run blocks added to it later) is listed in
LATER_ADDITIONS; the files added later (tests/rehearsal, tests/network, tests/secrets, ...)
are left out.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The test files of commit 6d07f3f (`git ls-tree -r --name-only 6d07f3f tests/`), at their
# path today. The Terraform test files (*.tftest.hcl) are run by the pytest files that name
# them: stacks/aws/tests/*.tftest.hcl by terraform/test_stage1_stack.py, the stage-1 modules'
# by terraform/test_stage1_module_tests.py, modules/edge's by terraform/test_edge_module.py,
# modules/backup's by backup/test_backup_module.py, modules/observability's by
# observability/test_stage1_module.py.
SUBSET = (
    "tests/backup/test_backup_jobs.py",
    "tests/backup/test_backup_module.py",
    "tests/backup/test_dump_jobs.py",
    "tests/backup/test_logical_mysql.py",
    "tests/backup/test_restore.py",
    "tests/backup/test_scripts.py",
    "tests/backup/test_settings.py",
    "tests/bootstrap/test_dns_records.py",
    "tests/bootstrap/test_state_bucket.py",
    "tests/charts/test_cross_checks.py",
    "tests/charts/test_harness.py",
    "tests/charts/test_pins.py",
    "tests/charts/test_releases.py",
    "tests/cleanup/test_cleanup_command.py",
    "tests/cli/test_bad_input.py",
    "tests/cli/test_capacity_check.py",
    "tests/cli/test_hostile_strings.py",
    "tests/cli/test_lifecycle.py",
    "tests/cli/test_notices.py",
    "tests/cli/test_scale.py",
    "tests/cost/test_cli.py",
    "tests/cost/test_docs_cost.py",
    "tests/cost/test_estimate.py",
    "tests/cost/test_live.py",
    "tests/cost/test_profiles.py",
    "tests/datastores/test_endpoint_policy.py",
    "tests/datastores/test_mongodb.py",
    "tests/datastores/test_mysql.py",
    "tests/datastores/test_redis.py",
    "tests/datastores/test_s3_media.py",
    "tests/datastores/test_service_clients.py",
    "tests/diagram/test_docs_pictures.py",
    "tests/diagram/test_facts.py",
    "tests/diagram/test_render.py",
    "tests/driver/test_adapter.py",
    "tests/driver/test_bare_install.py",
    "tests/driver/test_contract_drift.py",
    "tests/driver/test_failures.py",
    "tests/driver/test_lifecycle.py",
    "tests/driver/test_real_stack.py",
    "tests/driver/test_s3_backend.py",
    "tests/driver/test_signals.py",
    "tests/driver/test_stage_messages.py",
    "tests/jobs/test_k8s_jobs.py",
    "tests/lifecycle/test_up_down.py",
    "tests/loadtest/test_loadtest.py",
    "tests/observability/test_commands.py",
    "tests/observability/test_dashboards_and_rules.py",
    "tests/observability/test_stage1_module.py",
    "tests/observability/test_stage2_monitoring.py",
    "tests/packaging/test_wheel.py",
    "tests/render/test_core_render.py",
    "tests/render/test_datastores.py",
    "tests/render/test_gates.py",
    "tests/render/test_ingress.py",
    "tests/render/test_workloads_render.py",
    "tests/terraform/test_cluster_stack.py",
    "tests/terraform/test_edge_module.py",
    "tests/terraform/test_meilisearch_host.py",
    "tests/terraform/test_stage1_checkov.py",
    "tests/terraform/test_stage1_counts.py",
    "tests/terraform/test_stage1_module_tests.py",
    "tests/terraform/test_stage1_stack.py",
    "tests/terraform/test_stage1_static.py",
    "tests/unit/test_caddyfile.py",
    "tests/unit/test_capacity.py",
    "tests/unit/test_datastores_config.py",
    "tests/unit/test_docs_table.py",
    "tests/unit/test_schemas.py",
    "tests/unit/test_startup_imports.py",
    "tests/unit/test_workloads_config.py",
    "tests/validate/test_aws_checks.py",
    "tests/validate/test_cluster_checks.py",
    "tests/validate/test_front_door.py",
    "tests/validate/test_inside_job.py",
    "tests/validate/test_probe_script.py",
    "tests/validate/test_validate_command.py",
)

# Added to the files above after 6d07f3f and run with them (test functions counted with
# `def test_`, run blocks with `^run `): the subset is slightly larger than the suite of
# 6d07f3f, never smaller.
LATER_ADDITIONS = {
    "tests/backup/test_dump_jobs.py": "1 test function (7 -> 8)",
    "tests/driver/test_contract_drift.py": "2 test functions (4 -> 6)",
    "tests/terraform/test_stage1_stack.py": "test_every_test_file_is_listed (the stack's"
    " tftest files, 1 call before, now one call per file)",
    "tests/unit/test_startup_imports.py": "3 test functions (1 -> 4)",
    "tests/unit/test_workloads_config.py": "3 test functions (4 -> 7)",
    "tests/terraform/test_stage1_module_tests.py": "modules/eks network_policy.tftest.hcl"
    " (2 runs) and 2 runs of modules/mysql: the module's `terraform test` runs them all",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("subset", "all"))
    parser.add_argument("-n", "--workers", default=os.environ.get("EKS_TEST_WORKERS", "2"))
    args, extra = parser.parse_known_args()

    missing = [path for path in SUBSET if not (ROOT / path).is_file()]
    if missing:
        print(f"subset files missing (update SUBSET): {', '.join(missing)}", file=sys.stderr)
        return 1
    targets = list(SUBSET) if args.mode == "subset" else []
    python = ROOT / ".venv" / "bin" / "python"
    cmd = [
        str(python if python.exists() else sys.executable), "-m", "pytest",
        "-p", "no:cacheprovider", "-q", "--durations=10",
        "-n", str(args.workers), "--dist", "worksteal", *extra, *targets,
    ]
    load_before = os.getloadavg()
    started = time.monotonic()
    status = subprocess.call(cmd, cwd=ROOT)
    elapsed = time.monotonic() - started
    load_after = os.getloadavg()
    # CPU seconds of pytest and everything it waited for (terraform, tutor, checkov...):
    # less sensitive to the machine's load than the wall time; divided by the cores it is
    # the least wall time the run could take on them.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    print(
        f"== {args.mode}: {elapsed:.0f}s wall ({elapsed / 60:.1f} min), {cpu:.0f} CPU-s,"
        f" {args.workers} workers,"
        f" pytest exit {status}; load average before {load_before[0]:.2f}/{load_before[1]:.2f}"
        f"/{load_before[2]:.2f}, after {load_after[0]:.2f}/{load_after[1]:.2f}"
        f"/{load_after[2]:.2f}"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
