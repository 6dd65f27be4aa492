"""Settings of the Terraform driver (`tutor eks infra`): instance, region, state backend.

The second half lists the keys that `tutor eks infra apply|output` writes from the
stage-1 outputs (docs/outputs-contract.md); they default to "" until the first apply.
"""

from __future__ import annotations

import re
import typing as t

from . import Rule, Setting
from .validators import Choice, ListOf, Pattern, PrivateCidr, host

STAGES = ("aws", "cluster")

# Lower-case, starts with a letter, 2-20 characters, no "--": the name prefixes RDS,
# ElastiCache, DocumentDB and S3 names, whose own limits (and lower-case rules) are the
# tightest. The stage-1 stack's `name` variable accepts a superset of this.
NAME_RE = re.compile(r"^[a-z](?!.*--)[a-z0-9-]{0,18}[a-z0-9]$")
REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$")
# S3 bucket naming rules (general purpose buckets).
BUCKET_RE = re.compile(r"^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
STATE_KEY_RE = re.compile(r"^[A-Za-z0-9!_.*'()/-]+$")
# A KMS key id, key ARN, alias name or alias ARN.
KMS_KEY_RE = re.compile(
    r"^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key/[0-9a-f-]{36}|alias/[A-Za-z0-9/_-]+)"
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|mrk-[0-9a-f]{32}|alias/[A-Za-z0-9/_-]+)$"
)
CLUSTER_NAME_RE = re.compile(r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")
OPENSEARCH_RE = re.compile(r"^(https://)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
EFS_ID_RE = re.compile(r"^fs-[0-9a-f]{8,40}$")
EFS_AP_RE = re.compile(r"^fsap-[0-9a-f]{8,40}$")
ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$")

SETTINGS: list[Setting] = [
    Setting(
        "ROUTE53_ZONE_ID",
        "",
        Pattern(re.compile(r"^Z[0-9A-Z]{1,31}$"), "a Route53 hosted zone id such as "
                "'Z0123456789ABCDEFGHIJ'", allow_empty=True),
        "Route53 zone of the public hosts: the edge validates its certificates and adds "
        "alias records there. Empty: you manage DNS (see the deployment guide).",
    ),
    Setting(
        "ALB_LOG_DELIVERY_PRINCIPAL",
        "elb-account",
        Choice(["elb-account", "service"]),
        "Who writes the ALB access logs: the regional ELB account ('elb-account', regions "
        "opened before August 2022) or the log delivery service ('service', newer regions).",
    ),
    Setting(
        "CLUSTER_ENDPOINT_PUBLIC_ACCESS_CIDRS",
        [],
        ListOf(PrivateCidr()),
        "Address ranges allowed to reach the public Kubernetes API endpoint (where "
        "`tutor k8s` and stage 2 run from). Empty: the endpoint is private only.",
    ),
    Setting(
        "CLUSTER_ADMIN_ARNS",
        [],
        ListOf(Pattern(re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$"),
                       "an IAM role or user ARN")),
        "Extra IAM roles or users made cluster admins through EKS access entries (the "
        "identity that runs Terraform always is).",
    ),
    Setting(
        "NAME",
        "openedx",
        Pattern(
            NAME_RE,
            "2-20 lower-case letters, digits or single '-', starting with a letter",
        ),
        "Instance name: prefixes every AWS resource, and is typed to confirm a destroy.",
    ),
    Setting(
        "AWS_REGION",
        "us-east-1",
        Pattern(REGION_RE, "an AWS region code such as 'eu-west-1'"),
        "AWS region of the stage-1 resources (CloudFront's certificate and WAF always "
        "live in us-east-1).",
    ),
    Setting(
        "PROFILE",
        "production",
        Choice(["small", "production"]),
        "'production': multi-AZ data stores, deletion protection, long backups; "
        "'small': one NAT gateway, single-AZ, burstable instances (trials, staging).",
    ),
    Setting(
        "STATE_BACKEND",
        "s3",
        Choice(["s3", "local"]),
        "Where Terraform keeps its state: an encrypted, locked S3 object (s3), or a file "
        "under the Tutor root (local: one operator, throw-away installs only).",
    ),
    Setting(
        "STATE_BUCKET",
        "",
        Pattern(BUCKET_RE, "an S3 bucket name or '' (required when EKS_STATE_BACKEND=s3)", True),
        "Existing S3 bucket that holds the Terraform state (see docs/state-backend.md).",
    ),
    Setting(
        "STATE_KEY",
        "tutor-eks/{{ EKS_NAME }}",
        Pattern(STATE_KEY_RE, "an S3 key prefix such as 'tutor-eks/openedx' (no spaces)"),
        "Key prefix in the state bucket: each stage's state is '<prefix>/<stage>.tfstate'.",
    ),
    Setting(
        "STATE_REGION",
        "{{ EKS_AWS_REGION }}",
        Pattern(REGION_RE, "an AWS region code such as 'eu-west-1'"),
        "Region of the state bucket.",
    ),
    Setting(
        "STATE_KMS_KEY_ID",
        "",
        Pattern(KMS_KEY_RE, "a KMS key id, key ARN, alias or alias ARN, or ''", True),
        "KMS key for the state object (SSE-KMS); '' uses the bucket's default encryption.",
    ),
    Setting(
        "INFRA_STAGES",
        list(STAGES),
        ListOf(Choice(list(STAGES))),
        "Stages `tutor eks infra` runs: 'aws' (stage 1, AWS resources) and 'cluster' "
        "(stage 2, in-cluster controllers); drop 'cluster' to manage it yourself.",
    ),
    # Written by `tutor eks infra apply|output` from the stage-1 outputs.
    Setting(
        "CLUSTER_NAME",
        "",
        Pattern(CLUSTER_NAME_RE, "an EKS cluster name or ''", True),
        "EKS cluster name (written by `tutor eks infra apply`).",
    ),
    Setting(
        "OPENSEARCH_ENDPOINT",
        "",
        Pattern(OPENSEARCH_RE, "an OpenSearch domain endpoint host name or ''", True),
        "Amazon OpenSearch endpoint, '' when off (written by `tutor eks infra apply`).",
    ),
    Setting(
        "EFS_FILE_SYSTEM_ID",
        "",
        Pattern(EFS_ID_RE, "an EFS file system id such as 'fs-0123456789abcdef0' or ''", True),
        "EFS file system for media (written by `tutor eks infra apply`).",
    ),
    Setting(
        "EFS_ACCESS_POINT_ID",
        "",
        Pattern(EFS_AP_RE, "an EFS access point id such as 'fsap-0123456789abcdef0' or ''", True),
        "EFS access point (uid/gid 1000) for media (written by `tutor eks infra apply`).",
    ),
    Setting(
        "S3_MEDIA_BUCKET",
        "",
        Pattern(BUCKET_RE, "an S3 bucket name or ''", True),
        "S3 media bucket, '' when media is on EFS (written by `tutor eks infra apply`).",
    ),
    Setting(
        "MEDIA_ROLE_ARN",
        "",
        Pattern(ROLE_ARN_RE, "an IAM role ARN or ''", True),
        "IAM role the Open edX pods assume for media (written by `tutor eks infra apply`).",
    ),
    Setting(
        "CLOUDFRONT_DOMAIN",
        "",
        host(allow_empty=True),
        "CloudFront distribution domain to point DNS at (written by `tutor eks infra apply`).",
    ),
]


def _stages_rule(config: dict[str, t.Any]) -> list[str]:
    stages = config.get("EKS_INFRA_STAGES")
    if not isinstance(stages, list):
        return []
    if not stages:
        return ["EKS_INFRA_STAGES is empty: list at least one of 'aws', 'cluster'."]
    if len(set(stages)) != len(stages):
        return [f"EKS_INFRA_STAGES={stages!r} lists a stage twice."]
    return []


RULES: list[Rule] = [_stages_rule]
