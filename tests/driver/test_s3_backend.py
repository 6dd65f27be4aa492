"""The S3 state backend for real: Terraform's own s3 backend against moto on 127.0.0.1
(Terraform honours AWS_ENDPOINT_URL like boto3). Checks the key layout, SSE-KMS with
EKS_STATE_KMS_KEY_ID, and the S3-native lock (use_lockfile)."""

from __future__ import annotations

import json

import boto3
import pytest

from .conftest import REGION, Instance
from .state_backend import use_s3_state


@pytest.fixture
def s3_instance(instance: Instance, aws_env: dict[str, str]) -> tuple[Instance, str, str]:
    bucket = f"state-{instance.root.parent.name[-20:].lower().replace('_', '-')}".strip("-")
    boto3.client("s3", region_name=REGION).create_bucket(Bucket=bucket)
    key_id = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["KeyId"]
    use_s3_state(instance, bucket, key_id)
    return instance, bucket, key_id


@pytest.fixture(autouse=True)
def _boto_to_moto(aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in aws_env.items():
        monkeypatch.setenv(key, value)


def test_state_in_s3_encrypted_and_locked(s3_instance: tuple[Instance, str, str]) -> None:
    instance, bucket, key_id = s3_instance
    result = instance.infra("apply", "--stage", "aws")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "EKS_STATE_BACKEND=local" not in result.stdout + result.stderr

    s3 = boto3.client("s3", region_name=REGION)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == ["tutor-eks/drvtest/aws.tfstate"], "the lock file is removed after the run"
    head = s3.head_object(Bucket=bucket, Key=keys[0])
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"].endswith(key_id)
    state = json.loads(s3.get_object(Bucket=bucket, Key=keys[0])["Body"].read())
    assert state["outputs"]["cluster_name"]["value"] == "drvtest-eks"
    assert not (instance.root / "eks-infra" / "state").exists()

    # Another run holds the lock: terraform refuses, nothing changes.
    s3.put_object(Bucket=bucket, Key=f"{keys[0]}.tflock", Body=b'{"ID": "held-by-test"}')
    before = instance.config_bytes()
    result = instance.infra("apply", "--stage", "aws")
    assert result.returncode == 1
    assert "Error acquiring the state lock" in result.stderr
    assert instance.config_bytes() == before
