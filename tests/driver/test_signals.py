"""SIGINT and SIGTERM to `tutor eks infra apply` while the real terraform applies.

The fixture stack gets one more resource whose local-exec provisioner sleeps, so the
signal lands while terraform is creating it. Each case asserts the exit code, the
message, that no process is left in the stage's working directory (terraform, or the
provisioner's shell and sleep), that the state is readable and its lock released (or
that the printed recovery works), and that config.yml is unchanged.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import typing as t
from pathlib import Path

import boto3
import pytest
from tutor_cli import TUTOR

from .conftest import REGION, TRACEBACK, Instance
from .state_backend import use_s3_state

SLOW_TF = """\
resource "terraform_data" "slow" {
  input = var.name

  provisioner "local-exec" {
    command = "echo slow-started; sleep 120; echo slow-done"
  }
}
"""
STARTED = "slow-started"


@pytest.fixture
def slow_instance(instance: Instance, fixture_source: Path, tmp_path: Path) -> Instance:
    source = tmp_path / "slow-source"
    shutil.copytree(fixture_source, source)
    (source / "stacks" / "aws" / "slow.tf").write_text(SLOW_TF)
    instance.env["EKS_TERRAFORM_SOURCE"] = str(source)
    # No `infra init` first: apply runs terraform init itself, and the signal is sent
    # only once the slow resource's provisioner printed STARTED, i.e. during apply
    # proper (the fixture stack has no provider to set up).
    return instance


def _processes_in(workdir: Path) -> list[str]:
    """Live processes whose current directory is the stage's working directory."""
    found = []
    target = str(workdir.resolve())
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cwd = os.readlink(proc / "cwd")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            comm = (proc / "comm").read_text().strip()
        except OSError:
            continue
        if cwd == target and state != "Z":
            found.append(f"{proc.name} {comm}")
    return found


def _terraform_pid(workdir: Path) -> int:
    for entry in _processes_in(workdir):
        pid, comm = entry.split(" ", 1)
        if comm == "terraform":
            return int(pid)
    raise AssertionError(f"no terraform process in {workdir}")


class Run(t.NamedTuple):
    code: int
    out: str
    err: str


def _apply_and_signal(
    instance: Instance,
    tmp_path: Path,
    signum: int,
    whole_group: bool = False,
    before_signal: t.Optional[t.Callable[[Path], None]] = None,
    env: t.Optional[dict[str, str]] = None,
) -> Run:
    out_file, err_file = tmp_path / "stdout", tmp_path / "stderr"
    full_env = {
        **os.environ, **instance.env, **(env or {}),
        "TUTOR_ROOT": str(instance.root),
        "TUTOR_PLUGINS_ROOT": str(instance.root / ".no-plugins"),
    }
    with out_file.open("w") as out, err_file.open("w") as err:
        # Its own session, like a shell job: the group case signals tutor's group only.
        process = subprocess.Popen(
            [TUTOR, "eks", "infra", "apply", "--stage", "aws"],
            stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=full_env,
            start_new_session=True,
        )
    workdir = instance.root / "eks-infra" / "stacks" / "aws"
    deadline = time.monotonic() + 120
    while STARTED not in out_file.read_text():
        assert process.poll() is None, err_file.read_text()
        assert time.monotonic() < deadline, "the slow resource never started"
        time.sleep(0.2)
    if before_signal:
        before_signal(workdir)
    if whole_group:
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)
    try:
        code = process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(
            "tutor did not exit within 90 s of the signal:\n" + out_file.read_text()
            + err_file.read_text()
        )
    run = Run(code, out_file.read_text(), err_file.read_text())
    assert TRACEBACK not in run.out + run.err, run.out + run.err
    instance.outputs.append(run.out + run.err)
    # Nothing outlives tutor: not terraform, not the provisioner's sleep.
    time.sleep(0.5)
    assert _processes_in(workdir) == [], _processes_in(workdir)
    return run


def _local_state(instance: Instance) -> dict[str, t.Any]:
    return json.loads((instance.root / "eks-infra" / "state" / "aws.tfstate").read_text())


def _assert_graceful(run: Run, signame: str, code: int) -> None:
    text = run.out + run.err
    assert run.code == code, text
    assert "Gracefully shutting down" in run.out, text
    assert "Two interrupts received" not in text, "terraform got the signal twice"
    assert (
        f"{signame} received: terraform apply in stage 'aws' stopped gracefully and saved "
        "its state" in run.err
    ), run.err
    assert "Nothing was written to config.yml" in run.err
    assert "Aborted!" not in text


@pytest.mark.parametrize(
    ("signum", "whole_group"),
    [(signal.SIGINT, False), (signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["sigint-to-tutor", "sigint-to-process-group", "sigterm-to-tutor"],
)
def test_signal_stops_terraform_gracefully(
    slow_instance: Instance, tmp_path: Path, signum: int, whole_group: bool
) -> None:
    before = slow_instance.config_bytes()
    run = _apply_and_signal(slow_instance, tmp_path, signum, whole_group)
    _assert_graceful(run, signal.Signals(signum).name, 128 + signum)
    assert slow_instance.config_bytes() == before
    # The state was saved: the interrupted resource is there, marked tainted.
    state = _local_state(slow_instance)
    slow = [r for r in state["resources"] if r["name"] == "slow"]
    assert slow and slow[0]["instances"][0]["status"] == "tainted", state["resources"]
    # ... and not locked: the next run can read it (and plan the rest).
    result = slow_instance.infra("plan", "--stage", "aws")
    assert result.returncode == 2, result.stdout + result.stderr
    assert slow_instance.config_bytes() == before


@pytest.fixture
def s3_slow(slow_instance: Instance, aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for key, value in aws_env.items():
        monkeypatch.setenv(key, value)
    bucket = "sig-" + re.sub(r"[^a-z0-9-]", "-", slow_instance.root.parent.name.lower())[-40:]
    bucket = bucket.strip("-")
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=bucket)
    # A state bucket `tutor eks infra init` accepts: versioned (it refuses unversioned ones).
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    use_s3_state(slow_instance, bucket)
    # The apply under test inits the S3 backend itself (a fresh working directory).
    return slow_instance, bucket


STATE_KEY = "tutor-eks/drvtest/aws.tfstate"


def _objects(bucket: str) -> list[str]:
    s3 = boto3.client("s3", region_name=REGION)
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_sigterm_with_s3_state_saves_state_and_releases_lock(s3_slow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    instance, bucket = s3_slow
    before = instance.config_bytes()
    run = _apply_and_signal(instance, tmp_path, signal.SIGTERM)
    _assert_graceful(run, "SIGTERM", 143)
    assert instance.config_bytes() == before
    # Before: the bucket held only the lock file. Now: the state, and no lock.
    assert _objects(bucket) == [STATE_KEY]
    s3 = boto3.client("s3", region_name=REGION)
    state = json.loads(s3.get_object(Bucket=bucket, Key=STATE_KEY)["Body"].read())
    assert any(r["name"] == "slow" for r in state["resources"])
    assert instance.infra("plan", "--stage", "aws").returncode == 2


def test_unresponsive_terraform_is_stopped_and_the_lock_recovery_works(  # type: ignore[no-untyped-def]
    s3_slow, tmp_path: Path
) -> None:
    """terraform frozen (SIGSTOP) stands for one stuck in a call that ignores the
    graceful stop: tutor waits EKS_TERRAFORM_STOP_TIMEOUT, then stops it at once."""
    instance, bucket = s3_slow
    before = instance.config_bytes()

    def freeze(workdir: Path) -> None:
        os.kill(_terraform_pid(workdir), signal.SIGSTOP)

    started = time.monotonic()
    run = _apply_and_signal(
        instance, tmp_path, signal.SIGTERM, before_signal=freeze,
        env={"EKS_TERRAFORM_STOP_TIMEOUT": "1"},
    )
    took = time.monotonic() - started
    assert run.code == 143, run.out + run.err
    assert "Waiting up to 1 s for it to exit" in run.err
    assert "terraform did not stop within 1 s (EKS_TERRAFORM_STOP_TIMEOUT)" in run.err
    assert "was stopped at once: its state may miss resources made in this run" in run.err
    assert took < 60, f"tutor took {took:.0f} s"
    assert instance.config_bytes() == before
    # The killed run left its lock: the message names it and says how to release it.
    s3 = boto3.client("s3", region_name=REGION)
    lock = json.loads(s3.get_object(Bucket=bucket, Key=f"{STATE_KEY}.tflock")["Body"].read())
    command = f"tutor eks infra unlock --stage aws {lock['ID']}"
    assert command in run.err, run.err
    assert f"force-unlock {lock['ID']}" in run.err
    # Until released, terraform refuses; the refusal prints the same recovery.
    refused = instance.infra("plan", "--stage", "aws")
    assert refused.returncode == 1
    assert "Error acquiring the state lock" in refused.stderr
    assert command in refused.stderr, refused.stderr
    assert refused.stderr.count("Error acquiring the state lock") == 1, refused.stderr
    # The documented recovery works.
    released = instance.infra("unlock", "--stage", "aws", lock["ID"])
    assert released.returncode == 0, released.stdout + released.stderr
    assert f"{STATE_KEY}.tflock" not in _objects(bucket)
    assert instance.infra("plan", "--stage", "aws").returncode == 2
    assert instance.config_bytes() == before
