"""The state-lock guards (infra/locks.py) and what an interrupted run says about the lock
(infra/terraform.py's Terraform._interrupted), decision by decision.

Fast enough to run once per mutant (scripts/mutation.sh): the lock object is read from
S3 through boto3 against the driver tests' moto server (tests/driver/conftest.py). Not
`moto.mock_aws`: in the pytest process it would reset the backends that server shares,
wiping the secrets the other driver tests created at session start; no terraform
runs (the interrupted run is the `signals.Stopped` that Terraform's runner raises
after terraform exited on a signal, as in test_signals.py).
"""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

import boto3
import pytest

from tutor_eks_plugin.infra import backend as backends
from tutor_eks_plugin.infra import locks, signals
from tutor_eks_plugin.infra.terraform import Terraform

# ---- locks --------------------------------------------------------------------------

LOCK_ERROR = """
Error: Error acquiring the state lock

Error message: operation error S3: PutObject, https response error StatusCode: 412
Lock Info:
  ID:        8b5f5e1c-3a5e-7a3c-1d3b-4f7e0c2f9a11
  Path:      state/aws.tfstate
  Operation: OperationTypeApply
  Who:       me@host
"""


def test_lock_id_from_terraform_error() -> None:
    assert locks.id_from_error(LOCK_ERROR) == "8b5f5e1c-3a5e-7a3c-1d3b-4f7e0c2f9a11"
    assert locks.id_from_error("Error: something else\nLock Info:\n  ID:  x\n") is None
    assert locks.id_from_error("Error acquiring the state lock\n(no info)") is None
    # The ID line of the lock info, not an earlier "ID:" of another block.
    assert locks.id_from_error("Request ID: abc\n" + LOCK_ERROR) == (
        "8b5f5e1c-3a5e-7a3c-1d3b-4f7e0c2f9a11"
    )


def test_release_advice_names_the_command() -> None:
    advice = locks.release_advice("aws", Path("/r/eks-infra/stacks/aws"), "L1")
    assert "`tutor eks infra unlock --stage aws L1`" in advice
    assert "`terraform -chdir=/r/eks-infra/stacks/aws force-unlock L1`" in advice
    assert advice.startswith("The state lock of stage 'aws' is held (lock ID L1).")


S3 = backends.Backend("s3", {"bucket": "state", "key": "eks/aws.tfstate", "region": "us-east-1"})


@pytest.fixture()
def s3(monkeypatch: pytest.MonkeyPatch, moto_endpoint: str) -> t.Iterator[t.Any]:
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1"),
                        ("AWS_ENDPOINT_URL", moto_endpoint)):
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", region_name="us-east-1")
    if "state" not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket="state")
    # Each test starts without a lock object (the server lives for the session).
    client.delete_object(Bucket="state", Key="eks/aws.tfstate.tflock")
    yield client


def test_no_lock_for_local_or_no_backend() -> None:
    assert locks.left_behind(None) == locks.Found(None, None)
    assert locks.left_behind(backends.Backend("local", {"path": "x"})) == (None, None)
    # Only S3 keeps a lock object: any other backend has nothing to look for.
    for kind in ("swift", "gcs", "azurerm"):
        assert locks.left_behind(backends.Backend(kind, {})) == (None, None)


def test_s3_kind_as_read_from_config(s3: t.Any) -> None:
    """The kind compared by value (a new string object, as YAML gives it)."""
    s3.put_object(Bucket="state", Key="eks/aws.tfstate.tflock", Body=json.dumps({"ID": "L-9"}))
    backend = backends.Backend("".join(["s", "3"]), dict(S3.settings))
    assert locks.left_behind(backend) == ("L-9", None)


def test_lock_left_in_s3(s3: t.Any) -> None:
    assert locks.left_behind(S3) == (None, None)  # no lock object
    s3.put_object(Bucket="state", Key="eks/aws.tfstate.tflock",
                  Body=json.dumps({"ID": "L-42", "Operation": "OperationTypeApply"}))
    assert locks.left_behind(S3) == ("L-42", None)
    s3.put_object(Bucket="state", Key="eks/aws.tfstate.tflock", Body=b"{}")
    assert locks.left_behind(S3) == (
        None, "s3://state/eks/aws.tfstate.tflock exists but holds no lock ID"
    )
    for body in (b"not json", b"[1]", b'"ID"'):
        s3.put_object(Bucket="state", Key="eks/aws.tfstate.tflock", Body=body)
        assert locks.left_behind(S3) == (
            None, "s3://state/eks/aws.tfstate.tflock exists but holds no lock ID"
        ), body


def test_lock_is_read_in_the_state_region(s3: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The client is made for the backend's region ('' = boto3's own default): a spy
    wraps boto3.client and records the region it was given."""
    regions: list[t.Optional[str]] = []
    real = boto3.client

    def client(service: str, region_name: t.Optional[str] = None, **kwargs: t.Any) -> t.Any:
        regions.append(region_name)
        return real(service, region_name=region_name, **kwargs)

    monkeypatch.setattr(boto3, "client", client)
    for region in ("eu-west-1", ""):
        settings = {**S3.settings, "region": region}
        assert locks.left_behind(backends.Backend("s3", settings)) == (None, None)
    assert regions == ["eu-west-1", None]


def test_lock_unreadable(s3: t.Any) -> None:
    missing = backends.Backend("s3", {"bucket": "nobucket", "key": "aws.tfstate"})
    assert locks.left_behind(missing) == (
        None, "could not read s3://nobucket/aws.tfstate.tflock: NoSuchBucket"
    )


def test_lock_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    """No S3 at all (connection refused on 127.0.0.1): a problem, not a traceback."""
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"), ("AWS_MAX_ATTEMPTS", "1"),
                        ("AWS_RETRY_MODE", "standard")):
        monkeypatch.setenv(name, value)
    found = locks.left_behind(S3)
    assert found.lock_id is None
    assert found.problem is not None
    assert found.problem.startswith("could not read s3://state/eks/aws.tfstate.tflock: ")


def test_interrupted_run_names_the_lock_to_release(s3: t.Any, tmp_path: Path) -> None:
    terraform = Terraform(tmp_path, "aws", "terraform")
    terraform.backend = S3
    stopped = signals.Stopped(2, 1, False, "", "")
    message = str(terraform._interrupted("apply", stopped))
    assert "SIGINT received: terraform apply in stage 'aws' stopped gracefully" in message
    assert "lock" not in message.split("\n", 1)[-1] or "\n" not in message
    s3.put_object(Bucket="state", Key="eks/aws.tfstate.tflock", Body=json.dumps({"ID": "L-7"}))
    message = str(terraform._interrupted("apply", signals.Stopped(15, 1, True, "", "")))
    assert "was stopped at once" in message
    assert "`tutor eks infra unlock --stage aws L-7`" in message
