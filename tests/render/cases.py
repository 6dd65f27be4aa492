"""The render cases every gate (strict schemas, checkov, `tutor eks check` policies) runs on.

Each concern adds its own cases here, so the gates cover every mode.
"""

from __future__ import annotations

import typing as t

# Data stores wired for AWS (RDS, DocumentDB, ElastiCache, Meilisearch on EC2,
# OpenSearch, SES) and for bring-your-own servers with the community controller.
DOCDB = "docdb.cluster-abc.eu-west-1.docdb.amazonaws.com"
AWS = {
    "MYSQL_HOST": "openedx.abc.eu-west-1.rds.amazonaws.com",
    "MONGODB_HOST": DOCDB,
    "MONGODB_USERNAME": "openedx",
    "MONGODB_PASSWORD": "mongo-password-1",
    "REDIS_HOST": "master.openedx.abc.euw1.cache.amazonaws.com",
    "REDIS_USERNAME": "default",
    "REDIS_PASSWORD": "elasticache-auth-token-123",
    "MEILISEARCH_URL": "http://10.0.3.12:7700",
    "EKS_CA_BUNDLE_CONFIGMAP": "rds-ca-bundle",
    "SMTP_HOST": "email-smtp.eu-west-1.amazonaws.com",
    "SMTP_PORT": 587,
    "SMTP_USE_TLS": True,
    "SMTP_USERNAME": "AKIAEXAMPLEEXAMPLE",
    "SMTP_PASSWORD": "ses-smtp-password",
    "EKS_OPENSEARCH_ENDPOINT": "search-openedx-abc.eu-west-1.es.amazonaws.com",
    "EKS_OPENSEARCH_LMS_SEARCH": True,
    "EKS_OPENSEARCH_FORUM_SEARCH": True,
    "EKS_OPENSEARCH_USERNAME": "openedx",
    "EKS_OPENSEARCH_PASSWORD": "opensearch-password-1",
}
BYO = {
    "EKS_MONGODB_MODE": "byo",
    "MONGODB_HOST": "mongodb+srv://cluster0.example.net",
    "REDIS_HOST": "redis.internal.example.com",
    "EKS_REDIS_TLS": False,
    "MYSQL_HOST": "mysql.internal.example.com",
    "EKS_MYSQL_TLS": False,
    "MEILISEARCH_URL": "http://search.internal.example.com:7700",
    "EKS_INGRESS_CONTROLLER": "community-nginx",
}
DATASTORE_CASES: dict[str, tuple[tuple[str, ...], dict[str, t.Any]]] = {
    "datastores-aws": (("eks", "mfe", "forum"), AWS),
    "datastores-byo-community": (("eks", "mfe"), BYO),
}


# name -> (plugins, settings)
CASES: dict[str, tuple[tuple[str, ...], dict[str, t.Any]]] = {
    "default": (("eks", "mfe"), {}),
    "no-mfe": (("eks",), {}),
    "community-tls": (
        ("eks", "mfe"),
        {"EKS_INGRESS_CONTROLLER": "community-nginx", "EKS_INGRESS_TLS_SECRET_NAME": "openedx-tls"},
    ),
    "plugins": (("eks", "mfe", "forum", "notes", "credentials"), {}),
    # Same plugins and settings as tests/render/test_workloads_render.py: the render
    # cache is shared.
    "media-s3": (
        ("eks", "mfe"),
        {
            "EKS_MEDIA_BACKEND": "s3",
            "EKS_MEDIA_IAM": "irsa",
            "EKS_S3_MEDIA_BUCKET": "openedx-media-example",
            "EKS_MEDIA_ROLE_ARN": "arn:aws:iam::123456789012:role/openedx-media",
            "EKS_ZONE_SPREAD": "DoNotSchedule",
        },
    ),
    "k8s-pair": (("eks", "mfe", "k8s"), {}),
    **DATASTORE_CASES,
}

# Workloads left out of the checkov gates: none. The eks plugin shapes every plugin's
# Deployments and Jobs (resources, probes, HPA, PDB, spread, security context:
# docs/workloads.md, "Other plugins"), so checkov gates them like the core ones.
OTHER_PLUGINS_WORKLOADS: set[str] = set()
