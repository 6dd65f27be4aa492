"""One real render per mode (tutor 22 + kubectl kustomize), shared by the network tests."""

from __future__ import annotations

import pytest
from tutor_cli import Rendered, render

PLUGINS = ("eks", "mfe", "forum", "notes", "credentials", "discovery")
# Data stores on AWS (RDS, ElastiCache, DocumentDB, Meilisearch on EC2), as `infra
# apply` writes them; discovery searches Amazon OpenSearch instead of an in-cluster
# Elasticsearch.
AWS = {
    "MYSQL_HOST": "openedx.abc.eu-west-1.rds.amazonaws.com",
    "REDIS_HOST": "master.openedx.abc.euw1.cache.amazonaws.com",
    "REDIS_PORT": 6379,
    "MONGODB_HOST": "docdb.cluster-abc.eu-west-1.docdb.amazonaws.com",
    "MONGODB_USERNAME": "openedx",
    "MONGODB_PASSWORD": "mongo-password-1",
    "MEILISEARCH_URL": "http://10.0.3.12:7700",
    "EKS_CA_BUNDLE_CONFIGMAP": "rds-ca-bundle",
    "DISCOVERY_RUN_ELASTICSEARCH": False,
    "SMTP_HOST": "email-smtp.eu-west-1.amazonaws.com",
    "SMTP_PORT": 587,
    "SMTP_USE_TLS": True,
    "SMTP_USERNAME": "AKIAEXAMPLEEXAMPLE",
    "SMTP_PASSWORD": "ses-smtp-password",
}
S3 = {
    "EKS_MEDIA_BACKEND": "s3",
    "EKS_MEDIA_IAM": "pod-identity",
    "EKS_S3_MEDIA_BUCKET": "openedx-media-example",
    "EKS_INGRESS_CONTROLLER": "community-nginx",
}


@pytest.fixture(scope="session")
def on(tmp_path_factory: pytest.TempPathFactory, kubectl_bin: str) -> Rendered:
    """Policies on (the default), F5 controller, media on EFS."""
    return render(tmp_path_factory.mktemp("net-on"), kubectl_bin, PLUGINS, AWS)


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory, kubectl_bin: str) -> Rendered:
    """Policies on, community controller, media on S3 through Pod Identity."""
    return render(tmp_path_factory.mktemp("net-s3"), kubectl_bin, PLUGINS, {**AWS, **S3})


@pytest.fixture(scope="session")
def off(tmp_path_factory: pytest.TempPathFactory, kubectl_bin: str) -> Rendered:
    return render(tmp_path_factory.mktemp("net-off"), kubectl_bin, PLUGINS,
                  {**AWS, "EKS_NETWORK_POLICIES": False})
