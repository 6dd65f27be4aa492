"""Pointing a test instance's Terraform state at an S3 bucket (the driver's and the
bootstrap's tests set the same three keys)."""

from __future__ import annotations

from tests.driver.conftest import Instance


def use_s3_state(instance: Instance, bucket: str, kms_key: str | None = None) -> None:
    """`tutor config save` with EKS_STATE_BACKEND=s3 and EKS_STATE_BUCKET=bucket (and
    EKS_STATE_KMS_KEY_ID when ``kms_key`` is given, "" included); it must succeed."""
    settings = ["--set", "EKS_STATE_BACKEND=s3", "--set", f"EKS_STATE_BUCKET={bucket}"]
    if kms_key is not None:
        settings += ["--set", f"EKS_STATE_KMS_KEY_ID={kms_key}"]
    saved = instance.tutor("config", "save", *settings)
    assert saved.returncode == 0, saved.stderr
