"""Values and configs of the secrets tests (a plain module, not conftest.py: several test
folders have a conftest.py, and `from conftest import ...` picks whichever loaded first).
Test values only, never real secrets."""

from __future__ import annotations

import typing as t

from tutor import utils as tutor_utils

from tutor_eks_plugin.infra import contract
from tutor_eks_plugin.settings import secrets

MEILI_UID = "3a9f6a52-1d5e-4c7b-9a8e-0c1d2e3f4a5b"
# Test values (never real secrets), long and with URL-unsafe characters so that quoting
# and substring replacement are exercised.
VALUES = {
    "MYSQL_ROOT_PASSWORD": "root-Pw.8r7q2+x!9Zk",
    "OPENEDX_MYSQL_PASSWORD": "app-Pw.k2J9=mQ4@v",
    "MONGODB_PASSWORD": "docdb-Pw.Y7%u3:T1b",
    "REDIS_PASSWORD": "elasticache-Auth-Token/0123456789",
    "MEILISEARCH_MASTER_KEY": "meili-Master-Key-abcdef0123456789",
    "SMTP_PASSWORD": "ses-Smtp-Pw-0123456789",
}
STORES = {
    "MYSQL_HOST": "openedx.abc.eu-west-1.rds.amazonaws.com",
    "MYSQL_ROOT_USERNAME": "admin",
    "MONGODB_HOST": "docdb.cluster-abc.eu-west-1.docdb.amazonaws.com",
    "MONGODB_USERNAME": "docdbadmin",
    "REDIS_HOST": "master.openedx.abc.euw1.cache.amazonaws.com",
    "REDIS_USERNAME": "default",
    "MEILISEARCH_URL": "http://10.0.3.12:7700",
    "MEILISEARCH_API_KEY_UID": MEILI_UID,
    "EKS_CA_BUNDLE_CONFIGMAP": "rds-ca-bundle",
    "SMTP_HOST": "email-smtp.eu-west-1.amazonaws.com",
    "SMTP_PORT": 587,
    "SMTP_USE_TLS": True,
    "SMTP_USERNAME": "AKIAEXAMPLEEXAMPLE",
    "EKS_AWS_REGION": "eu-west-1",
}
PLUGINS = ("eks", "mfe", "forum")
# The keys `tutor eks infra apply` moves on its own (a stage-1 secret behind each), and
# the JSON property it writes for each; the others (SMTP_PASSWORD) are moved by hand.
DRIVER_MOVES = {e.key: e.secret_property for e in contract.ENTRIES if e.secret}


def arn(key: str) -> str:
    return f"arn:aws:secretsmanager:eu-west-1:123456789012:secret:openedx/{key.lower()}-AbCdEf"


def inline_settings() -> dict[str, t.Any]:
    return {
        **STORES,
        **VALUES,
        "EKS_SECRETS_SOURCE": "config",
        "MEILISEARCH_API_KEY": tutor_utils.uid_master_hash(
            VALUES["MEILISEARCH_MASTER_KEY"], MEILI_UID
        ),
    }


def referenced_settings(keys: t.Iterable[str] = tuple(VALUES)) -> dict[str, t.Any]:
    """Every movable key by reference (what the driver writes, plus the hand-added ones);
    the keys left out keep their inline value."""
    keys = list(keys)
    settings = inline_settings()
    settings["EKS_SECRETS_SOURCE"] = "secretsmanager"
    settings["EKS_SECRETS_REFERENCES"] = {
        key: {"secret": arn(key), "property": DRIVER_MOVES.get(key, "")}
        for key in keys
    }
    for key in keys:
        settings[key] = secrets.BY_KEY[key].placeholder
    if "MEILISEARCH_MASTER_KEY" in keys:
        settings["MEILISEARCH_API_KEY"] = secrets.MEILISEARCH_API_KEY_PLACEHOLDER
    return settings


def pod_environment(keys: t.Iterable[str] = tuple(VALUES)) -> dict[str, str]:
    """What the Kubernetes Secret puts in a pod's environment."""
    return {secrets.BY_KEY[key].env: VALUES[key] for key in keys}
