"""Side-by-side restores: every restore creates new resources, never touches the live ones.

Sources, in the order they are checked (nothing is created before all are valid):
a point in time (`--time`, mysql and mongodb: RDS/DocumentDB point-in-time restore,
which AWS Backup's continuous backup keeps for RDS), a recovery point of the vault
(`--recovery-point`), or the newest completed snapshot recovery point of the store.

How each store comes back (APIs used, and what the tests run them against):
- mysql: RDS RestoreDBInstanceFromDBSnapshot / RestoreDBInstanceToPointInTime (moto);
- mongodb: DocumentDB RestoreDBClusterFromSnapshot / RestoreDBClusterToPointInTime and
  CreateDBInstance (Stubber: moto has no DocumentDB);
- media: AWS Backup StartRestoreJob to a new EFS file system (Stubber: moto has no
  restore jobs), then mount targets and the access point copied from the live file
  system (moto);
- search: EC2 CreateVolume from the recovery point's EBS snapshot (moto).

Restored resources are outside the Terraform state (docs/decisions.md, "Restores").
"""

from __future__ import annotations

import time
import typing as t
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from . import jobs
from .stores import POINT_IN_TIME, BackupError, ClientFactory, Store

RESTORE_TAG = "tutor-eks/restore-of"
SOURCE_TAG = "tutor-eks/restored-from"

# Store -> the Tutor keys a switch changes (search has none: the volume is attached
# to the Meilisearch instance by hand, see docs/backups.md).
SWITCH_KEYS = {
    "mysql": ("MYSQL_HOST",),
    "mongodb": ("MONGODB_HOST",),
    "media": ("EKS_EFS_FILE_SYSTEM_ID", "EKS_EFS_ACCESS_POINT_ID"),
    "search": (),
}


@dataclass
class Source:
    store: str
    recovery_point: t.Optional[jobs.RecoveryPoint] = None
    at: t.Optional[datetime] = None

    def describe(self) -> str:
        if self.at is not None:
            return f"point in time {self.at.isoformat(timespec='seconds')}"
        assert self.recovery_point is not None
        return f"recovery point {self.recovery_point.arn}"


@dataclass
class Restored:
    store: str
    kind: str  # what was created, e.g. "RDS instance"
    identifier: str
    source: str
    config: dict[str, str] = field(default_factory=dict)  # the switch: key -> new value
    created: list[tuple[str, str]] = field(default_factory=list)  # (kind, id) to delete


def parse_time(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BackupError(
            f"--time {value!r} is not a date and time: give ISO 8601 in UTC, such as "
            "2026-11-29T08:30:00Z."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def restore_window(clients: ClientFactory, store: Store) -> tuple[datetime, datetime]:
    """(earliest, latest) restorable time of a point-in-time store."""
    if store.name == "mysql":
        rds = clients("rds")
        backups = rds.describe_db_instance_automated_backups(DBInstanceIdentifier=store.identifier)[
            "DBInstanceAutomatedBackups"
        ]
        window = backups[0].get("RestoreWindow", {}) if backups else {}
        earliest = window.get("EarliestTime")
        latest = window.get("LatestTime") or store.details.get("LatestRestorableTime")
        if earliest is None and latest is not None and store.details.get("InstanceCreateTime"):
            # No RestoreWindow reported: bound it by the retention and the instance's
            # age (RDS itself rejects anything earlier than what it still holds).
            retention = timedelta(days=int(store.details.get("BackupRetentionPeriod") or 0))
            earliest = max(store.details["InstanceCreateTime"], latest - retention)
    else:
        earliest = store.details.get("EarliestRestorableTime")
        latest = store.details.get("LatestRestorableTime")
    if earliest is None or latest is None:
        raise BackupError(
            f"store {store.name!r} has no point-in-time window yet (no automated backup "
            "has completed): restore from a recovery point instead."
        )
    return earliest, latest


def choose_sources(
    clients: ClientFactory,
    vault: str,
    stores: dict[str, Store],
    recovery_point: t.Optional[str],
    at: t.Optional[datetime],
) -> dict[str, Source]:
    """Validate the request against AWS; raise before anything is created."""
    if recovery_point and at:
        raise BackupError("give either --recovery-point or --time, not both.")
    if recovery_point and len(stores) != 1:
        raise BackupError(
            "--recovery-point belongs to one store: name that store instead of 'all'."
        )
    if at is not None:
        others = [s for s in stores if s not in POINT_IN_TIME]
        if others:
            raise BackupError(
                f"--time works for {' and '.join(POINT_IN_TIME)} only, not for "
                f"{', '.join(others)}: restore those from a recovery point."
            )
        for store in stores.values():
            earliest, latest = restore_window(clients, store)
            if not earliest <= at <= latest:
                raise BackupError(
                    f"--time {at.isoformat(timespec='seconds')} is outside the restorable "
                    f"window of {store.name} ({earliest.isoformat(timespec='seconds')} to "
                    f"{latest.isoformat(timespec='seconds')}, the retention of its "
                    "continuous backup): pick a time inside it, or a recovery point from "
                    "`tutor eks backup list`."
                )
        return {name: Source(name, at=at) for name in stores}

    backup = clients("backup")
    if recovery_point:
        ((name, store),) = stores.items()
        try:
            item = backup.describe_recovery_point(
                BackupVaultName=vault, RecoveryPointArn=recovery_point
            )
        except (
            backup.exceptions.ResourceNotFoundException,
            backup.exceptions.InvalidParameterValueException,
        ):
            raise BackupError(
                f"recovery point {recovery_point} is not in vault {vault}: list the "
                "recovery points with `tutor eks backup list`."
            ) from None
        if item["ResourceArn"] != store.arn:
            raise BackupError(
                f"recovery point {recovery_point} is a backup of {item['ResourceArn']}, "
                f"not of store {name!r} ({store.arn}): pick one listed under {name} by "
                "`tutor eks backup list`."
            )
        if item["Status"] != "COMPLETED":
            raise BackupError(
                f"recovery point {recovery_point} is {item['Status']}, not COMPLETED: "
                "pick another one from `tutor eks backup list`."
            )
        point = jobs.RecoveryPoint(
            name,
            recovery_point,
            item["CreationDate"],
            item.get("BackupSizeInBytes"),
            item["Status"],
            "continuous" if ":continuous:" in recovery_point else "snapshot",
            item["ResourceArn"],
        )
        return {name: Source(name, recovery_point=point)}

    points = jobs.recovery_points(backup, vault, stores)
    sources = {}
    for name in stores:
        usable = [p for p in points[name] if p.status == "COMPLETED" and p.kind == "snapshot"]
        if not usable:
            raise BackupError(
                f"store {name!r} has no completed recovery point in vault {vault} yet: "
                "run `tutor eks backup` first (or wait for the daily plan)."
            )
        sources[name] = Source(name, recovery_point=usable[0])
    return sources


def running_restores(clients: ClientFactory, stores: dict[str, Store]) -> list[str]:
    """Restores of these stores still being created in AWS, by anyone (the lock file
    only sees this machine): copies tagged with the live ARN that are not available
    yet, and running EFS restore jobs (their file system is tagged only at the end)."""
    found = []
    for name, store in stores.items():
        if name == "mysql":
            for item in clients("rds").describe_db_instances()["DBInstances"]:
                tags = {x["Key"]: x["Value"] for x in item.get("TagList", [])}
                if tags.get(RESTORE_TAG) == store.arn and item["DBInstanceStatus"] != "available":
                    found.append(
                        f"RDS instance {item['DBInstanceIdentifier']} ({item['DBInstanceStatus']})"
                    )
        elif name == "mongodb":
            docdb = clients("docdb")
            for item in docdb.describe_db_clusters(
                Filters=[{"Name": "engine", "Values": ["docdb"]}]
            )["DBClusters"]:
                tags = docdb.list_tags_for_resource(ResourceName=item["DBClusterArn"])["TagList"]
                if {"Key": RESTORE_TAG, "Value": store.arn} in tags and item[
                    "Status"
                ] != "available":
                    found.append(
                        f"DocumentDB cluster {item['DBClusterIdentifier']} ({item['Status']})"
                    )
        elif name == "media":
            jobs_running = clients("backup").list_restore_jobs(ByStatus="RUNNING")["RestoreJobs"]
            found += [
                f"EFS restore job {j['RestoreJobId']} (RUNNING)"
                for j in jobs_running
                if j.get("ResourceType") == "EFS"
            ]
        elif name == "search":
            volumes = clients("ec2").describe_volumes(
                Filters=[
                    {"Name": f"tag:{RESTORE_TAG}", "Values": [store.arn]},
                    {"Name": "status", "Values": ["creating"]},
                ]
            )["Volumes"]
            found += [f"EBS volume {v['VolumeId']} (creating)" for v in volumes]
    return found


def target_name(name: str, store: str, now: datetime) -> str:
    return f"{name}-{store}-r{now.strftime('%Y%m%d%H%M%S')}"


def _tags(store: Store, source: Source, target: str) -> list[dict[str, str]]:
    return [
        {"Key": "Name", "Value": target},
        {"Key": RESTORE_TAG, "Value": store.arn},
        {"Key": SOURCE_TAG, "Value": source.describe()[:256]},
    ]


class Restorer:
    def __init__(
        self,
        clients: ClientFactory,
        echo: t.Callable[[str], None],
        role: t.Callable[[], str],
        timeout: float = 3 * 3600,
        interval: float = 30.0,
        sleep: t.Callable[[float], None] = time.sleep,
        clock: t.Callable[[], float] = time.monotonic,
    ) -> None:
        self.clients = clients
        self.echo = echo
        self.role = role
        self.timeout = timeout
        self.interval = interval
        self.sleep = sleep
        self.clock = clock

    # -- waiting ---------------------------------------------------------------------

    def _wait(self, what: str, probe: t.Callable[[], tuple[bool, str]]) -> None:
        started = self.clock()
        while True:
            done, state = probe()
            self.echo(f"{what}: {state} after {jobs._duration(self.clock() - started)}")
            if done:
                return
            if self.clock() - started > self.timeout:
                raise BackupError(
                    f"{what} is still {state} after {jobs._duration(self.timeout)}: it goes "
                    "on in AWS; check it in the console, then run the command again."
                )
            self.sleep(self.interval)

    # -- per store ---------------------------------------------------------------------

    def restore(self, store: Store, source: Source, target: str) -> Restored:
        method = getattr(self, f"_restore_{store.name}")
        return t.cast(Restored, method(store, source, target))

    def _restore_mysql(self, store: Store, source: Source, target: str) -> Restored:
        rds = self.clients("rds")
        live = store.details
        common: dict[str, t.Any] = {
            "DBInstanceClass": live["DBInstanceClass"],
            "DBSubnetGroupName": live["DBSubnetGroup"]["DBSubnetGroupName"],
            "VpcSecurityGroupIds": [
                g["VpcSecurityGroupId"] for g in live.get("VpcSecurityGroups", [])
            ],
            "MultiAZ": False,  # a copy for checking or switching over; scale it up if kept
            "PubliclyAccessible": False,
            "DeletionProtection": False,
            "CopyTagsToSnapshot": True,
            "Tags": _tags(store, source, target),
        }
        groups = live.get("DBParameterGroups") or []
        if groups:
            common["DBParameterGroupName"] = groups[0]["DBParameterGroupName"]
        point = source.recovery_point
        if source.at is not None or (point and point.kind == "continuous"):
            extra = {"RestoreTime": source.at} if source.at else {"UseLatestRestorableTime": True}
            rds.restore_db_instance_to_point_in_time(
                SourceDBInstanceIdentifier=store.identifier,
                TargetDBInstanceIdentifier=target,
                **extra,
                **common,
            )
        else:
            assert point is not None
            rds.restore_db_instance_from_db_snapshot(
                DBInstanceIdentifier=target, DBSnapshotIdentifier=point.arn, **common
            )
        created = [("rds-instance", target)]

        def probe() -> tuple[bool, str]:
            item = rds.describe_db_instances(DBInstanceIdentifier=target)["DBInstances"][0]
            return item["DBInstanceStatus"] == "available", item["DBInstanceStatus"]

        self._wait(f"mysql copy {target}", probe)
        item = rds.describe_db_instances(DBInstanceIdentifier=target)["DBInstances"][0]
        return Restored(
            "mysql",
            "RDS instance",
            target,
            source.describe(),
            {"MYSQL_HOST": item["Endpoint"]["Address"]},
            created,
        )

    def _restore_mongodb(self, store: Store, source: Source, target: str) -> Restored:
        docdb = self.clients("docdb")
        live = store.details
        common: dict[str, t.Any] = {
            "DBClusterIdentifier": target,
            "DBSubnetGroupName": live["DBSubnetGroup"],
            "VpcSecurityGroupIds": [
                g["VpcSecurityGroupId"] for g in live.get("VpcSecurityGroups", [])
            ],
            "KmsKeyId": live["KmsKeyId"],
            "DeletionProtection": False,
            "Tags": _tags(store, source, target),
        }
        if source.at is not None:
            docdb.restore_db_cluster_to_point_in_time(
                SourceDBClusterIdentifier=store.identifier, RestoreToTime=source.at, **common
            )
        else:
            assert source.recovery_point is not None
            docdb.restore_db_cluster_from_snapshot(
                SnapshotIdentifier=source.recovery_point.arn, Engine="docdb", **common
            )
        created = [("docdb-cluster", target)]
        members = live.get("DBClusterMembers") or []
        instance_class = "db.t4g.medium"
        if members:
            first = docdb.describe_db_instances(
                DBInstanceIdentifier=members[0]["DBInstanceIdentifier"]
            )["DBInstances"][0]
            instance_class = first["DBInstanceClass"]
        # One instance: enough to read and to switch over; add more if the copy is kept.
        docdb.create_db_instance(
            DBInstanceIdentifier=f"{target}-1",
            DBInstanceClass=instance_class,
            Engine="docdb",
            DBClusterIdentifier=target,
            Tags=_tags(store, source, target),
        )
        created.insert(0, ("docdb-instance", f"{target}-1"))

        def probe() -> tuple[bool, str]:
            item = docdb.describe_db_instances(DBInstanceIdentifier=f"{target}-1")["DBInstances"][0]
            return item["DBInstanceStatus"] == "available", item["DBInstanceStatus"]

        self._wait(f"mongodb copy {target}", probe)
        cluster = docdb.describe_db_clusters(DBClusterIdentifier=target)["DBClusters"][0]
        return Restored(
            "mongodb",
            "DocumentDB cluster",
            target,
            source.describe(),
            {"MONGODB_HOST": cluster["Endpoint"]},
            created,
        )

    def _restore_media(self, store: Store, source: Source, target: str) -> Restored:
        assert source.recovery_point is not None
        backup, efs = self.clients("backup"), self.clients("efs")
        live = store.details
        metadata = {
            "file-system-id": store.identifier,
            "newFileSystem": "true",
            "Encrypted": "true",
            "PerformanceMode": live.get("PerformanceMode", "generalPurpose"),
            "CreationToken": target,
        }
        if live.get("KmsKeyId"):
            metadata["KmsKeyId"] = live["KmsKeyId"]
        job_id = backup.start_restore_job(
            RecoveryPointArn=source.recovery_point.arn,
            IamRoleArn=self.role(),
            Metadata=metadata,
            ResourceType="EFS",
            IdempotencyToken=target,
        )["RestoreJobId"]
        result: dict[str, t.Any] = {}

        def probe() -> tuple[bool, str]:
            job = backup.describe_restore_job(RestoreJobId=job_id)
            result.update(job)
            if job["Status"] in ("ABORTED", "FAILED"):
                raise BackupError(
                    f"restore job {job_id} of media {job['Status']}: "
                    f"{job.get('StatusMessage', 'no message')}. Nothing was switched."
                )
            return job["Status"] == "COMPLETED", job["Status"]

        self._wait(f"media restore job {job_id}", probe)
        new_fs = str(result["CreatedResourceArn"]).rsplit("/", 1)[-1]
        created = [("efs", new_fs)]
        efs.tag_resource(ResourceId=new_fs, Tags=_tags(store, source, target))
        # Mount targets in the live subnets, with the live security groups: the
        # cluster's nodes reach the copy the way they reach the original.
        for mount in efs.describe_mount_targets(FileSystemId=store.identifier)["MountTargets"]:
            groups = efs.describe_mount_target_security_groups(
                MountTargetId=mount["MountTargetId"]
            )["SecurityGroups"]
            made = efs.create_mount_target(
                FileSystemId=new_fs, SubnetId=mount["SubnetId"], SecurityGroups=groups
            )
            created.insert(0, ("efs-mount-target", made["MountTargetId"]))
        config = {"EKS_EFS_FILE_SYSTEM_ID": new_fs}
        points = efs.describe_access_points(FileSystemId=store.identifier)["AccessPoints"]
        if points:
            live_point = points[0]
            made = efs.create_access_point(
                ClientToken=f"{target}-ap",
                FileSystemId=new_fs,
                PosixUser=live_point["PosixUser"],
                RootDirectory=live_point["RootDirectory"],
                Tags=_tags(store, source, target),
            )
            created.insert(0, ("efs-access-point", made["AccessPointId"]))
            config["EKS_EFS_ACCESS_POINT_ID"] = made["AccessPointId"]
        return Restored("media", "EFS file system", new_fs, source.describe(), config, created)

    def _restore_search(self, store: Store, source: Source, target: str) -> Restored:
        assert source.recovery_point is not None
        ec2 = self.clients("ec2")
        live = store.details
        snapshot = source.recovery_point.arn.rsplit("/", 1)[-1]
        args: dict[str, t.Any] = {
            "SnapshotId": snapshot,
            "AvailabilityZone": live["AvailabilityZone"],
            "VolumeType": live.get("VolumeType", "gp3"),
            "Encrypted": True,
            "TagSpecifications": [{"ResourceType": "volume", "Tags": _tags(store, source, target)}],
        }
        if live.get("KmsKeyId"):
            args["KmsKeyId"] = live["KmsKeyId"]
        volume = ec2.create_volume(**args)["VolumeId"]

        def probe() -> tuple[bool, str]:
            state = ec2.describe_volumes(VolumeIds=[volume])["Volumes"][0]["State"]
            return state == "available", state

        self._wait(f"search volume {volume}", probe)
        return Restored(
            "search", "EBS volume", volume, source.describe(), {}, [("ebs-volume", volume)]
        )

    # -- clean-up (rehearsals, and failures half-way) ----------------------------------

    def delete(self, restored: Restored) -> None:
        for kind, ident in restored.created:
            self.echo(f"deleting {kind} {ident}")
            if kind == "rds-instance":
                self.clients("rds").delete_db_instance(
                    DBInstanceIdentifier=ident,
                    SkipFinalSnapshot=True,
                    DeleteAutomatedBackups=True,
                )
            elif kind == "docdb-instance":
                self.clients("docdb").delete_db_instance(DBInstanceIdentifier=ident)
            elif kind == "docdb-cluster":
                self.clients("docdb").delete_db_cluster(
                    DBClusterIdentifier=ident, SkipFinalSnapshot=True
                )
            elif kind == "efs-access-point":
                self.clients("efs").delete_access_point(AccessPointId=ident)
            elif kind == "efs-mount-target":
                self.clients("efs").delete_mount_target(MountTargetId=ident)
            elif kind == "efs":
                self.clients("efs").delete_file_system(FileSystemId=ident)
            elif kind == "ebs-volume":
                self.clients("ec2").delete_volume(VolumeId=ident)


def compare(clients: ClientFactory, live: Store, restored: Restored) -> list[str]:
    """What the AWS APIs can compare without connecting: storage and settings."""
    lines = []
    if live.name == "mysql":
        item = clients("rds").describe_db_instances(DBInstanceIdentifier=restored.identifier)[
            "DBInstances"
        ][0]
        lines.append(
            f"mysql: engine {item['Engine']} {item.get('EngineVersion')} (live "
            f"{live.details.get('EngineVersion')}), storage {item.get('AllocatedStorage')} GiB "
            f"(live {live.details.get('AllocatedStorage')} GiB), encrypted "
            f"{item.get('StorageEncrypted')}"
        )
    elif live.name == "search":
        item = clients("ec2").describe_volumes(VolumeIds=[restored.identifier])["Volumes"][0]
        lines.append(
            f"search: volume {item['Size']} GiB (live {live.details.get('Size')} GiB), "
            f"encrypted {item.get('Encrypted')}"
        )
    elif live.name == "media":
        item = clients("efs").describe_file_systems(FileSystemId=restored.identifier)[
            "FileSystems"
        ][0]
        lines.append(
            f"media: {item['SizeInBytes']['Value']} bytes metered (live "
            f"{live.details.get('SizeInBytes', {}).get('Value')} bytes)"
        )
    elif live.name == "mongodb":
        item = clients("docdb").describe_db_clusters(DBClusterIdentifier=restored.identifier)[
            "DBClusters"
        ][0]
        lines.append(
            f"mongodb: engine {item.get('EngineVersion')} (live "
            f"{live.details.get('EngineVersion')}), encrypted {item.get('StorageEncrypted')}"
        )
    return lines
