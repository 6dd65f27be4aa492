"""The driver's pieces on their own: backend, tfvars, workdir sync, contract, errors.

Terraform runs for real where a piece talks to it; Secrets Manager is moto.
"""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

import boto3
import pytest
from tutor import exceptions

from tutor_eks_plugin.infra import backend, contract, variables, workdir
from tutor_eks_plugin.infra.secrets import SecretReader
from tutor_eks_plugin.infra.terraform import Terraform, TerraformFailed, error_lines

from .conftest import FIXTURES, REGION


def test_s3_backend_settings() -> None:
    config = {
        "EKS_STATE_BACKEND": "s3",
        "EKS_STATE_BUCKET": "acme-tf-state",
        "EKS_STATE_KEY": "/tutor-eks/prod/",
        "EKS_STATE_REGION": "eu-west-1",
        "EKS_STATE_KMS_KEY_ID": "alias/tf-state",
        "EKS_AWS_REGION": "eu-central-1",
    }
    chosen = backend.from_config(config, "cluster")
    assert chosen.kind == "s3"
    assert chosen.settings == {
        "bucket": "acme-tf-state",
        "key": "tutor-eks/prod/cluster.tfstate",
        "region": "eu-west-1",
        "encrypt": "true",
        "use_lockfile": "true",
        "kms_key_id": "alias/tf-state",
    }
    assert 'backend "s3" {}' in chosen.override_tf


def test_local_backend_and_missing_bucket() -> None:
    local = backend.from_config({"EKS_STATE_BACKEND": "local"}, "aws")
    assert local.settings == {"path": "../../state/aws.tfstate"}
    with pytest.raises(exceptions.TutorError, match="EKS_STATE_BUCKET is empty"):
        backend.from_config({"EKS_STATE_BACKEND": "s3", "EKS_STATE_BUCKET": ""}, "aws")


def test_tfvars_only_declared_and_never_secrets() -> None:
    stack = FIXTURES / "stacks" / "aws"
    config = {
        "EKS_NAME": "acme",
        "EKS_AWS_REGION": "eu-west-1",
        "EKS_PROFILE": "production",
        "EKS_SOME_TOKEN": "hidden",  # would be variable some_token: secrets never pass
        "EKS_UNUSED": "x",
        "LMS_HOST": "learn.acme.org",
        "CMS_HOST": "studio.learn.acme.org",
        "MYSQL_ROOT_PASSWORD": "never",
    }
    values = variables.for_stage(stack, config)
    assert values == {
        "name": "acme",
        "region": "eu-west-1",
        "profile": "production",
        "lms_host": "learn.acme.org",
        "cms_host": "studio.learn.acme.org",
        # No MFE_HOST (tutor-mfe absent): tutor-mfe's default, the stack requires it.
        "mfe_host": "apps.learn.acme.org",
    }
    assert "some_token" not in variables.from_config(config)
    upstream = {
        "cluster_name": {"value": "acme-eks", "sensitive": False},
        "vpc_id": {"value": "vpc-1", "sensitive": True},  # sensitive outputs stay put
    }
    cluster = variables.for_stage(FIXTURES / "stacks" / "cluster", config, upstream)
    assert cluster == {"name": "acme", "region": "eu-west-1", "cluster_name": "acme-eks"}


def test_workdir_sync_keeps_terraform_files(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "stacks" / "aws").mkdir(parents=True)
    (source / "modules" / "m").mkdir(parents=True)
    (source / "stacks" / "aws" / "main.tf").write_text("# v1\n")
    (source / "stacks" / "aws" / "old.tf").write_text("# gone next time\n")
    (source / "stacks" / "aws" / ".terraform").mkdir()  # a developer's own init
    (source / "modules" / "m" / "main.tf").write_text("# m\n")
    chosen = backend.Backend("local", {})
    root = str(tmp_path / "root")
    path = workdir.prepare(root, source, "aws", chosen)
    assert not (path / ".terraform").exists(), "the source's .terraform is never copied"
    (path / ".terraform").mkdir()
    (path / ".terraform.lock.hcl").write_text("lock\n")
    workdir.write_tfvars(path, {"name": "x"})
    (source / "stacks" / "aws" / "old.tf").unlink()
    (source / "stacks" / "aws" / "main.tf").write_text("# v2\n")
    workdir.prepare(root, source, "aws", chosen)
    assert (path / "main.tf").read_text() == "# v2\n"
    assert not (path / "old.tf").exists()
    assert (path / ".terraform").is_dir() and (path / ".terraform.lock.hcl").is_file()
    assert (path / workdir.TFVARS_FILE).is_file()
    assert (Path(root) / "eks-infra" / "modules" / "m" / "main.tf").is_file()


def test_error_lines_keep_errors_drop_warnings() -> None:
    stderr = (
        "\u2577\n\u2502 Warning: Unable to open CLI configuration file\n\u2502\n"
        "\u2502 The CLI configuration file does not exist.\n\u2575\n\n"
        "\u2577\n\u2502 Error: Unsupported argument\n\u2502\n"
        '\u2502   on main.tf line 3, in resource "terraform_data" "x":\n'
        '\u2502    3:   nope = 1\n\u2502\n\u2502 An argument named "nope" is not expected here.\n'
        "\u2575\n"
    )
    text = error_lines(stderr)
    assert text.startswith("Error: Unsupported argument")
    assert 'An argument named "nope" is not expected here.' in text
    assert "Warning" not in text and "\u2502" not in text


def test_adapter_validate_failure_is_one_tutor_error(tmp_path: Path, terraform_bin: str) -> None:
    (tmp_path / "main.tf").write_text('resource "terraform_data" "x" {\n  nope = 1\n}\n')
    terraform = Terraform(tmp_path, "aws", terraform_bin)
    terraform.init(None)
    with pytest.raises(TerraformFailed) as failed:
        terraform.validate()
    message = str(failed.value)
    assert message.startswith("terraform validate failed in stage 'aws' (exit code 1):")
    assert "Error: Unsupported argument" in message


def _outputs(**values: t.Any) -> dict[str, dict[str, t.Any]]:
    return {k: {"value": v, "sensitive": False, "type": "string"} for k, v in values.items()}


@pytest.fixture
def reader(aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> SecretReader:
    for key, value in aws_env.items():
        monkeypatch.setenv(key, value)
    return SecretReader(REGION)


def _secret(aws_env: dict[str, str], name: str, value: str) -> str:
    client = boto3.client("secretsmanager", region_name=REGION)
    return str(client.create_secret(Name=name, SecretString=value)["ARN"])


def test_contract_null_missing_and_ports(reader: SecretReader) -> None:
    outputs = _outputs(mysql_host="db.internal", mysql_port=3306.0, redis_port=6379)
    declared = {"mysql_host", "mysql_port", "redis_port", "media_bucket_name"}
    mapped = contract.to_tutor(outputs, declared, reader)
    assert mapped.values == {"MYSQL_HOST": "db.internal", "MYSQL_PORT": 3306, "REDIS_PORT": 6379}
    assert "media_bucket_name" not in mapped.missing  # declared, null: skipped quietly
    assert "cluster_name" in mapped.missing
    with pytest.raises(exceptions.TutorError, match="not a TCP port"):
        contract.to_tutor(_outputs(mysql_port=70000), declared, reader)


def test_contract_secret_errors_never_show_values(
    reader: SecretReader, aws_env: dict[str, str]
) -> None:
    value = json.dumps({"user": "admin", "pass": "s3cr3t-wrong-key"})
    arn = _secret(aws_env, "adapter/wrong-shape", value)
    with pytest.raises(exceptions.TutorError) as failed:
        contract.to_tutor(_outputs(mysql_admin_secret_arn=arn), set(), reader)
    assert "not a JSON object with a string 'password' key" in str(failed.value)
    assert "s3cr3t-wrong-key" not in str(failed.value)
    missing = arn.rsplit(":", 1)[0] + ":adapter/does-not-exist-AbCdEf"
    with pytest.raises(exceptions.TutorError, match="ResourceNotFoundException"):
        contract.to_tutor(_outputs(redis_auth_secret_arn=missing), set(), reader)


def test_contract_name_must_match() -> None:
    with pytest.raises(exceptions.TutorError, match="belongs to instance 'other'"):
        contract.check_name(_outputs(name="other"), {"EKS_NAME": "openedx"})
    contract.check_name(_outputs(name="openedx"), {"EKS_NAME": "openedx"})


def test_plugin_choices_drive_the_stack_variables() -> None:
    """One setting drives both the render and the infrastructure."""
    from tutor_eks_plugin.infra.variables import from_config

    values = from_config({
        "EKS_MEDIA_BACKEND": "s3", "EKS_MONGODB_MODE": "byo",
        "EKS_OPENSEARCH_LMS_SEARCH": False, "EKS_OPENSEARCH_FORUM_SEARCH": True,
        "EKS_INGRESS_PROXY_TIMEOUT_SECONDS": 600, "EKS_INGRESS_DEFAULT_MAX_BODY_SIZE": "8m",
        "EKS_MEDIA_STORAGE_CLASS": "efs-media", "EKS_INGRESS_CLASS_NAME": "nginx",
    })
    assert values["media_bucket_enabled"] is True
    assert values["bring_your_own_mongodb"] is True
    assert values["opensearch_enabled"] is True
    assert values["nginx_proxy_timeout"] == "600s"
    assert values["nginx_client_max_body_size"] == "8m"
    assert values["media_storage_class_name"] == "efs-media"
    assert values["ingress_class_name"] == "nginx"
    assert from_config({"EKS_MEDIA_BACKEND": "efs"})["media_bucket_enabled"] is False
