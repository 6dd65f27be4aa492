"""terraform/modules/observability and its composition in terraform/stacks/aws: fmt,
`terraform test` with the real AWS provider schema (both provider configurations mocked;
terraform/modules/observability/tests), checkov with zero failed checks, the README, and
the alarm-threshold names kept equal across HCL and the EKS_ALARM_THRESHOLDS setting.

The per-profile alarm assertions sit on the stack's applies (terraform/stacks/aws/tests/
small.tftest.hcl and production.tftest.hcl), run by tests/terraform/test_stage1_stack.py:
the stack is applied once per profile, not once more for its alarms.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.terraform.edge_tf_helpers import blocks, load_dir
from tests.terraform.module_checks import (
    assert_fmt_clean,
    assert_readme_documents_the_interface,
    initialised_copy,
)
from tests.terraform.tf_common import assert_checkov_clean, assert_terraform_test_runs
from tutor_eks_plugin.settings import observability as settings

REPO = Path(__file__).resolve().parents[2]
MODULE = REPO / "terraform" / "modules" / "observability"
STACK_FILE = REPO / "terraform" / "stacks" / "aws" / "observability.tf"

# One plan from the empty state expects both input errors; one apply; the other cases
# are plans on that apply's state.
EXPECTED_RUNS = {
    "rejects_invalid_inputs",
    "topics_policies_and_roles",
    "alarms_and_their_dimensions",
    "replica_lag_with_readers_and_no_docdb_alarms_without_docdb",
    "no_docdb_alarms_with_byo_mongodb",
}


def test_fmt_is_clean(terraform_bin: str) -> None:
    assert_fmt_clean(terraform_bin, REPO, str(MODULE), str(STACK_FILE))


def test_terraform_test_with_mocked_providers(
    tmp_path: Path, terraform_bin: str, provider_mirror: str
) -> None:
    workdir = initialised_copy(MODULE, tmp_path / "observability", terraform_bin, provider_mirror)
    assert_terraform_test_runs(terraform_bin, workdir, EXPECTED_RUNS)


def test_checkov_finds_no_failed_check(checkov_bin: str) -> None:
    assert_checkov_clean(checkov_bin, MODULE, min_passed=40)


def test_module_layout_and_readme() -> None:
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
        assert (MODULE / name).is_file(), name
    assert_readme_documents_the_interface(MODULE)


def _hcl_list(text: str, start: str) -> list[str]:
    block = text[text.index(start):]
    return re.findall(r'"([a-z0-9_]+)"', block[: block.index("]")])


def test_threshold_names_are_one_list() -> None:
    """EKS_ALARM_THRESHOLDS, the stack's per-profile values and its validation, and the
    module's thresholds object name the same thresholds."""
    stack = load_dir(STACK_FILE.parent)
    profiles = {}
    for entry in stack["locals"]:
        profiles.update(entry.get("alarm_thresholds", {}))
    assert set(profiles) == {"small", "production"}
    python = set(settings.ALARM_THRESHOLDS)
    for profile, values in profiles.items():
        assert set(values) == python, profile
    text = STACK_FILE.read_text(encoding="utf-8")
    assert set(_hcl_list(text, "condition = alltrue([for k in keys(var.alarm_thresholds)")) == python
    module_type = blocks(load_dir(MODULE), "variable")["thresholds"]["type"]
    assert set(re.findall(r"([a-z0-9_]+)\s*[:=]\s*number", module_type)) == python


@pytest.mark.parametrize(("value", "ok"), [
    ({}, True),
    ({"alb_p99_seconds": 2.5, "redis_evictions": 0}, True),
    ({"rds_cpu": 50}, False),
    ({"rds_cpu_percent": 150}, False),
    ({"evaluation_periods": 0}, False),
    ({"waf_blocked_requests": -1}, False),
    ({"alb_elb_5xx": True}, False),
])
def test_threshold_setting_validation(value: object, ok: bool) -> None:
    assert settings.Thresholds().ok(value) is ok


@pytest.mark.parametrize(("value", "ok"), [(0, True), (30, True), (3653, True), (45, False),
                                           (True, False), ("30", False)])
def test_retention_setting_validation(value: object, ok: bool) -> None:
    assert settings.RetentionDays().ok(value) is ok


def test_docs_alarm_table_matches_the_profiles() -> None:
    """docs/observability.md's alarm table shows the thresholds observability.tf sets."""
    stack = load_dir(STACK_FILE.parent)
    profiles: dict[str, dict[str, float]] = {}
    for entry in stack["locals"]:
        profiles.update(entry.get("alarm_thresholds", {}))
    doc = (REPO / "docs" / "observability.md").read_text(encoding="utf-8")
    checked = 0
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != 5 or not re.fullmatch(r"`[a-z0-9_]+`", cells[4]):
            continue
        key = cells[4].strip("`")
        if key == "mysql_connections_percent":
            continue  # shown as connections; the stack test asserts 272 and 545
        for profile, cell in (("small", cells[2]), ("production", cells[3])):
            if cell.startswith("—"):
                continue
            shown = float(re.search(r"[0-9]+(\.[0-9]+)?", cell).group(0))  # type: ignore[union-attr]
            assert shown == float(profiles[profile][key]), f"{key} ({profile}): doc {cell}"
            checked += 1
    assert checked >= 24
