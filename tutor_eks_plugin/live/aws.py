"""AWS-side checks (boto3). Each takes the Target and returns its result lines.

Resources are found from the stage-1 outputs (the same names docs/outputs-contract.md
lists), never from tags or guesses, so a check looks at exactly what Terraform built.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlparse

from .context import Target
from .report import Result, fail, ok, warn

AWS = "aws"
CLUSTER = "cluster"
# Outputs the live checks and the operator's next steps depend on.
REQUIRED_OUTPUTS: dict[str, tuple[str, ...]] = {
    AWS: (
        "region", "cluster_name", "private_subnet_ids", "mysql_host", "redis_host",
        "meilisearch_url", "alb_target_group_arn", "alb_dns_name",
        "cloudfront_distribution_id", "cloudfront_domain_name", "web_acl_arn",
    ),
    CLUSTER: ("ingress_class_name", "nginx_namespace", "nginx_service_name"),
}
CERT_MIN_DAYS = 14
# Backups older than this (hours) are stale: the plans run daily.
BACKUP_MAX_AGE_HOURS = 36
BACKUP_VAULT_OUTPUT = "backup_vault_name"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def outputs_present(target: Target) -> list[Result]:
    results = []
    for stage, names in REQUIRED_OUTPUTS.items():
        missing = [n for n in names if target.output(stage, n) in (None, "", [])]
        if not target.outputs.get(stage):
            results.append(fail(
                f"no outputs for stage {stage}",
                f"run `tutor eks infra apply --stage {stage}` (or check EKS_STATE_BUCKET)",
                subject=stage,
            ))
        elif missing:
            results.append(fail(
                f"stage {stage} lacks output(s) {', '.join(missing)}",
                f"re-run `tutor eks infra apply --stage {stage}`", subject=stage,
            ))
        else:
            results.append(ok(f"stage {stage}: {len(names)} outputs present", subject=stage))
    return results


def cloudfront_waf(target: Target) -> list[Result]:
    dist_id = target.output(AWS, "cloudfront_distribution_id")
    if not dist_id:
        return [fail("no cloudfront_distribution_id output", "apply stage aws")]
    dist = target.client("cloudfront", "us-east-1").get_distribution(Id=dist_id)["Distribution"]
    status, acl = dist["Status"], dist["DistributionConfig"].get("WebACLId", "")
    enabled = dist["DistributionConfig"].get("Enabled", False)
    want = target.output(AWS, "web_acl_arn")
    seen = f"{dist_id} {status}, {'enabled' if enabled else 'DISABLED'}, web ACL {acl or 'none'}"
    if not enabled:
        return [fail(seen, "enable the distribution (terraform apply restores it)")]
    if not acl or (want and acl != want):
        return [fail(seen, f"attach web ACL {want}: re-run `tutor eks infra apply --stage aws`")]
    if status != "Deployed":
        return [warn(seen, "a change is still propagating: run validate again in a few minutes")]
    return [ok(seen)]


def target_health(target: Target) -> list[Result]:
    arn = target.output(AWS, "alb_target_group_arn")
    if not arn:
        return [fail("no alb_target_group_arn output", "apply stage aws")]
    health = target.client("elbv2").describe_target_health(TargetGroupArn=arn)
    states: dict[str, int] = {}
    for item in health["TargetHealthDescriptions"]:
        state = item["TargetHealth"]["State"]
        states[state] = states.get(state, 0) + 1
    seen = ", ".join(f"{n} {s}" for s, n in sorted(states.items())) or "no targets registered"
    if not states.get("healthy"):
        return [fail(seen, "check the TargetGroupBinding and the NGINX pods' readiness "
                     "(kubectl -n nginx-ingress describe targetgroupbinding)")]
    if len(states) > 1:
        return [warn(seen, "some targets are not healthy: look at the NGINX pods")]
    return [ok(seen)]


def rds(target: Target) -> list[Result]:
    host = target.output(AWS, "mysql_host")
    found = [
        db for page in target.client("rds").get_paginator("describe_db_instances").paginate()
        for db in page["DBInstances"] if db.get("Endpoint", {}).get("Address") == host
    ]
    if not found:
        return [fail(f"no RDS instance with endpoint {host}", "check stage aws outputs")]
    db = found[0]
    seen = (f"{db['DBInstanceIdentifier']} {db['DBInstanceStatus']}, {db['Engine']} "
            f"{db.get('EngineVersion', '?')}, Multi-AZ {db.get('MultiAZ', False)}")
    return [_store_verdict(target, seen, db["DBInstanceStatus"], bool(db.get("MultiAZ")))]


def documentdb(target: Target) -> list[Result]:
    host = target.output(AWS, "mongodb_host")
    if not host:
        return [ok("not applicable: no DocumentDB (bring your own MongoDB)")]
    clusters = target.client("docdb").describe_db_clusters(
        Filters=[{"Name": "engine", "Values": ["docdb"]}]
    )["DBClusters"]
    found = [c for c in clusters if c.get("Endpoint") == host]
    if not found:
        return [fail(f"no DocumentDB cluster with endpoint {host}", "check stage aws outputs")]
    c = found[0]
    members = len(c.get("DBClusterMembers", []))
    seen = (f"{c['DBClusterIdentifier']} {c['Status']}, {members} instance(s), "
            f"Multi-AZ {c.get('MultiAZ', False)}")
    return [_store_verdict(target, seen, c["Status"], bool(c.get("MultiAZ")))]


def elasticache(target: Target) -> list[Result]:
    host = target.output(AWS, "redis_host")
    groups = [
        g for page in target.client("elasticache").get_paginator(
            "describe_replication_groups").paginate()
        for g in page["ReplicationGroups"]
        if any((ng.get("PrimaryEndpoint") or {}).get("Address") == host
               for ng in g.get("NodeGroups", []))
    ]
    if not groups:
        return [fail(f"no replication group with primary endpoint {host}",
                     "check stage aws outputs")]
    g = groups[0]
    multi_az = g.get("MultiAZ") == "enabled"
    seen = (f"{g['ReplicationGroupId']} {g['Status']}, TLS {g.get('TransitEncryptionEnabled')}, "
            f"Multi-AZ {multi_az}")
    if not g.get("TransitEncryptionEnabled") or not g.get("AuthTokenEnabled", True):
        return [fail(seen, "the plugin's Redis settings need TLS and AUTH: re-apply stage aws")]
    return [_store_verdict(target, seen, g["Status"], multi_az)]


def _store_verdict(target: Target, seen: str, status: str, multi_az: bool) -> Result:
    if status != "available":
        return fail(seen, "wait for 'available', or open the AWS console's events for it")
    if target.production and not multi_az:
        return fail(seen, "EKS_PROFILE=production needs Multi-AZ: re-apply stage aws")
    return ok(seen)


def meilisearch_host(target: Target) -> list[Result]:
    url = target.output(AWS, "meilisearch_url") or ""
    host = urlparse(url).hostname or ""
    key = "private-ip-address" if host.replace(".", "").isdigit() else "private-dns-name"
    ec2 = target.client("ec2")
    filters = [{"Name": key, "Values": [host]}]
    if target.output(AWS, "vpc_id"):  # private addresses repeat across VPCs
        filters.append({"Name": "vpc-id", "Values": [target.output(AWS, "vpc_id")]})
    ids = [
        i["InstanceId"]
        for r in ec2.describe_instances(Filters=filters)["Reservations"]
        for i in r["Instances"]
    ]
    if not ids:
        return [fail(f"no EC2 instance at {host or url!r}", "check stage aws outputs")]
    statuses = ec2.describe_instance_status(InstanceIds=ids, IncludeAllInstances=True)[
        "InstanceStatuses"]
    s = statuses[0] if statuses else {}
    state = s.get("InstanceState", {}).get("Name", "unknown")
    system = s.get("SystemStatus", {}).get("Status", "unknown")
    instance = s.get("InstanceStatus", {}).get("Status", "unknown")
    seen = f"{ids[0]} {state}, system check {system}, instance check {instance}"
    if state != "running":
        return [fail(seen, "start it: `aws ec2 start-instances` or re-apply stage aws")]
    if system != "ok" or instance != "ok":
        verdict = warn if "initializing" in (system, instance) else fail
        return [verdict(seen, "look at the instance's status checks in the EC2 console")]
    return [ok(seen)]


def certificates(target: Target) -> list[Result]:
    """The ACM certificates CloudFront (us-east-1) and the ALB listeners serve."""
    arns: list[tuple[str, str]] = []
    dist_id = target.output(AWS, "cloudfront_distribution_id")
    if dist_id:
        cfg = target.client("cloudfront", "us-east-1").get_distribution(Id=dist_id)[
            "Distribution"]["DistributionConfig"]
        arn = cfg.get("ViewerCertificate", {}).get("ACMCertificateArn")
        if arn:
            arns.append(("us-east-1", arn))
    tg_arn = target.output(AWS, "alb_target_group_arn")
    if tg_arn:
        elbv2 = target.client("elbv2")
        groups = elbv2.describe_target_groups(TargetGroupArns=[tg_arn])["TargetGroups"]
        for lb in (groups[0].get("LoadBalancerArns", []) if groups else []):
            for listener in elbv2.describe_listeners(LoadBalancerArn=lb)["Listeners"]:
                for cert in listener.get("Certificates", []):
                    arns.append((target.region, cert["CertificateArn"]))
    if not arns:
        return [fail("no certificate found on CloudFront or the ALB", "apply stage aws")]
    results = []
    for region, arn in dict.fromkeys(arns):
        cert = target.client("acm", region).describe_certificate(CertificateArn=arn)["Certificate"]
        subject = cert.get("DomainName", arn)
        not_after = cert.get("NotAfter")
        if cert.get("Status") != "ISSUED" or not not_after:
            results.append(fail(f"status {cert.get('Status')}", "create the DNS validation "
                                "records (output certificate_validation_records)", subject))
            continue
        days = (not_after - _now()).days
        seen = f"{region} {cert['Status']}, {days} days left (until {not_after:%Y-%m-%d})"
        if days <= CERT_MIN_DAYS:
            results.append(fail(seen, "ACM renewal is stuck: check the validation CNAME "
                                "records are still in DNS", subject))
        else:
            results.append(ok(seen, subject))
    return results


def backups(target: Target) -> list[Result]:
    vault = target.output(AWS, BACKUP_VAULT_OUTPUT)
    if not vault:
        return [ok(f"not applicable: no backup plan (output {BACKUP_VAULT_OUTPUT} unset)")]
    jobs = target.client("backup").list_backup_jobs(
        ByBackupVaultName=vault, ByState="COMPLETED",
        ByCreatedAfter=_now() - datetime.timedelta(days=7),
    )["BackupJobs"]
    if not jobs:
        return [fail(f"no completed backup in vault {vault} for 7 days",
                     "check the backup plan's jobs in the AWS Backup console")]
    latest = max(j["CompletionDate"] for j in jobs)
    hours = (_now() - latest).total_seconds() / 3600
    seen = f"vault {vault}: {len(jobs)} completed job(s) in 7 days, latest {hours:.0f} h ago"
    if hours > BACKUP_MAX_AGE_HOURS:
        return [fail(seen, "the daily plan has not run: check its jobs in AWS Backup")]
    return [ok(seen)]

