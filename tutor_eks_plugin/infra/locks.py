"""The state lock: which lock an interrupted or refused run found, and how to release it.

With the S3 backend (``use_lockfile``) the lock is the object ``<key>.tflock`` holding
a JSON document whose ``ID`` is what ``terraform force-unlock`` takes. A terraform
that exits normally, or stops on its first SIGINT/SIGTERM, deletes it; one that is
killed leaves it behind, and every later run fails with "Error acquiring the state
lock". The local backend locks with fcntl on the state file: the operating system
releases that lock when the process ends, so nothing is ever left to release.
"""

from __future__ import annotations

import json
import re
import typing as t
from pathlib import Path

from .backend import Backend

ACQUIRE_ERROR = "Error acquiring the state lock"
# Terraform prints the holder under "Lock Info:" as "  ID:        <uuid>".
_ID = re.compile(r"Lock Info:.*?^\W*ID:\s+(\S+)", re.MULTILINE | re.DOTALL)


def id_from_error(stderr: str) -> t.Optional[str]:
    if ACQUIRE_ERROR not in stderr:
        return None
    match = _ID.search(stderr)
    return match.group(1) if match else None


class Found(t.NamedTuple):
    lock_id: t.Optional[str]
    problem: t.Optional[str]  # why the lock could not be checked


def left_behind(backend: t.Optional[Backend]) -> Found:
    """The lock object an ended run left in the S3 state bucket, if any."""
    if backend is None or backend.kind != "s3":
        return Found(None, None)
    import boto3  # imported late: only an interrupted run against S3 gets here
    from botocore.exceptions import BotoCoreError, ClientError

    bucket = backend.settings["bucket"]
    key = backend.settings["key"] + ".tflock"
    try:
        s3 = boto3.client("s3", region_name=backend.settings.get("region") or None)
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in ("NoSuchKey", "404"):
            return Found(None, None)
        return Found(None, f"could not read s3://{bucket}/{key}: {code or exc}")
    except BotoCoreError as exc:
        return Found(None, f"could not read s3://{bucket}/{key}: {exc}")
    try:
        lock_id = json.loads(body)["ID"]
    except (ValueError, KeyError, TypeError):
        return Found(None, f"s3://{bucket}/{key} exists but holds no lock ID")
    return Found(str(lock_id), None)


def release_advice(stage: str, workdir: Path, lock_id: str) -> str:
    return (
        f"The state lock of stage {stage!r} is held (lock ID {lock_id}). If no other "
        "terraform run is using this state (an interrupted or killed run left it), "
        f"release it with `tutor eks infra unlock --stage {stage} {lock_id}` "
        f"(the same as `terraform -chdir={workdir} force-unlock {lock_id}`), then run "
        "the command again."
    )
