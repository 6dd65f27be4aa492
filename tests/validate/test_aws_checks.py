"""AWS checks with boto3 against moto on 127.0.0.1; botocore's Stubber where moto cannot
answer (the Stubber checks every request and response against the real service model):

- target health: moto reports every registered IP target `healthy`, so unhealthy,
  draining and empty target groups come from the Stubber;
- DocumentDB: moto 5.2 has no DocumentDB (`docdb`) backend;
- AWS Backup jobs: moto has no backup jobs (nothing runs them).
"""

from __future__ import annotations

import datetime
import typing as t

import boto3
import pytest
import requests
from botocore.stub import ANY, Stubber
from tutor_cli import Rendered

from tutor_eks_plugin.live import aws, checks

from . import aws_world
from .conftest import make_target
from .pki import TestCa


def _settle(world: aws_world.World) -> None:
    """moto's CloudFront, like AWS, reports InProgress before Deployed."""
    client = boto3.client("cloudfront", region_name="us-east-1")
    for _ in range(2):
        client.get_distribution(Id=world.distribution_id)


def _results(site: Rendered, outputs: dict[str, t.Any], **config: t.Any) -> dict[str, t.Any]:
    target = make_target(site, outputs)
    target.config.update(config)
    return {r.check: r for r in checks.run(target, ["aws"])}


def test_a_healthy_stack_passes(site: Rendered, moto: str, ca: TestCa) -> None:
    world = aws_world.build(ca, "healthy", multi_az=True)
    _settle(world)
    results = _results(site, world.outputs)  # EKS_PROFILE production: the default
    assert {c: r.status for c, r in results.items() if r.status != "ok"} == {}
    assert "Deployed" in results["aws.cloudfront"].seen
    assert results["aws.rds"].seen.startswith("healthy available, mysql 8.4.3")
    assert "2 healthy" == results["aws.targets"].seen
    assert "running, system check ok" in results["aws.meilisearch"].seen
    assert results["aws.documentdb"].seen.startswith("not applicable")
    assert results["aws.backups"].seen.startswith("not applicable")


def test_production_needs_multi_az_stores(site: Rendered, moto: str, ca: TestCa) -> None:
    world = aws_world.build(ca, "single-az")
    _settle(world)
    assert _results(site, world.outputs, EKS_PROFILE="small")["aws.rds"].status == "ok"
    results = _results(site, world.outputs, EKS_PROFILE="production")
    assert results["aws.rds"].status == "fail" and "Multi-AZ" in results["aws.rds"].todo
    assert results["aws.elasticache"].status == "fail"
    multi = aws_world.build(ca, "multi-az", multi_az=True)
    _settle(multi)
    results = _results(site, multi.outputs, EKS_PROFILE="production")
    assert results["aws.rds"].status == "ok" and results["aws.elasticache"].status == "ok"


def test_cloudfront_without_the_web_acl_fails_and_in_progress_warns(
    site: Rendered, moto: str, ca: TestCa
) -> None:
    world = aws_world.build(ca, "no-waf", multi_az=True, web_acl=False)
    result = _results(site, world.outputs)["aws.cloudfront"]
    assert result.status == "fail" and "web ACL none" in result.seen
    # moto's state manager keeps the next distribution InProgress for a few reads.
    transition = {"model_name": "cloudfront::distribution",
                  "transition": {"progression": "manual", "times": 5}}
    requests.post(f"{moto}/moto-api/state-manager/set-transition", json=transition, timeout=10)
    try:
        fresh = aws_world.build(ca, "fresh", multi_az=True)
        result = _results(site, fresh.outputs)["aws.cloudfront"]
    finally:
        requests.post(f"{moto}/moto-api/state-manager/unset-transition",
                      json={"model_name": "cloudfront::distribution"}, timeout=10)
    assert result.status == "warn" and "InProgress" in result.seen


def test_an_expiring_certificate_and_a_stopped_search_host_fail(
    site: Rendered, moto: str, ca: TestCa
) -> None:
    world = aws_world.build(ca, "expiring", multi_az=True, cert_days=10)
    _settle(world)
    boto3.client("ec2", region_name="us-east-1").stop_instances(
        InstanceIds=[world.meili_instance])
    results = _results(site, world.outputs)
    assert results["aws.certificates"].status == "fail"
    assert "days left" in results["aws.certificates"].seen
    assert results["aws.meilisearch"].status == "fail"
    assert "stopped" in results["aws.meilisearch"].seen


def test_missing_outputs_fail_and_name_them(site: Rendered, moto: str, ca: TestCa) -> None:
    world = aws_world.build(ca, "partial", multi_az=True)
    del world.outputs["aws"]["web_acl_arn"]
    world.outputs["cluster"] = {}
    lines = [r for r in checks.run(make_target(site, world.outputs), ["aws"])
             if r.check == "aws.outputs"]
    assert {r.subject: r.status for r in lines} == {"aws": "fail", "cluster": "fail"}
    assert "web_acl_arn" in lines[0].seen


# -- botocore Stubber: what moto cannot answer -----------------------------------------
def _stubbed(site: Rendered, service: str, outputs: dict[str, t.Any] | None = None,
             **config: t.Any) -> tuple[t.Any, Stubber]:
    from .conftest import stage_outputs

    target = make_target(site, outputs or stage_outputs())
    target.config.update(config)
    client = boto3.client(service, region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x")
    target.clients[(service, "us-east-1")] = client
    return target, Stubber(client)


def _health(*states: str) -> dict[str, t.Any]:
    return {"TargetHealthDescriptions": [
        {"Target": {"Id": f"10.0.32.{i}", "Port": 80}, "HealthCheckPort": "8081",
         "TargetHealth": {"State": s}} for i, s in enumerate(states)]}


@pytest.mark.parametrize("states, status", [
    (("healthy", "healthy"), "ok"),
    (("healthy", "draining"), "warn"),
    (("unhealthy", "unhealthy"), "fail"),
    ((), "fail"),
])
def test_target_health(site: Rendered, states: tuple[str, ...], status: str) -> None:
    target, stub = _stubbed(site, "elbv2")
    stub.add_response("describe_target_health", _health(*states),
                      {"TargetGroupArn": target.output("aws", "alb_target_group_arn")})
    with stub:
        [result] = aws.target_health(target)
    stub.assert_no_pending_responses()
    assert result.status == status


@pytest.mark.parametrize("state, multi_az, profile, status", [
    ("available", False, "small", "ok"),
    ("available", True, "production", "ok"),
    ("available", False, "production", "fail"),
    ("modifying", True, "small", "fail"),
])
def test_documentdb(site: Rendered, state: str, multi_az: bool, profile: str,
                    status: str) -> None:
    from .conftest import stage_outputs

    host = "openedx.cluster-abc.us-east-1.docdb.amazonaws.com"
    target, stub = _stubbed(site, "docdb", stage_outputs(mongodb_host=host), EKS_PROFILE=profile)
    stub.add_response("describe_db_clusters", {"DBClusters": [
        {"DBClusterIdentifier": "other", "Endpoint": "other.docdb", "Status": "available"},
        {"DBClusterIdentifier": "openedx", "Endpoint": host, "Status": state,
         "MultiAZ": multi_az, "DBClusterMembers": [{"DBInstanceIdentifier": "openedx-1"}]},
    ]}, {"Filters": [{"Name": "engine", "Values": ["docdb"]}]})
    with stub:
        [result] = aws.documentdb(target)
    assert result.status == status and "openedx" in result.seen


@pytest.mark.parametrize("hours_ago, status", [(5, "ok"), (50, "fail"), (None, "fail")])
def test_backups(site: Rendered, hours_ago: int | None, status: str) -> None:
    from .conftest import stage_outputs

    target, stub = _stubbed(site, "backup", stage_outputs(backup_vault_name="openedx"))
    now = datetime.datetime.now(datetime.timezone.utc)
    jobs = [] if hours_ago is None else [{
        "BackupJobId": "job-1", "BackupVaultName": "openedx", "State": "COMPLETED",
        "CreationDate": now - datetime.timedelta(hours=hours_ago + 1),
        "CompletionDate": now - datetime.timedelta(hours=hours_ago),
    }]
    stub.add_response("list_backup_jobs", {"BackupJobs": jobs}, {
        "ByBackupVaultName": "openedx", "ByState": "COMPLETED",
        "ByCreatedAfter": ANY})
    with stub:
        [result] = aws.backups(target)
    assert result.status == status
