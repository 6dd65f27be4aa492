"""Configs for the cost and diagram tests (tests/cost, tests/diagram): Tutor's and the plugin's defaults (in-process),
the profile, and the option mixes the issue names. Each mix is a valid config: the
plugin's own validation finds no problem in it."""

from __future__ import annotations

import typing as t

from tutor_eks_plugin import config as eks_config
from tutor_eks_plugin.diagram import config as diagram_config

BYO_S3_OPENSEARCH = {
    "EKS_MONGODB_MODE": "byo",
    "MONGODB_HOST": "mongo.example.net",
    "EKS_OPENSEARCH_LMS_SEARCH": True,
    "EKS_OPENSEARCH_ENDPOINT": "vpc-openedx.us-east-1.es.amazonaws.com",
    "EKS_OPENSEARCH_USERNAME": "openedx",
    "EKS_OPENSEARCH_PASSWORD": "OpenSearch-Pass-1",
    "EKS_MEDIA_BACKEND": "s3",
    "EKS_S3_MEDIA_BUCKET": "openedx-media",
}
PLUGIN_HOST_SES = {
    "EKS_INGRESS_EXTRA_ROUTES": [
        {"host": "notes.learn.example.com", "service": "notes", "port": 8000}
    ],
    "SMTP_HOST": "email-smtp.us-east-1.amazonaws.com",
    "SMTP_PORT": 587,
    "SMTP_USE_TLS": True,
    "SMTP_USERNAME": "AKIAEXAMPLE",
    "SMTP_PASSWORD": "ses-smtp-pass",
}


def make_config(profile: str, **overrides: t.Any) -> dict[str, t.Any]:
    cfg = diagram_config.canonical(profile, **overrides)
    assert eks_config.problems(cfg) == [], "the test mix must be a valid config"
    return cfg

