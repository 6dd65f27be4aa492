"""What the driver says and when: stage order, refusals before terraform, one error
block, stage-1 outputs saved before stage 2, a bad secret traced to its secret.

Real tutor CLI, real terraform on the fixture stacks, Secrets Manager in moto.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import boto3
import yaml

from .conftest import REGION, Instance, Secrets, broken_source

FAILING_CLUSTER = """\
resource "terraform_data" "doomed" {
  input = var.cluster_name

  lifecycle {
    postcondition {
      condition     = self.id == "never"
      error_message = "The stage-2 release failed."
    }
  }
}
"""
FAILING_AWS = FAILING_CLUSTER.replace("var.cluster_name", '"x"').replace(
    "stage-2 release", "doomed resource"
)


def _failed(instance: Instance, result, before: bytes) -> str:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, result.stdout + result.stderr
    assert instance.config_bytes() == before, "config.yml changed on a refused run"
    return str(result.stderr)


def test_apply_stage_two_before_stage_one_says_what_to_do(instance: Instance) -> None:
    before = instance.config_bytes()
    err = _failed(instance, instance.infra("apply", "--stage", "cluster"), before)
    assert "run `tutor eks infra apply --stage aws` first" in err
    assert "No value for required variable" not in err


def test_invalid_eks_terraform_is_refused_even_with_terraform_on_path(
    instance: Instance, tmp_path: Path
) -> None:
    before = instance.config_bytes()
    missing = str(tmp_path / "no" / "terraform")
    err = _failed(instance, instance.infra("plan", env={"EKS_TERRAFORM": missing}), before)
    assert f"EKS_TERRAFORM={missing} cannot be run" in err
    assert "not found on PATH" not in err
    not_terraform = shutil.which("true")
    assert not_terraform
    err = _failed(instance, instance.infra("plan", env={"EKS_TERRAFORM": not_terraform}), before)
    assert f"EKS_TERRAFORM={not_terraform} is not a terraform binary" in err


def test_production_refusal_comes_before_init_and_credentials(instance: Instance) -> None:
    settings = [
        "--set", "EKS_PROFILE=production",
        "--set", "EKS_STATE_BACKEND=s3", "--set", "EKS_STATE_BUCKET=no-such-state-bucket",
    ]  # fmt: skip
    assert instance.tutor("config", "save", *settings).returncode == 0
    before = instance.config_bytes()
    # No credentials and no reachable endpoint: any AWS call would fail first.
    no_aws = {
        "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1",
    }  # fmt: skip
    result = instance.infra("destroy", "--yes", env=no_aws)
    err = _failed(instance, result, before)
    assert "Deletion protection is on (EKS_PROFILE is 'production')" in err
    assert "terraform init" not in result.stdout + err
    assert not (instance.root / "eks-infra" / "stacks" / "aws" / ".terraform").exists()


def test_plan_is_announced_after_init_ran(instance: Instance) -> None:
    result = instance.infra("plan", "--stage", "aws")
    assert result.returncode == 2, result.stdout + result.stderr
    out = result.stdout
    assert out.index("Stage aws: terraform init") < out.index("Stage aws: terraform plan")


def test_terraform_error_blocks_are_printed_once(
    instance: Instance, fixture_source: Path, tmp_path: Path
) -> None:
    source = broken_source(fixture_source, tmp_path / "src", {"doomed.tf": FAILING_AWS})
    before = instance.config_bytes()
    result = instance.infra("apply", "--stage", "aws", env={"EKS_TERRAFORM_SOURCE": str(source)})
    err = _failed(instance, result, before)
    assert err.count("Error: Resource postcondition failed") == 1, err
    assert err.count("The doomed resource failed.") == 1, err
    assert "terraform apply failed in stage 'aws' (exit code 1)" in err


def test_stage_one_outputs_are_saved_when_stage_two_fails(
    instance: Instance, fixture_source: Path, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    shutil.copytree(fixture_source, source)
    (source / "stacks" / "cluster" / "doomed.tf").write_text(FAILING_CLUSTER)
    result = instance.infra("apply", env={"EKS_TERRAFORM_SOURCE": str(source)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The stage-2 release failed." in result.stderr
    out = result.stdout
    assert out.index("Tutor config updated from the stage-1 outputs") < out.index(
        "Stage cluster: terraform apply"
    )
    config = yaml.safe_load(instance.config_bytes())
    assert config["EKS_CLUSTER_NAME"] == "drvtest-eks"
    assert config["MYSQL_HOST"].startswith("drvtest-mysql.")


def test_invalid_fetched_secret_names_the_secret_not_config_save(
    instance: Instance, fixture_source: Path, fixture_secrets: Secrets, tmp_path: Path,
    aws_env: dict[str, str],
) -> None:
    client = boto3.client(
        "secretsmanager", region_name=REGION, endpoint_url=aws_env["AWS_ENDPOINT_URL"],
        aws_access_key_id="testing", aws_secret_access_key="testing",  # noqa: S106
    )
    # Values are fetched (and so validated) with EKS_SECRETS_SOURCE=config; with the
    # default secretsmanager source only references are written (tests/driver/test_secret_sync.py).
    assert instance.tutor("config", "save", "--set", "EKS_SECRETS_SOURCE=config").returncode == 0
    bad_value = "token-with-$dollar-and-`tick`"
    arn = client.create_secret(Name=f"driver-tests/bad-{tmp_path.name}", SecretString=bad_value)[
        "ARN"
    ]
    source = tmp_path / "src"
    shutil.copytree(fixture_source, source)
    tfvars = source / "stacks" / "aws" / "fixture.auto.tfvars.json"
    tfvars.write_text(json.dumps({**fixture_secrets.arns, "redis_auth_secret_arn": arn}))
    before = instance.config_bytes()
    result = instance.infra("apply", "--stage", "aws", env={"EKS_TERRAFORM_SOURCE": str(source)})
    err = _failed(instance, result, before)
    assert "REDIS_PASSWORD=(hidden) is not valid" in err
    assert f"Secrets Manager secret {arn} (stage-1 output redis_auth_secret_arn)" in err
    assert "tutor config save --set" not in err.replace("`tutor config save --set` cannot", "")
    assert bad_value not in result.stdout + err
