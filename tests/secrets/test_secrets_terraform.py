"""The External Secrets Operator's role (terraform/modules/secrets-access) reads only this
deployment's secrets: `terraform test` with the mocked AWS provider (the policies are
computed by Terraform itself, so the runs read the real documents) and checkov's
Terraform policies on the module."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.terraform.tf_common import assert_checkov_clean, assert_terraform_test_runs, run

MODULE = Path(__file__).resolve().parents[2] / "terraform" / "modules" / "secrets-access"
RUNS = {
    "policy_names_only_the_deployment_secrets",
    "trust_is_pod_identity_of_this_account",
    "kms_key_only_through_secrets_manager",
    "wildcard_arn_is_refused",
}


def test_role_reads_only_the_deployment_secrets(
    tmp_path: Path, terraform_bin: str, provider_mirror: str
) -> None:
    workdir = tmp_path / "secrets-access"
    shutil.copytree(MODULE, workdir)
    result = run([terraform_bin, "init", "-backend=false", f"-plugin-dir={provider_mirror}",
                  "-no-color"], workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_terraform_test_runs(terraform_bin, workdir, RUNS)


def test_module_passes_checkov(checkov_bin: str) -> None:
    assert_checkov_clean(checkov_bin, MODULE, min_passed=3)
