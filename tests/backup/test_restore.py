"""`tutor eks restore`: side-by-side copies, the config switch, rehearsals, bad input.

RDS, EFS, EC2/EBS and STS are moto on 127.0.0.1 (the real boto3 clients over HTTP).
AWS Backup (recovery points, restore jobs) is botocore's Stubber: moto has neither;
the Stubber checks each request against the real AWS Backup model. For the EFS restore
job the test creates in moto the file system AWS Backup would create and returns its
ARN from the stubbed DescribeRestoreJob.
"""

from __future__ import annotations

import os
import shutil
import time
import typing as t
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import tutor.commands.cli  # noqa: F401  (registers Tutor's template variables, as the CLI does)
import yaml
from backup_names import NAME, REGION
from botocore.stub import ANY
from tutor_cli import run_tutor

from tutor_eks_plugin.backup.lock import LOCK_NAME
from tutor_eks_plugin.backup.restore import RESTORE_TAG
from tutor_eks_plugin.backup.stores import BackupError
from tutor_eks_plugin.commands.backup import run_restore

ROLE = "arn:aws:iam::123456789012:role/demo-backup-0001"
NO_WAIT = {"sleep": lambda _s: None}


@pytest.fixture
def root(tutor_root: Path, tmp_path: Path) -> Path:
    """A private copy of the Tutor root: each test may switch its config."""
    copy = tmp_path / "root"
    shutil.copytree(tutor_root, copy)
    return copy


def _config(root: Path) -> dict[str, t.Any]:
    return yaml.safe_load((root / "config.yml").read_text())


def _instances(clients) -> set[str]:
    return {i["DBInstanceIdentifier"] for i in clients("rds").describe_db_instances()["DBInstances"]}


def _volumes(clients) -> set[str]:
    return {v["VolumeId"] for v in clients("ec2").describe_volumes()["Volumes"]}


def _restore(root: Path, clients, store: str, lines: list[str] | None = None, **kwargs: t.Any):
    options = {"recovery_point": None, "at": None, "switch": False, "rehearse": False}
    options.update(kwargs)
    return run_restore(str(root), lambda _config: clients, store, timeout=600,
                       echo=(lines.append if lines is not None else lambda _l: None),
                       **options, **NO_WAIT)


def _queue_point(stub, arn: str, resource: str, status: str = "COMPLETED") -> None:
    stub.add_response(
        "describe_recovery_point",
        {"RecoveryPointArn": arn, "ResourceArn": resource, "Status": status,
         "CreationDate": datetime.now(timezone.utc) - timedelta(hours=3),
         "BackupSizeInBytes": 1024},
        {"BackupVaultName": NAME, "RecoveryPointArn": arn},
    )


def test_mysql_snapshot_restore_is_side_by_side_and_switch_points_openedx_at_it(
    root, clients, deployment
) -> None:
    stub = clients.stub("backup")
    _queue_point(stub, deployment["mysql_snapshot_arn"], deployment["mysql_arn"])
    before = _instances(clients)
    lines: list[str] = []
    (done,) = _restore(root, clients, "mysql", lines,
                       recovery_point=deployment["mysql_snapshot_arn"], switch=True)
    clients.verify()
    assert _instances(clients) - before == {done.identifier}
    assert done.identifier.startswith(f"{NAME}-mysql-r")
    copy = clients("rds").describe_db_instances(DBInstanceIdentifier=done.identifier)["DBInstances"][0]
    live = clients("rds").describe_db_instances(DBInstanceIdentifier=f"{NAME}-mysql")["DBInstances"][0]
    tags = {x["Key"]: x["Value"] for x in copy.get("TagList", [])}
    assert tags[RESTORE_TAG] == deployment["mysql_arn"]
    assert copy["DBSubnetGroup"]["DBSubnetGroupName"] == live["DBSubnetGroup"]["DBSubnetGroupName"]
    assert [g["VpcSecurityGroupId"] for g in copy["VpcSecurityGroups"]] == [deployment["security_group"]]
    assert live["DBInstanceStatus"] == "available"
    # --switch wrote the copy's endpoint; the rollback line names the old host.
    assert _config(root)["MYSQL_HOST"] == copy["Endpoint"]["Address"]
    assert any("to roll back: tutor config save --set MYSQL_HOST=demo-mysql.abc.us-east-1.rds.amazonaws.com" in line for line in lines)
    assert not (root / LOCK_NAME).exists()


def test_point_in_time_restore_prints_the_switch_and_leaves_the_config(root, clients) -> None:
    # Copies are named <name>-<store>-r<UTC time to the second> (backup/restore.py): the
    # previous test made a MySQL copy, possibly within this same second on a fast machine.
    time.sleep(1.1)
    config_before = (root / "config.yml").read_bytes()
    at = datetime.now(timezone.utc) - timedelta(seconds=1)
    lines: list[str] = []
    (done,) = _restore(root, clients, "mysql", lines, at=at.isoformat())
    assert clients("rds").describe_db_instances(DBInstanceIdentifier=done.identifier)["DBInstances"]
    assert (root / "config.yml").read_bytes() == config_before
    assert any(line.startswith("to switch Open edX to the copy: tutor config save --set MYSQL_HOST=") for line in lines)
    assert done.source.startswith("point in time ")


def test_rehearsal_restores_search_compares_and_deletes_the_copy(root, clients, deployment) -> None:
    stub = clients.stub("backup")
    stub.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": [{
            "RecoveryPointArn": deployment["ebs_snapshot_arn"], "ResourceArn": deployment["volume_arn"],
            "Status": "COMPLETED", "CreationDate": datetime.now(timezone.utc),
        }]},
        {"BackupVaultName": NAME},
    )
    before = _volumes(clients)
    config_before = (root / "config.yml").read_bytes()
    lines: list[str] = []
    (done,) = _restore(root, clients, "search", lines, rehearse=True)
    clients.verify()
    assert done.identifier not in _volumes(clients) and _volumes(clients) == before
    assert "search: volume 20 GiB (live 20 GiB), encrypted True" in lines
    assert f"deleting ebs-volume {done.identifier}" in lines
    assert (root / "config.yml").read_bytes() == config_before


def test_media_restore_job_makes_a_new_file_system_with_mount_targets_and_access_point(
    root, clients, deployment
) -> None:
    efs = clients("efs")
    # What AWS Backup's restore job creates (moto has no restore jobs).
    made = efs.create_file_system(CreationToken="restored-by-aws-backup", Encrypted=True)
    point_arn = f"arn:aws:backup:{REGION}:{deployment['account']}:recovery-point:efs-0001"
    stub = clients.stub("backup")
    _queue_point(stub, point_arn, deployment["efs_arn"])
    stub.add_response("list_restore_jobs", {"RestoreJobs": []}, {"ByStatus": "RUNNING"})
    stub.add_response("list_backup_plans", {"BackupPlansList": [
        {"BackupPlanName": f"{NAME}-daily", "BackupPlanId": "p1"}]}, {})
    stub.add_response("list_backup_selections", {"BackupSelectionsList": [
        {"SelectionName": f"{NAME}-stores", "IamRoleArn": ROLE}]}, {"BackupPlanId": "p1"})
    stub.add_response(
        "start_restore_job", {"RestoreJobId": "restore-1"},
        {"RecoveryPointArn": point_arn, "IamRoleArn": ROLE, "ResourceType": "EFS",
         "IdempotencyToken": ANY,
         "Metadata": {"file-system-id": deployment["efs_id"], "newFileSystem": "true",
                      "Encrypted": "true", "PerformanceMode": "generalPurpose",
                      "CreationToken": ANY}},
    )
    stub.add_response("describe_restore_job", {"RestoreJobId": "restore-1", "Status": "RUNNING"},
                      {"RestoreJobId": "restore-1"})
    stub.add_response("describe_restore_job",
                      {"RestoreJobId": "restore-1", "Status": "COMPLETED",
                       "CreatedResourceArn": made["FileSystemArn"]},
                      {"RestoreJobId": "restore-1"})
    (done,) = _restore(root, clients, "media", recovery_point=point_arn, switch=True)
    clients.verify()
    assert done.identifier == made["FileSystemId"]
    mounts = efs.describe_mount_targets(FileSystemId=made["FileSystemId"])["MountTargets"]
    assert [m["SubnetId"] for m in mounts] == [deployment["subnets"][0]]
    (access_point,) = efs.describe_access_points(FileSystemId=made["FileSystemId"])["AccessPoints"]
    assert access_point["PosixUser"]["Uid"] == 1000
    assert access_point["RootDirectory"]["Path"] == "/openedx"
    config = _config(root)
    assert config["EKS_EFS_FILE_SYSTEM_ID"] == made["FileSystemId"]
    assert config["EKS_EFS_ACCESS_POINT_ID"] == access_point["AccessPointId"]


# -- bad input: one clear message, nothing created, config unchanged -----------------


def _refused(root: Path, clients, match: str, store: str = "mysql", keep_lock: bool = False,
             **kwargs: t.Any) -> None:
    config_before = (root / "config.yml").read_bytes()
    instances, volumes = _instances(clients), _volumes(clients)
    with pytest.raises(BackupError, match=match):
        _restore(root, clients, store, **kwargs)
    assert (root / "config.yml").read_bytes() == config_before
    assert _instances(clients) == instances and _volumes(clients) == volumes
    assert keep_lock or not (root / LOCK_NAME).exists()


def test_time_outside_the_retention_is_refused(root, clients) -> None:
    _refused(root, clients, r"--time 2020-01-01T00:00:00\+00:00 is outside the restorable window of mysql",
             at="2020-01-01T00:00:00Z")


def test_time_that_is_not_a_time_is_refused(root, clients) -> None:
    _refused(root, clients, r"--time 'yesterday' is not a date and time", at="yesterday")


def test_time_for_a_store_without_point_in_time_is_refused(root, clients) -> None:
    _refused(root, clients, r"--time works for mysql and mongodb only, not for media",
             store="media", at="2026-11-29T08:00:00Z")


def test_unknown_recovery_point_is_refused(root, clients) -> None:
    stub = clients.stub("backup")
    stub.add_client_error("describe_recovery_point", "ResourceNotFoundException", "not found")
    _refused(root, clients, r"recovery point arn:aws:rds:us-east-1:1:snapshot:nope is not in vault demo",
             recovery_point="arn:aws:rds:us-east-1:1:snapshot:nope")


def test_recovery_point_of_another_store_is_refused(root, clients, deployment) -> None:
    stub = clients.stub("backup")
    arn = f"arn:aws:backup:{REGION}:1:recovery-point:efs-0002"
    _queue_point(stub, arn, deployment["efs_arn"])
    _refused(root, clients, r"is a backup of .*file-system.*, not of store 'mysql'", recovery_point=arn)


def test_unknown_store_is_refused(root, clients) -> None:
    _refused(root, clients, r"store 'mysq' does not exist: use one of mysql, mongodb, media, search",
             store="mysq")


def test_second_restore_while_one_runs_is_refused(root, clients) -> None:
    """A live lock (this very process holds it) blocks a second restore before it creates."""
    stub = clients.stub("backup")
    _queue_point(stub, "arn:aws:rds:us-east-1:1:snapshot:x", clients("rds").describe_db_instances(
        DBInstanceIdentifier=f"{NAME}-mysql")["DBInstances"][0]["DBInstanceArn"])
    lock = root / LOCK_NAME
    lock.write_text(f'{{"pid": {os.getpid()}, "host": "{os.uname().nodename}", "what": "mysql", '
                    '"started": "2026-11-29T10:00:00+00:00"}')
    _refused(root, clients, r"a restore of mysql \(pid \d+ on .*started 2026-11-29T10:00:00\+00:00\) is still running",
             recovery_point="arn:aws:rds:us-east-1:1:snapshot:x", keep_lock=True)
    assert lock.exists(), "the running restore's lock must stay"


def test_stale_lock_of_a_dead_process_is_taken_over(root, clients) -> None:
    lock = root / LOCK_NAME
    lock.write_text(f'{{"pid": 999999, "host": "{os.uname().nodename}", "what": "mysql", "started": "x"}}')
    at = datetime.now(timezone.utc) - timedelta(seconds=1)
    (done,) = _restore(root, clients, "mysql", at=at.isoformat())
    assert done.identifier and not lock.exists()


def test_cli_refuses_bad_input_in_one_line(tutor_root: Path, moto_endpoint: str, tmp_path: Path) -> None:
    """The real `tutor eks restore` against moto: exit 1, one line, no traceback."""
    root = tmp_path / "root"
    shutil.copytree(tutor_root, root)
    before = (root / "config.yml").read_bytes()
    env = {"AWS_ENDPOINT_URL": moto_endpoint, "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}
    for args, message in (
        (("nosuch",), "store 'nosuch' does not exist"),
        (("mysql", "--time", "2020-01-01T00:00:00Z"), "is outside the restorable window of mysql"),
    ):
        result = run_tutor(root, "eks", "restore", *args, check=False, env=env)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert message in output and "Traceback" not in output, output
    assert (root / "config.yml").read_bytes() == before


# -- DocumentDB (Stubber: moto has no DocumentDB) --------------------------------------

DOCDB_ARN = f"arn:aws:rds:{REGION}:123456789012:cluster:{NAME}-docdb"


def _documentdb_root(root: Path) -> None:
    config = _config(root)
    config["EKS_MONGODB_MODE"] = "documentdb"
    (root / "config.yml").write_text(yaml.safe_dump(config))


def _queue_live_cluster(docdb) -> None:
    now = datetime.now(timezone.utc)
    docdb.add_response(
        "describe_db_clusters",
        {"DBClusters": [{
            "DBClusterIdentifier": f"{NAME}-docdb", "DBClusterArn": DOCDB_ARN,
            "DBSubnetGroup": "demo-docdb-sub", "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k",
            "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-0docdb", "Status": "active"}],
            "EarliestRestorableTime": now - timedelta(days=7), "LatestRestorableTime": now,
            "DBClusterMembers": [{"DBInstanceIdentifier": f"{NAME}-docdb-0", "IsClusterWriter": True}],
            "EngineVersion": "5.0.0", "StorageEncrypted": True,
        }]},
        {"DBClusterIdentifier": f"{NAME}-docdb"},
    )


def _queue_docdb_clusters(docdb, restoring: list[str]) -> None:
    """The running-restore check: the live cluster, plus copies being created."""
    clusters = [{"DBClusterIdentifier": f"{NAME}-docdb", "DBClusterArn": DOCDB_ARN, "Status": "available"}]
    clusters += [{"DBClusterIdentifier": c, "DBClusterArn": f"arn:aws:rds:{REGION}:123456789012:cluster:{c}",
                  "Status": "creating"} for c in restoring]
    docdb.add_response("describe_db_clusters", {"DBClusters": clusters},
                       {"Filters": [{"Name": "engine", "Values": ["docdb"]}]})
    docdb.add_response("list_tags_for_resource", {"TagList": []}, {"ResourceName": DOCDB_ARN})
    for c in restoring:
        docdb.add_response("list_tags_for_resource",
                           {"TagList": [{"Key": RESTORE_TAG, "Value": DOCDB_ARN}]},
                           {"ResourceName": f"arn:aws:rds:{REGION}:123456789012:cluster:{c}"})


def _documentdb_point(root: Path, clients, job: str, restoring: list[str]):  # type: ignore[no-untyped-def]
    """A DocumentDB deployment, its recovery point from backup job ``job``, and the
    restore's first look-ups queued (the live cluster, the point, the running-restore
    check with the copies in ``restoring``): the docdb stub and the point's ARN."""
    _documentdb_root(root)
    docdb = clients.stub("docdb")
    point = f"arn:aws:rds:{REGION}:123456789012:cluster-snapshot:awsbackup:{job}"
    _queue_live_cluster(docdb)
    _queue_point(clients.stub("backup"), point, DOCDB_ARN)
    _queue_docdb_clusters(docdb, restoring)
    return docdb, point


def test_documentdb_restore_creates_a_cluster_and_an_instance_beside_the_live_one(
    root, clients
) -> None:
    docdb, point = _documentdb_point(root, clients, "job-7", restoring=[])
    docdb.add_response(
        "restore_db_cluster_from_snapshot", {"DBCluster": {"DBClusterIdentifier": "x"}},
        {"DBClusterIdentifier": ANY, "SnapshotIdentifier": point, "Engine": "docdb",
         "DBSubnetGroupName": "demo-docdb-sub", "VpcSecurityGroupIds": ["sg-0docdb"],
         "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k", "DeletionProtection": False,
         "Tags": ANY},
    )
    docdb.add_response("describe_db_instances",
                       {"DBInstances": [{"DBInstanceIdentifier": f"{NAME}-docdb-0",
                                         "DBInstanceClass": "db.r6g.large"}]},
                       {"DBInstanceIdentifier": f"{NAME}-docdb-0"})
    docdb.add_response("create_db_instance", {"DBInstance": {"DBInstanceIdentifier": "x-1"}},
                       {"DBInstanceIdentifier": ANY, "DBInstanceClass": "db.r6g.large",
                        "Engine": "docdb", "DBClusterIdentifier": ANY, "Tags": ANY})
    docdb.add_response("describe_db_instances",
                       {"DBInstances": [{"DBInstanceStatus": "creating"}]}, {"DBInstanceIdentifier": ANY})
    docdb.add_response("describe_db_instances",
                       {"DBInstances": [{"DBInstanceStatus": "available"}]}, {"DBInstanceIdentifier": ANY})
    docdb.add_response("describe_db_clusters",
                       {"DBClusters": [{"Endpoint": "demo-docdb-r1.cluster-x.docdb.amazonaws.com"}]},
                       {"DBClusterIdentifier": ANY})
    lines: list[str] = []
    (done,) = _restore(root, clients, "mongodb", lines, recovery_point=point)
    clients.verify()
    assert done.identifier.startswith(f"{NAME}-mongodb-r")
    assert done.config == {"MONGODB_HOST": "demo-docdb-r1.cluster-x.docdb.amazonaws.com"}
    assert any("MONGODB_HOST=demo-docdb-r1" in line for line in lines)
    assert _config(root)["MONGODB_HOST"] == "mongo.example.net"


def test_documentdb_time_outside_the_window_is_refused(root, clients) -> None:
    _documentdb_root(root)
    docdb = clients.stub("docdb")
    _queue_live_cluster(docdb)
    _refused(root, clients, r"outside the restorable window of mongodb", store="mongodb",
             at=(datetime.now(timezone.utc) - timedelta(days=30)).isoformat())
    clients.verify()


# -- rehearsal row counts ---------------------------------------------------------------


class RecordedCounts:
    """Stands for the count Jobs (`count_in_cluster`), which need a Kubernetes cluster
    that cannot run here; the script they run is exercised against MariaDB in
    test_logical_mysql.py. Returns recorded per-table rows for the live and the copy."""

    def __init__(self, live: dict[str, int], copy: dict[str, int]) -> None:
        self.tables = {"live": live, "copy": copy}
        self.hosts: list[tuple[str, str]] = []

    def __call__(self, config: dict[str, t.Any], host: str, label: str) -> dict[str, int]:
        self.hosts.append((label, host))
        return self.tables[label]


def test_rehearsal_counts_rows_on_live_and_copy_then_deletes(root, clients) -> None:
    counter = RecordedCounts({"auth_user": 500, "courseware_studentmodule": 3000},
                             {"auth_user": 500, "courseware_studentmodule": 2990})
    before = _instances(clients)
    lines: list[str] = []
    (done,) = _restore(root, clients, "mysql", lines, rehearse=True, counter=counter,
                       at=(datetime.now(timezone.utc) - timedelta(seconds=1)).isoformat())
    assert _instances(clients) == before
    assert counter.hosts[0] == ("live", "demo-mysql.abc.us-east-1.rds.amazonaws.com")
    assert counter.hosts[1] == ("copy", done.config["MYSQL_HOST"])
    assert "mysql: 2 tables, 3500 rows live; 2 tables, 3490 rows in the copy" in lines
    assert any("courseware_studentmodule 3000/2990" in line for line in lines)


def test_rehearsal_fails_when_the_copy_lacks_tables_and_still_deletes(root, clients) -> None:
    counter = RecordedCounts({"auth_user": 500, "grades": 7}, {"auth_user": 500})
    before = _instances(clients)
    with pytest.raises(BackupError, match="rehearsal failed: the restored copy lacks tables"):
        _restore(root, clients, "mysql", rehearse=True, counter=counter,
                 at=(datetime.now(timezone.utc) - timedelta(seconds=1)).isoformat())
    assert _instances(clients) == before


def test_restore_while_another_operator_restores_mongodb_is_refused(root, clients) -> None:
    """Seen in AWS, not in the lock file: a tagged copy of the live cluster still creating."""
    _docdb, point = _documentdb_point(root, clients, "job-8",
                                      restoring=["demo-mongodb-r20261129100000"])
    _refused(root, clients, r"a restore is still running: DocumentDB cluster demo-mongodb-r20261129100000 \(creating\)",
             store="mongodb", recovery_point=point)
    clients.verify()


def test_restore_while_an_efs_restore_job_runs_is_refused(root, clients, deployment) -> None:
    point_arn = f"arn:aws:backup:{REGION}:{deployment['account']}:recovery-point:efs-0003"
    stub = clients.stub("backup")
    _queue_point(stub, point_arn, deployment["efs_arn"])
    stub.add_response("list_restore_jobs", {"RestoreJobs": [
        {"RestoreJobId": "restore-busy", "ResourceType": "EFS", "Status": "RUNNING"}]},
        {"ByStatus": "RUNNING"})
    filesystems = len(clients("efs").describe_file_systems()["FileSystems"])
    _refused(root, clients, r"a restore is still running: EFS restore job restore-busy \(RUNNING\)",
             store="media", recovery_point=point_arn)
    clients.verify()
    assert len(clients("efs").describe_file_systems()["FileSystems"]) == filesystems
