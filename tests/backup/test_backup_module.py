"""terraform/modules/backup: fmt, validate through a root that passes both provider
configurations, `terraform test` with both mocked (the real AWS provider schema checks
every argument), checkov, and the README's tables."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.terraform.edge_tf_helpers import REPO
from tests.terraform.module_checks import (
    assert_fmt_clean,
    assert_readme_documents_the_interface,
    initialised_copy,
    validate_as_child,
)
from tests.terraform.tf_common import assert_checkov_clean, assert_terraform_test_runs

MODULE = REPO / "terraform" / "modules" / "backup"

# The plan-only runs come first in the file, from the empty state; each rejects run
# expects several failures at once (tests/backup.tftest.hcl says which may share a run).
EXPECTED_RUNS = {
    "rejects_invalid_inputs",
    "rejects_unsafe_combinations",
    "docdb_absent_when_mongodb_is_external",
    "small_profile",
    "production_profile",
}

WRAPPER = """
provider "aws" {{
  region = "eu-west-1"
}}

provider "aws" {{
  alias  = "copy"
  region = "eu-central-1"
}}

module "backup" {{
  source    = "{source}"
  providers = {{ aws = aws, aws.copy = aws.copy }}

  name                   = "demo"
  kms_key_arn            = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  mysql_instance_arn     = "arn:aws:rds:eu-west-1:111122223333:db:demo-mysql"
  efs_file_system_arn    = "arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0123456789abcdef0"
  meilisearch_volume_arn = "arn:aws:ec2:eu-west-1:111122223333:volume/vol-0123456789abcdef0"
  cluster_name           = "demo"
  copy_region            = "eu-central-1"
}}
"""


@pytest.fixture(scope="module")
def module_copy(
    tmp_path_factory: pytest.TempPathFactory, terraform_bin: str, provider_mirror: str
) -> Path:
    return initialised_copy(MODULE, tmp_path_factory.mktemp("backup") / "backup", terraform_bin,
                            provider_mirror)


def test_fmt_is_clean(terraform_bin: str) -> None:
    assert_fmt_clean(terraform_bin, MODULE)


def test_validate_through_wrapper_root(
    tmp_path: Path, module_copy: Path, terraform_bin: str, provider_mirror: str
) -> None:
    report = validate_as_child(terraform_bin, provider_mirror, tmp_path,
                               WRAPPER.format(source=module_copy.as_posix()))
    assert report["valid"] and not report["diagnostics"], json.dumps(report, indent=2)


def test_terraform_test_per_profile(module_copy: Path, terraform_bin: str) -> None:
    assert_terraform_test_runs(terraform_bin, module_copy, EXPECTED_RUNS)


def test_checkov_finds_no_failed_check(checkov_bin: str) -> None:
    assert_checkov_clean(checkov_bin, MODULE, min_passed=30)


def test_readme_lists_every_input_and_output() -> None:
    assert_readme_documents_the_interface(MODULE)


def test_bucket_name_matches_what_the_commands_derive() -> None:
    """One truth in two languages: the dumps bucket name the CLI computes."""
    from tutor_eks_plugin.backup import stores

    text = (MODULE / "dumps.tf").read_text(encoding="utf-8")
    expected = stores.bucket_name("NAME", "ACCOUNT", "REGION")
    hcl = re.search(r'bucket\s*=\s*"([^"]+)"', text).group(1)
    rendered = (
        hcl.replace("${var.name}", "NAME")
        .replace("${data.aws_caller_identity.current.account_id}", "ACCOUNT")
        .replace("${data.aws_region.current.name}", "REGION")
    )
    assert rendered == expected
