"""The Terraform state bucket, created by `tutor eks infra init` when it does not exist.

The bucket cannot be created by the stack whose state it holds, so the driver makes it
with boto3, once, after saying what it will create and asking. An existing bucket is
used only when it is safe to hold the state: owned by the caller's account, versioned
(a bad apply can be rolled back to the previous state version) and not public. The
driver never deletes the bucket: it outlives every instance whose state it holds.
"""

from __future__ import annotations

import json
import typing as t
from dataclasses import dataclass

import click
from tutor import exceptions, fmt

# Replaced state versions are kept this long (for a rollback), then expire: without a
# rule every apply would add one version to the bill forever.
NONCURRENT_DAYS = 90
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


@dataclass(frozen=True)
class Plan:
    bucket: str
    region: str
    account: str
    kms_key: str

    @property
    def encryption(self) -> dict[str, t.Any]:
        if self.kms_key:
            default = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": self.kms_key}
            # Bucket keys cut the KMS requests (and their cost) per object write.
            return {"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": True}
        return {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}

    @property
    def policy(self) -> str:
        arn = f"arn:aws:s3:::{self.bucket}"
        return json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "DenyInsecureTransport",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [arn, f"{arn}/*"],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            }
        )

    @property
    def lifecycle(self) -> dict[str, t.Any]:
        return {
            "Rules": [
                {
                    "ID": "expire-old-state-versions",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "NoncurrentVersionExpiration": {"NoncurrentDays": NONCURRENT_DAYS},
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                }
            ]
        }

    def describe(self) -> list[str]:
        encryption = (
            f"SSE-KMS with EKS_STATE_KMS_KEY_ID={self.kms_key} (bucket key on)"
            if self.kms_key
            else "SSE-S3 (AES256; set EKS_STATE_KMS_KEY_ID for a KMS key of yours)"
        )
        return [
            f"The state bucket s3://{self.bucket} does not exist. `init` can create it "
            f"in {self.region} (account {self.account}) with:",
            "  - versioning on (every state write kept: a bad apply can be rolled back)",
            f"  - default encryption: {encryption}",
            "  - every public access blocked; object ownership: bucket owner (ACLs off)",
            "  - a bucket policy denying any request not made over TLS",
            f"  - lifecycle: replaced state versions expire {NONCURRENT_DAYS} days after "
            "being replaced",
            "It is never deleted by tutor eks (destroy leaves it).",
        ]


def ensure(config: dict[str, t.Any], yes: bool, confirm: t.Callable[[str], bool]) -> None:
    """Check the S3 state bucket, or create it after asking; no-op for the local backend."""
    if config.get("EKS_STATE_BACKEND", "s3") != "s3" or not config.get("EKS_STATE_BUCKET"):
        return  # backend.from_config explains a missing bucket name
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    bucket = str(config["EKS_STATE_BUCKET"])
    region = str(config.get("EKS_STATE_REGION") or config.get("EKS_AWS_REGION") or "us-east-1")
    try:
        account = boto3.client("sts", region_name=region).get_caller_identity()["Account"]
        s3 = boto3.client("s3", region_name=region)
        plan = Plan(bucket, region, account, str(config.get("EKS_STATE_KMS_KEY_ID") or ""))
        if _exists(s3, plan):
            check_existing(s3, plan)
            fmt.echo_info(f"State bucket s3://{bucket}: versioned, not public, owned by {account}.")
            return
        for line in plan.describe():
            fmt.echo_info(line)
        if not yes and not _asked(confirm, "Create the state bucket?"):
            raise exceptions.TutorError(
                f"State bucket s3://{bucket} not created (answer was no): nothing was changed. "
                "Create it yourself (docs/state-backend.md) or run `tutor eks infra init --yes`."
            )
        create(s3, plan)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise exceptions.TutorError(
            f"State bucket s3://{bucket}: {exc.operation_name} failed with "
            f"{error.get('Code')}: {error.get('Message')}. Check the AWS credentials and "
            "their S3 permissions, then run `tutor eks infra init` again."
        ) from None
    except BotoCoreError as exc:
        raise exceptions.TutorError(
            f"State bucket s3://{bucket}: cannot reach AWS ({exc}). Check the AWS "
            "credentials and network, then run `tutor eks infra init` again."
        ) from None


def _asked(confirm: t.Callable[[str], bool], question: str) -> bool:
    try:
        return confirm(question)
    except click.exceptions.Abort:  # no terminal input (EOF) or Ctrl-C: a no
        click.echo()
        return False


def _exists(s3: t.Any, plan: Plan) -> bool:
    from botocore.exceptions import ClientError

    try:
        s3.head_bucket(Bucket=plan.bucket, ExpectedBucketOwner=plan.account)
        return True
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code"))
        if code in ("404", "NoSuchBucket", "NotFound"):
            return False
        if code in ("403", "AccessDenied", "Forbidden"):
            raise exceptions.TutorError(
                f"EKS_STATE_BUCKET={plan.bucket!r} exists but is not a bucket of account "
                f"{plan.account} (or these credentials may not read it): refusing to keep "
                "the Terraform state there. Choose another bucket name (bucket names are "
                "global) with `tutor config save --set EKS_STATE_BUCKET=<name>`."
            ) from None
        raise


def problems(s3: t.Any, plan: Plan) -> list[str]:
    """Why an existing bucket may not hold the state; empty when it may."""
    from botocore.exceptions import ClientError

    found = []
    owner = {"ExpectedBucketOwner": plan.account}
    status = s3.get_bucket_versioning(Bucket=plan.bucket, **owner).get("Status")
    if status != "Enabled":
        found.append(
            f"versioning is {status or 'off'} (a corrupted state could not be rolled back): "
            f"enable it with `aws s3api put-bucket-versioning --bucket {plan.bucket} "
            "--versioning-configuration Status=Enabled`"
        )
    acl = s3.get_bucket_acl(Bucket=plan.bucket, **owner)
    public_grants = sorted(
        {
            f"{g['Permission']} to {g['Grantee']['URI'].rsplit('/', 1)[-1]}"
            for g in acl.get("Grants", [])
            if g.get("Grantee", {}).get("URI") in PUBLIC_GROUPS
        }
    )
    if public_grants:
        found.append(f"its ACL grants {', '.join(public_grants)} (public)")
    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=plan.bucket, **owner)["Policy"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchBucketPolicy":
            raise
        policy = {}
    public_sids = [
        str(s.get("Sid") or f"#{n}")
        for n, s in enumerate(_statements(policy))
        if s.get("Effect") == "Allow" and _everyone(s.get("Principal")) and not s.get("Condition")
    ]
    if public_sids:
        found.append(
            f"its bucket policy allows everyone (statement {', '.join(public_sids)}: public)"
        )
    return found


def check_existing(s3: t.Any, plan: Plan) -> None:
    found = problems(s3, plan)
    if found:
        raise exceptions.TutorError(
            f"Refusing EKS_STATE_BUCKET={plan.bucket!r} for the Terraform state: "
            + "; ".join(found)
            + ". Fix the bucket or choose another one, then run `tutor eks infra init` again."
        )


def _statements(policy: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    found = policy.get("Statement", [])
    return [found] if isinstance(found, dict) else list(found)


def _everyone(principal: t.Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        aws = principal.get("AWS")
        return aws == "*" or (isinstance(aws, list) and "*" in aws)
    return False


def create(s3: t.Any, plan: Plan) -> None:
    """Create the bucket, then lock it down: public access block first, so that it is
    never public, even for a moment."""
    args: dict[str, t.Any] = {"Bucket": plan.bucket, "ObjectOwnership": "BucketOwnerEnforced"}
    if plan.region != "us-east-1":
        args["CreateBucketConfiguration"] = {"LocationConstraint": plan.region}
    s3.create_bucket(**args)
    owner = {"Bucket": plan.bucket, "ExpectedBucketOwner": plan.account}
    s3.put_public_access_block(
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
        **owner,
    )
    s3.put_bucket_versioning(VersioningConfiguration={"Status": "Enabled"}, **owner)
    s3.put_bucket_encryption(
        ServerSideEncryptionConfiguration={"Rules": [plan.encryption]}, **owner
    )
    s3.put_bucket_policy(Policy=plan.policy, **owner)
    s3.put_bucket_lifecycle_configuration(LifecycleConfiguration=plan.lifecycle, **owner)
    s3.put_bucket_tagging(
        Tagging={"TagSet": [{"Key": "tutor-eks:purpose", "Value": "terraform-state"}]}, **owner
    )
    fmt.echo_info(f"State bucket s3://{plan.bucket} created.")


def destroy_note(config: dict[str, t.Any]) -> t.Optional[str]:
    """What destroy says about the state bucket it leaves in place."""
    if config.get("EKS_STATE_BACKEND", "s3") != "s3" or not config.get("EKS_STATE_BUCKET"):
        return None
    return (
        f"The state bucket s3://{config['EKS_STATE_BUCKET']} is left in place (tutor eks "
        "never deletes it: it keeps the state versions and may hold other instances' "
        "state). Empty and delete it yourself once nothing uses it."
    )
