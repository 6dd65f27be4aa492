"""Where Open edX keeps uploaded files: an EFS (ReadWriteMany) volume or an S3 bucket.

The bucket name, the region and the IAM role come from settings/infra.py
(EKS_S3_MEDIA_BUCKET, EKS_AWS_REGION, EKS_MEDIA_ROLE_ARN), written by
`tutor eks infra apply`.
"""

from __future__ import annotations

import re
import typing as t

from . import Rule, Setting
from .validators import Choice, Integer, Pattern, host, k8s_name

EFS = "efs"
S3 = "s3"
POD_IDENTITY = "pod-identity"
IRSA = "irsa"

SIZE_RE = re.compile(r"^[1-9][0-9]*(Mi|Gi|Ti)$")
# A SigV4 presigned URL is valid at most 7 days (S3 refuses a longer X-Amz-Expires).
MAX_URL_EXPIRY = 7 * 24 * 3600

SETTINGS: list[Setting] = [
    Setting(
        "MEDIA_BACKEND",
        EFS,
        Choice([EFS, S3]),
        "Uploaded files (course assets, profile images, ORA2 submissions, grade "
        "reports): a shared EFS volume mounted in every Open edX pod (efs), or the S3 "
        "bucket EKS_S3_MEDIA_BUCKET through the pods' IAM role (s3).",
    ),
    Setting(
        "MEDIA_STORAGE_CLASS",
        "efs-sc",
        k8s_name(),
        "StorageClass of the ReadWriteMany media volume (efs mode); the cluster stage "
        "creates `efs-sc`.",
    ),
    Setting(
        "MEDIA_VOLUME_SIZE",
        "100Gi",
        Pattern(SIZE_RE, "a size in Mi, Gi or Ti such as '100Gi'"),
        "Requested size of the media volume. EFS is elastic and ignores it; Kubernetes "
        "requires one.",
    ),
    Setting(
        "MEDIA_IAM",
        POD_IDENTITY,
        Choice([POD_IDENTITY, IRSA]),
        "How pods get the S3 media role (s3 mode): an EKS Pod Identity association "
        "made by `tutor eks infra apply` (pod-identity), or the IRSA annotation "
        "`eks.amazonaws.com/role-arn` on the service account (irsa).",
    ),
    Setting(
        "MEDIA_DOMAIN",
        "",
        host(allow_empty=True),
        "s3 mode: host name that serves PUBLIC media (the default file storage, profile "
        "images, video thumbnails and transcripts) without a signature, e.g. a CloudFront "
        "distribution with origin access control on the media bucket. '' = every media URL "
        "is a signed URL on the bucket's own S3 endpoint. Private media (grade reports, "
        "ORA2 submissions, content library files) always use signed bucket URLs.",
    ),
    Setting(
        "MEDIA_URL_EXPIRY",
        3600,
        Integer(60, MAX_URL_EXPIRY),
        "s3 mode: lifetime in seconds of the signed media URLs django-storages builds "
        "(edx-platform's own default is 10 years; S3 caps SigV4 URLs at 7 days).",
    ),
    Setting(
        "OPENEDX_SERVICE_ACCOUNT",
        "openedx",
        k8s_name(),
        "Service account of the Open edX pods in s3 mode; the Pod Identity association "
        "of the media role names it.",
    ),
]


def _static_keys_rule(config: dict[str, t.Any]) -> list[str]:
    if config.get("EKS_MEDIA_BACKEND") != S3:
        return []
    if config.get("OPENEDX_AWS_ACCESS_KEY") or config.get("OPENEDX_AWS_SECRET_ACCESS_KEY"):
        return [
            "EKS_MEDIA_BACKEND='s3' takes its credentials from the pods' IAM role: unset "
            "OPENEDX_AWS_ACCESS_KEY and OPENEDX_AWS_SECRET_ACCESS_KEY (static keys)."
        ]
    return []


def _irsa_rule(config: dict[str, t.Any]) -> list[str]:
    if (
        config.get("EKS_MEDIA_BACKEND") == S3
        and config.get("EKS_MEDIA_IAM") == IRSA
        and not config.get("EKS_MEDIA_ROLE_ARN")
    ):
        return [
            "EKS_MEDIA_IAM='irsa' needs EKS_MEDIA_ROLE_ARN (written by `tutor eks infra "
            "apply`, or set it to the ARN of a role that trusts the cluster's OIDC provider)."
        ]
    return []


RULES: list[Rule] = [_static_keys_rule, _irsa_rule]


def storage_options(config: dict[str, t.Any]) -> dict[str, dict[str, t.Any]]:
    """S3Boto3Storage keyword options of the public and the private media storages.

    edx-platform's production settings point AWS_S3_CUSTOM_DOMAIN at edx.org's own
    bucket host, where django-storages builds unsigned URLs, and sign for 10 years: each
    storage gets its domain, signing and expiry here explicitly, so no global decides
    whether private media leaks.
    """
    expiry = int(config["EKS_MEDIA_URL_EXPIRY"])
    private = {"custom_domain": None, "querystring_auth": True, "querystring_expire": expiry}
    domain = config.get("EKS_MEDIA_DOMAIN")
    public = {"custom_domain": domain, "querystring_auth": False} if domain else dict(private)
    return {"public": public, "private": private}

