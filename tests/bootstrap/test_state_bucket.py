"""`tutor eks infra init` bootstraps the S3 state bucket: against moto S3 on 127.0.0.1,
through the real `tutor` CLI (terraform init then uses the bucket as its backend)."""

from __future__ import annotations

import json
import secrets
import typing as t
from pathlib import Path

import boto3
import pytest

from tests.driver.conftest import REGION, Instance
from tests.driver.state_backend import s3_template, use_s3_bucket, use_s3_state


@pytest.fixture(autouse=True)
def _boto_to_moto(aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in aws_env.items():
        monkeypatch.setenv(key, value)


@pytest.fixture(autouse=True)
def _requests_over_tls(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto evaluates bucket policies but ignores their conditions (moto's
    put_bucket_policy docstring), so the bootstrap's deny-unless-TLS statement would deny
    every request, also terraform's. Against AWS, terraform and boto3 use TLS, which the
    statement lets through: this patch gives moto that answer by evaluating the policy
    without the statements whose only condition is ``aws:SecureTransport = false``."""
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    tls_only = {"Bool": {"aws:SecureTransport": "false"}}

    def get_permission(self: FakeBucket, action: str, resource: str) -> t.Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = json.loads(self.policy)
        kept = [s for s in policy["Statement"] if s.get("Condition") != tls_only]
        if not kept:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps({**policy, "Statement": kept})).is_action_permitted(
            action, resource
        )

    monkeypatch.setattr(FakeBucket, "get_permission", get_permission)


@pytest.fixture(scope="module")
def s3_root(template_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The driver's template root saved once with the S3 backend (no KMS key); each test
    names its own bucket in a copy (tests/driver/state_backend.py)."""
    return s3_template(template_root, tmp_path_factory.mktemp("s3-template") / "root")


def _s3() -> t.Any:
    return boto3.client("s3", region_name=REGION)


def _use_bucket(instance: Instance, s3_root: Path) -> str:
    bucket = f"tfstate-{secrets.token_hex(6)}"
    use_s3_bucket(instance, s3_root, bucket)
    return bucket


def _exists(bucket: str) -> bool:
    return bucket in [b["Name"] for b in _s3().list_buckets()["Buckets"]]


def bucket_settings(bucket: str) -> dict[str, t.Any]:
    """Everything the bootstrap sets, as S3 reports it back."""
    s3 = _s3()
    return {
        "versioning": s3.get_bucket_versioning(Bucket=bucket).get("Status"),
        "encryption": s3.get_bucket_encryption(Bucket=bucket)[
            "ServerSideEncryptionConfiguration"
        ]["Rules"],
        "public_access_block": s3.get_public_access_block(Bucket=bucket)[
            "PublicAccessBlockConfiguration"
        ],
        "ownership": s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"][
            "Rules"
        ],
        "policy": json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]),
        "lifecycle": s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"],
        "tags": s3.get_bucket_tagging(Bucket=bucket)["TagSet"],
    }


def test_created_with_every_setting_after_yes(instance: Instance) -> None:
    key_id = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["KeyId"]
    # The three S3 keys through the real `tutor config save --set` (the other tests
    # start from a root saved so once).
    bucket = f"tfstate-{secrets.token_hex(6)}"
    use_s3_state(instance, bucket, key_id)
    result = instance.infra("init", "--stage", "aws", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"The state bucket s3://{bucket} does not exist" in result.stdout
    assert f"State bucket s3://{bucket} created." in result.stdout

    found = bucket_settings(bucket)
    print(json.dumps(found, indent=2))  # the report quotes this read-back
    assert found["versioning"] == "Enabled"
    assert found["encryption"] == [
        {
            "ApplyServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms",
                "KMSMasterKeyID": key_id,
            },
            "BucketKeyEnabled": True,
        }
    ]
    assert found["public_access_block"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    assert found["ownership"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    (statement,) = found["policy"]["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == "*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert sorted(statement["Resource"]) == [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
    (rule,) = found["lifecycle"]
    assert rule["Status"] == "Enabled"
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 90}
    assert rule["Filter"] == {"Prefix": ""}, "every state key"

    # terraform init used it: the backend is the new bucket. A second init reuses it.
    again = instance.infra("init", "--stage", "aws")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "does not exist" not in again.stdout
    assert f"State bucket s3://{bucket}: versioned, not public" in again.stdout
    assert bucket_settings(bucket) == found


def test_sse_s3_without_kms_key_after_prompt(instance: Instance, s3_root: Path) -> None:
    bucket = _use_bucket(instance, s3_root)
    result = instance.infra("init", "--stage", "aws", stdin="y\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Create the state bucket? [y/N]" in result.stdout
    (rule,) = bucket_settings(bucket)["encryption"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert bucket_settings(bucket)["versioning"] == "Enabled"


@pytest.mark.parametrize("stdin", ["n\n", ""])
def test_nothing_created_when_the_answer_is_no(
    instance: Instance, s3_root: Path, stdin: str
) -> None:
    bucket = _use_bucket(instance, s3_root)
    before = instance.config_bytes()
    result = instance.infra("init", "--stage", "aws", stdin=stdin)
    assert result.returncode == 1
    assert f"State bucket s3://{bucket} not created (answer was no)" in result.stderr
    assert not _exists(bucket)
    assert not (instance.root / "eks-infra" / "stacks" / "aws" / ".terraform").exists()
    assert instance.config_bytes() == before


def _existing(versioned: bool) -> str:
    bucket = f"tfstate-{secrets.token_hex(6)}"
    _s3().create_bucket(Bucket=bucket)
    if versioned:
        _s3().put_bucket_versioning(
            Bucket=bucket, VersioningConfiguration={"Status": "Enabled"}
        )
    return bucket


def test_existing_good_bucket_reused_untouched(instance: Instance, s3_root: Path) -> None:
    bucket = _existing(versioned=True)
    use_s3_bucket(instance, s3_root, bucket)
    result = instance.infra("init", "--stage", "aws")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Create the state bucket?" not in result.stdout
    s3 = _s3()
    # Untouched: none of what the bootstrap would have set appears.
    for read in (s3.get_bucket_policy, s3.get_bucket_lifecycle_configuration):
        with pytest.raises(s3.exceptions.ClientError):
            read(Bucket=bucket)
    with pytest.raises(s3.exceptions.ClientError):
        s3.get_public_access_block(Bucket=bucket)


def test_unversioned_bucket_refused(instance: Instance, s3_root: Path) -> None:
    bucket = _existing(versioned=False)
    use_s3_bucket(instance, s3_root, bucket)
    result = instance.infra("init", "--stage", "aws", "--yes")
    assert result.returncode == 1
    assert f"Refusing EKS_STATE_BUCKET='{bucket}'" in result.stderr
    assert "versioning is off" in result.stderr
    assert _s3().get_bucket_versioning(Bucket=bucket).get("Status") is None
    assert not (instance.root / "eks-infra" / "stacks" / "aws" / ".terraform").exists()


def test_public_bucket_refused(instance: Instance, s3_root: Path) -> None:
    bucket = _existing(versioned=True)
    _s3().put_bucket_acl(Bucket=bucket, ACL="public-read")
    use_s3_bucket(instance, s3_root, bucket)
    result = instance.infra("init", "--stage", "aws", "--yes")
    assert result.returncode == 1
    assert "its ACL grants READ to AllUsers (public)" in result.stderr, result.stderr


def test_bucket_policy_open_to_everyone_refused(instance: Instance, s3_root: Path) -> None:
    bucket = _existing(versioned=True)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicRead",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    _s3().put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    use_s3_bucket(instance, s3_root, bucket)
    result = instance.infra("init", "--stage", "aws")
    assert result.returncode == 1
    assert "its bucket policy allows everyone (statement PublicRead: public)" in result.stderr


def test_destroy_says_it_leaves_the_bucket(instance: Instance, s3_root: Path) -> None:
    bucket = _use_bucket(instance, s3_root)
    assert instance.infra("init", "--stage", "aws", "--yes").returncode == 0
    result = instance.infra("destroy", "--stage", "aws", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"The state bucket s3://{bucket} is left in place" in result.stdout
    assert _exists(bucket)
