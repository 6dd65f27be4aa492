"""AWS Backup: the vault's recovery points and on-demand backup jobs.

moto implements the vault and plans but neither selections, jobs nor recovery points;
the tests drive this module through botocore's Stubber (tests/backup/test_jobs.py).
"""

from __future__ import annotations

import time
import typing as t
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from .stores import BackupError, Store, store_of_arn

DONE = ("COMPLETED", "FAILED", "ABORTED", "EXPIRED", "PARTIAL")
# Seconds between two polls of a job (AWS Backup jobs take minutes to hours).
POLL_SECONDS = 15.0


@dataclass
class RecoveryPoint:
    store: str
    arn: str
    created: datetime
    size: t.Optional[int]
    status: str
    kind: str  # "snapshot" or "continuous"
    resource_arn: str


def backup_role(backup: t.Any, name: str) -> str:
    """The role the scheduled plan uses (its selection names it): on-demand jobs use it too."""
    plan_name = f"{name}-daily"
    plans = [
        p
        for page in backup.get_paginator("list_backup_plans").paginate()
        for p in page["BackupPlansList"]
        if p["BackupPlanName"] == plan_name
    ]
    if not plans:
        raise BackupError(
            f"backup plan {plan_name} not found: run `tutor eks infra apply` (stage 1 "
            "creates the vault, plans and role) before `tutor eks backup`."
        )
    selections = backup.list_backup_selections(BackupPlanId=plans[0]["BackupPlanId"])
    roles = [s["IamRoleArn"] for s in selections["BackupSelectionsList"]]
    if not roles:
        raise BackupError(
            f"backup plan {plan_name} has no selection: re-run `tutor eks infra apply`."
        )
    return str(roles[0])


def recovery_points(
    backup: t.Any, vault: str, stores: dict[str, Store]
) -> dict[str, list[RecoveryPoint]]:
    """Recovery points per store, newest first (points of other resources are ignored)."""
    found: dict[str, list[RecoveryPoint]] = {name: [] for name in stores}
    try:
        pages = list(
            backup.get_paginator("list_recovery_points_by_backup_vault").paginate(
                BackupVaultName=vault
            )
        )
    except backup.exceptions.ResourceNotFoundException:
        raise BackupError(
            f"backup vault {vault} not found: run `tutor eks infra apply` first (EKS_NAME "
            "names the vault)."
        ) from None
    for page in pages:
        for item in page["RecoveryPoints"]:
            store = store_of_arn(stores, item["ResourceArn"])
            if store is None:
                continue
            found[store].append(
                RecoveryPoint(
                    store=store,
                    arn=item["RecoveryPointArn"],
                    created=item["CreationDate"],
                    size=item.get("BackupSizeInBytes"),
                    status=item["Status"],
                    # Continuous (point-in-time) points carry ":continuous:" in their ARN.
                    kind="continuous" if ":continuous:" in item["RecoveryPointArn"] else "snapshot",
                    resource_arn=item["ResourceArn"],
                )
            )
    for points in found.values():
        points.sort(key=lambda p: p.created, reverse=True)
    return found


def start(
    backup: t.Any, vault: str, role: str, stores: dict[str, Store], retention_days: int
) -> dict[str, str]:
    """Start one on-demand job per store; returns store -> job id."""
    jobs = {}
    for name, store in stores.items():
        response = backup.start_backup_job(
            BackupVaultName=vault,
            ResourceArn=store.arn,
            IamRoleArn=role,
            IdempotencyToken=str(uuid.uuid4()),
            StartWindowMinutes=60,
            CompleteWindowMinutes=480,
            Lifecycle={"DeleteAfterDays": retention_days},
            RecoveryPointTags={"BackupRule": "on-demand", "Store": name},
        )
        jobs[name] = str(response["BackupJobId"])
    return jobs


def wait(
    backup: t.Any,
    jobs: dict[str, str],
    echo: t.Callable[[str], None],
    timeout: float,
    interval: t.Optional[float] = None,
    clock: t.Callable[[], float] = time.monotonic,
    sleep: t.Callable[[float], None] = time.sleep,
) -> dict[str, dict[str, t.Any]]:
    """Poll every job until it ends; print one progress line per job and round."""
    started = clock()
    final: dict[str, dict[str, t.Any]] = {}
    while True:
        for store, job_id in jobs.items():
            if store in final:
                continue
            job = backup.describe_backup_job(BackupJobId=job_id)
            state = job["State"]
            percent = job.get("PercentDone") or "0"
            echo(f"{store}: {state} {percent}% after {_duration(clock() - started)}")
            if state in DONE:
                final[store] = job
        if len(final) == len(jobs):
            return final
        if clock() - started > timeout:
            pending = ", ".join(f"{s} ({jobs[s]})" for s in jobs if s not in final)
            raise BackupError(
                f"backup jobs still running after {_duration(timeout)}: {pending}. They "
                "go on in AWS Backup; see them with `tutor eks backup list` later."
            )
        sleep(POLL_SECONDS if interval is None else interval)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s"


def age(created: datetime, now: t.Optional[datetime] = None) -> str:
    now = now or datetime.now(timezone.utc)
    seconds = max(0, int((now - created).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}m"
    return f"{seconds // 86400}d{(seconds % 86400) // 3600:02d}h"


def size(value: t.Optional[int]) -> str:
    if value is None:
        return "-"
    amount = float(value)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if amount < 1024 or unit == "TiB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{value} B"
