"""`tutor eks backup` and `backup list` flows.

The stores are found in moto (RDS, EFS, EBS, S3, STS on 127.0.0.1). AWS Backup is
botocore's Stubber: moto implements neither backup selections, jobs nor recovery
points; the Stubber checks each request against the real AWS Backup model and the
tests queue the documented responses.
"""

from __future__ import annotations

import importlib
import typing as t
from datetime import datetime, timedelta, timezone

import pytest
from backup_names import NAME, REGION

from tutor_eks_plugin.backup import jobs, stores
from tutor_eks_plugin.commands.backup import listing

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
ROLE = "arn:aws:iam::123456789012:role/demo-backup-0001"


def config(deployment: dict[str, t.Any]) -> dict[str, t.Any]:
    return {
        "EKS_NAME": NAME,
        "EKS_AWS_REGION": REGION,
        "EKS_EFS_FILE_SYSTEM_ID": deployment["efs_id"],
        "EKS_MONGODB_MODE": "byo",
    }


def _queue_role(stub) -> None:
    stub.add_response(
        "list_backup_plans",
        {"BackupPlansList": [
            {"BackupPlanName": "other-daily", "BackupPlanId": "p0"},
            {"BackupPlanName": f"{NAME}-daily", "BackupPlanId": "p1"},
        ]},
        {},
    )
    stub.add_response(
        "list_backup_selections",
        {"BackupSelectionsList": [{"SelectionName": f"{NAME}-stores", "IamRoleArn": ROLE}]},
        {"BackupPlanId": "p1"},
    )


def test_on_demand_backup_of_every_store_waits_and_reports(clients, deployment) -> None:
    found = stores.discover(clients, config(deployment), ["mysql", "media", "search"])
    assert found["mysql"].arn == deployment["mysql_arn"]
    assert found["media"].arn == deployment["efs_arn"]
    assert found["search"].arn == deployment["volume_arn"]

    stub = clients.stub("backup")
    _queue_role(stub)
    for index, name in enumerate(found):
        stub.add_response(
            "start_backup_job",
            {"BackupJobId": f"job-{index}", "CreationDate": NOW},
            {
                "BackupVaultName": NAME,
                "ResourceArn": found[name].arn,
                "IamRoleArn": ROLE,
                "IdempotencyToken": stub_any(),
                "StartWindowMinutes": 60,
                "CompleteWindowMinutes": 480,
                "Lifecycle": {"DeleteAfterDays": 35},
                "RecoveryPointTags": {"BackupRule": "on-demand", "Store": name},
            },
        )
    # Round 1: all running; round 2: done.
    for index in range(3):
        stub.add_response("describe_backup_job",
                          {"BackupJobId": f"job-{index}", "State": "RUNNING", "PercentDone": "40.0"},
                          {"BackupJobId": f"job-{index}"})
    for index in range(3):
        stub.add_response(
            "describe_backup_job",
            {"BackupJobId": f"job-{index}", "State": "COMPLETED", "PercentDone": "100.0",
             "RecoveryPointArn": f"arn:aws:backup:{REGION}:123456789012:recovery-point:rp-{index}",
             "BackupSizeInBytes": 1024 ** 3 * (index + 1)},
            {"BackupJobId": f"job-{index}"},
        )
    role = jobs.backup_role(clients("backup"), NAME)
    started = jobs.start(clients("backup"), NAME, role, found, 35)
    lines: list[str] = []
    ticks = iter(range(0, 10_000, 15))
    final = jobs.wait(clients("backup"), started, lines.append, timeout=600,
                      clock=lambda: float(next(ticks)), sleep=lambda _s: None)
    clients.verify()
    assert started == {"mysql": "job-0", "media": "job-1", "search": "job-2"}
    assert {s: j["State"] for s, j in final.items()} == dict.fromkeys(found, "COMPLETED")
    assert lines[0] == "mysql: RUNNING 40.0% after 0m15s"
    assert any(line.startswith("search: COMPLETED 100.0%") for line in lines)
    assert jobs.size(final["media"]["BackupSizeInBytes"]) == "2.0 GiB"


def test_wait_gives_up_after_the_timeout_with_the_pending_jobs(clients) -> None:
    stub = clients.stub("backup")
    for _ in range(3):
        stub.add_response("describe_backup_job", {"BackupJobId": "job-9", "State": "RUNNING"},
                          {"BackupJobId": "job-9"})
    ticks = iter([0.0, 0.0, 400.0, 800.0, 1200.0])
    with pytest.raises(stores.BackupError, match=r"still running after 10m00s: mysql \(job-9\)"):
        jobs.wait(clients("backup"), {"mysql": "job-9"}, lambda _l: None, timeout=600,
                  clock=lambda: next(ticks), sleep=lambda _s: None)


def test_backup_without_the_plan_says_to_apply_the_stack(clients) -> None:
    stub = clients.stub("backup")
    stub.add_response("list_backup_plans", {"BackupPlansList": []}, {})
    with pytest.raises(stores.BackupError, match="backup plan demo-daily not found: run `tutor eks infra apply`"):
        jobs.backup_role(clients("backup"), NAME)


def test_list_shows_points_and_dumps_per_store_newest_first(clients, deployment, session, moto_endpoint) -> None:
    s3 = clients("s3")
    for key, body in (
        ("dumps/mysql/20261128020000/openedx.sql.gz", b"x" * 2048),
        ("dumps/mysql/20261128020000/openedx.sql.gz.sha256", b"sum"),
        ("dumps/mysql/20261129020000/openedx.sql.gz", b"y" * 4096),
    ):
        s3.put_object(Bucket=deployment["bucket"], Key=key, Body=body)
    stub = clients.stub("backup")

    def point(arn: str, resource: str, hours: int, size: int) -> dict[str, t.Any]:
        return {"RecoveryPointArn": arn, "ResourceArn": resource, "Status": "COMPLETED",
                "CreationDate": NOW - timedelta(hours=hours), "BackupSizeInBytes": size}

    stub.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": [
            point(f"arn:aws:rds:{REGION}:1:snapshot:awsbackup:job-old", deployment["mysql_arn"], 50, 5 * 1024 ** 3),
            point(f"arn:aws:backup:{REGION}:1:recovery-point:continuous:db-x", deployment["mysql_arn"], 1, 6 * 1024 ** 3),
            point(f"arn:aws:rds:{REGION}:1:snapshot:awsbackup:job-new", deployment["mysql_arn"], 26, 5 * 1024 ** 3),
            point(f"arn:aws:backup:{REGION}:1:recovery-point:efs-1", deployment["efs_arn"], 3, 700 * 1024 ** 2),
            point(f"arn:aws:rds:{REGION}:1:snapshot:someone-else", "arn:aws:rds:x:1:db:other", 2, 1),
        ]},
        {"BackupVaultName": NAME},
    )
    lines = listing(clients, config(deployment), ["mysql", "media", "search"], now=NOW)
    clients.verify()
    text = "\n".join(lines)
    print("\n" + text)
    mysql = lines[1:lines.index(next(line for line in lines if line.startswith("media")))]
    assert [line.split()[-1] for line in mysql] == [
        f"arn:aws:backup:{REGION}:1:recovery-point:continuous:db-x",
        f"arn:aws:rds:{REGION}:1:snapshot:awsbackup:job-new",
        f"arn:aws:rds:{REGION}:1:snapshot:awsbackup:job-old",
        f"s3://{deployment['bucket']}/dumps/mysql/20261129020000/openedx.sql.gz",
        f"s3://{deployment['bucket']}/dumps/mysql/20261128020000/openedx.sql.gz",
    ]
    assert "1h00m" in mysql[0] and "6.0 GiB" in mysql[0] and "continuous" in mysql[0]
    assert "2d02h" in mysql[2] and "4.0 KiB" in mysql[3]
    assert "someone-else" not in text and ".sha256" not in text
    assert "700.0 MiB" in text
    assert lines[-1] == "  (no recovery point or dump yet: run `tutor eks backup`)"


def test_list_without_vault_says_to_apply_the_stack(clients, deployment) -> None:
    stub = clients.stub("backup")
    stub.add_client_error("list_recovery_points_by_backup_vault", "ResourceNotFoundException",
                          "Backup vault demo does not exist")
    with pytest.raises(stores.BackupError, match="backup vault demo not found: run `tutor eks infra apply`"):
        listing(clients, config(deployment), ["mysql"], now=NOW)


def test_unknown_store_names_the_choices() -> None:
    with pytest.raises(stores.BackupError, match=r"store 'mysq' does not exist: use one of mysql, mongodb, media, search \(or 'all'\)"):
        stores.selected("mysq")


def stub_any():
    from botocore.stub import ANY

    return ANY


def test_all_leaves_out_an_external_mongodb_and_naming_it_is_refused(clients, deployment) -> None:
    assert stores.selected_for(config(deployment), "all") == ["mysql", "media", "search"]
    assert stores.selected_for({"EKS_MONGODB_MODE": "documentdb"}, "all") == list(stores.STORES)
    with pytest.raises(stores.BackupError, match="store 'mongodb' is not managed here"):
        stores.discover(clients, config(deployment), ["mongodb"])


def test_backup_command_prints_progress_and_recovery_points(clients, deployment, tutor_root, monkeypatch) -> None:
    """`tutor eks backup --store mysql` in-process (click's runner), AWS Backup stubbed."""
    from click.testing import CliRunner
    from tutor.commands.context import Context

    command = importlib.import_module("tutor_eks_plugin.commands.backup")

    monkeypatch.setattr(command, "_clients", lambda _config: clients)
    monkeypatch.setattr(jobs, "POLL_SECONDS", 0.0)
    stub = clients.stub("backup")
    _queue_role(stub)
    stub.add_response("start_backup_job", {"BackupJobId": "job-m"},
                      {"BackupVaultName": NAME, "ResourceArn": deployment["mysql_arn"], "IamRoleArn": ROLE,
                       "IdempotencyToken": stub_any(), "StartWindowMinutes": 60,
                       "CompleteWindowMinutes": 480, "Lifecycle": {"DeleteAfterDays": 90},
                       "RecoveryPointTags": {"BackupRule": "on-demand", "Store": "mysql"}})
    stub.add_response("describe_backup_job", {"BackupJobId": "job-m", "State": "CREATED"},
                      {"BackupJobId": "job-m"})
    stub.add_response("describe_backup_job",
                      {"BackupJobId": "job-m", "State": "COMPLETED", "PercentDone": "100.0",
                       "RecoveryPointArn": "arn:aws:rds:us-east-1:1:snapshot:awsbackup:job-m",
                       "BackupSizeInBytes": 20 * 1024 ** 3},
                      {"BackupJobId": "job-m"})
    result = CliRunner().invoke(command.backup, ["--store", "mysql", "--retention-days", "90"],
                                obj=Context(str(tutor_root)))
    clients.verify()
    assert result.exit_code == 0, result.output
    assert "mysql: CREATED 0% after" in result.output
    assert "mysql: recovery point arn:aws:rds:us-east-1:1:snapshot:awsbackup:job-m (20.0 GiB)" in result.output


def test_failed_backup_job_exits_1_with_the_reason(clients, deployment, tutor_root, monkeypatch) -> None:
    from click.testing import CliRunner
    from tutor.commands.context import Context

    command = importlib.import_module("tutor_eks_plugin.commands.backup")

    monkeypatch.setattr(command, "_clients", lambda _config: clients)
    stub = clients.stub("backup")
    _queue_role(stub)
    stub.add_response("start_backup_job", {"BackupJobId": "job-f"}, None)
    stub.add_response("describe_backup_job",
                      {"BackupJobId": "job-f", "State": "FAILED",
                       "StatusMessage": "Insufficient privileges to perform this action."},
                      {"BackupJobId": "job-f"})
    result = CliRunner().invoke(command.backup, ["--store", "mysql"], obj=Context(str(tutor_root)))
    assert result.exit_code == 1
    assert "backup jobs did not complete: mysql FAILED: Insufficient privileges" in str(result.exception)


def test_list_without_the_bucket_says_to_apply_the_stack(clients, deployment) -> None:
    stub = clients.stub("backup")
    stub.add_response("list_recovery_points_by_backup_vault", {"RecoveryPoints": []},
                      {"BackupVaultName": "other"})
    other = {**config(deployment), "EKS_NAME": "other"}
    # The stores are looked up by name: give this deployment the moto ones.
    clients("rds").create_db_instance(
        DBInstanceIdentifier="other-mysql", DBInstanceClass="db.t4g.medium", Engine="mysql",
        AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="not-a-real-password-1")
    with pytest.raises(stores.BackupError, match=r"backup bucket other-backups-123456789012-us-east-1 not found"):
        listing(clients, other, ["mysql"], now=NOW)


def test_backup_and_list_take_the_same_store_option(tutor_root) -> None:
    """One --store option for `backup` and `backup list`: same default, same refusal."""
    from click.testing import CliRunner
    from tutor.commands.context import Context

    command = importlib.import_module("tutor_eks_plugin.commands.backup")
    for prefix in ([], ["list"]):
        shown = CliRunner().invoke(command.backup, [*prefix, "--help"])
        assert shown.exit_code == 0, shown.output
        assert "--store" in shown.output and "[default: all]" in shown.output, shown.output
        refused = CliRunner().invoke(command.backup, [*prefix, "--store", "nope"],
                                     obj=Context(str(tutor_root)))
        assert refused.exit_code == 1, (prefix, refused.output)
        text = refused.output + str(refused.exception)
        assert "nope" in text and "mysql" in text, (prefix, text)
