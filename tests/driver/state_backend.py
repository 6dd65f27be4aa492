"""Pointing a test instance's Terraform state at an S3 bucket (the driver's and the
bootstrap's tests set the same three keys)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.driver.conftest import Instance

# The bucket an S3 template root is saved with; each test then names its own.
PLACEHOLDER_BUCKET = "tfstate-template-placeholder"


def use_s3_state(instance: Instance, bucket: str, kms_key: str | None = None) -> None:
    """`tutor config save` with EKS_STATE_BACKEND=s3 and EKS_STATE_BUCKET=bucket (and
    EKS_STATE_KMS_KEY_ID when ``kms_key`` is given, "" included); it must succeed."""
    settings = ["--set", "EKS_STATE_BACKEND=s3", "--set", f"EKS_STATE_BUCKET={bucket}"]
    if kms_key is not None:
        settings += ["--set", f"EKS_STATE_KMS_KEY_ID={kms_key}"]
    saved = instance.tutor("config", "save", *settings)
    assert saved.returncode == 0, saved.stderr


def s3_template(template: Path, dest: Path) -> Path:
    """A copy of ``template`` saved once through the real `tutor config save` with the S3
    backend and PLACEHOLDER_BUCKET (for tests that each use another bucket: see
    ``use_s3_bucket``)."""
    shutil.copytree(template, dest)
    use_s3_state(Instance(dest, {}, []), PLACEHOLDER_BUCKET, "")
    return dest


def use_s3_bucket(instance: Instance, s3_root: Path, bucket: str) -> None:
    """The instance becomes a copy of ``s3_root`` (from ``s3_template``) whose
    EKS_STATE_BUCKET is ``bucket``: config.yml as `tutor config save --set
    EKS_STATE_BUCKET=bucket` writes it, without a tutor process per test (the save of the
    S3 settings ran once, for the template). The env/ folder keeps the template's render,
    which `tutor eks infra` does not read."""
    shutil.rmtree(instance.root)
    shutil.copytree(s3_root, instance.root)
    config = instance.root / "config.yml"
    text = config.read_text()
    line = f"EKS_STATE_BUCKET: {PLACEHOLDER_BUCKET}\n"
    assert text.count(line) == 1, "the S3 template root names the placeholder bucket once"
    config.write_text(text.replace(line, f"EKS_STATE_BUCKET: {bucket}\n"))
