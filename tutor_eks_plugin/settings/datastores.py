"""Data stores outside the cluster: the shared parts (CA bundle, "configured yet").

Each store has its own module (mysql, mongodb, redis, search, smtp); this one holds
what they share: where the CA bundle comes from and the rule that one is set when a
store verifies TLS against it, and the "is this store configured yet" test. It imports
the store modules, never the other way round. The characters a password may hold are
the Secret validator's (settings/validators.py); the template variables of the
datastores partials are in render/datastores.py.
"""

from __future__ import annotations

import re
import typing as t

from .. import cabundle
from . import Rule, Setting, mongodb, mysql, redis
from .validators import Pattern, k8s_name

# Tutor's in-cluster service names. With RUN_*=false they point nowhere: a store whose
# host still has this value has not been configured (no `tutor eks infra apply` yet),
# so the production checks that need a real endpoint (CA bundle) wait until it is set.
PLACEHOLDER_HOSTS = {"MYSQL_HOST": "mysql", "MONGODB_HOST": "mongodb", "REDIS_HOST": "redis"}

SETTINGS: list[Setting] = [
    Setting(
        "CA_BUNDLE_PATH",
        "",
        Pattern(
            re.compile(r"^(/|~/)[^\0\n]*$"),
            "an absolute path to a PEM file (the RDS global-bundle.pem) or ''",
            True,
        ),
        "PEM file with the CA certificates RDS and DocumentDB chain to, read when the env "
        "is rendered and shipped to every Open edX pod and job as the ConfigMap "
        "`eks-ca-bundle`.",
    ),
    Setting(
        "CA_BUNDLE_CONFIGMAP",
        "",
        k8s_name(allow_empty=True),
        "Instead of a file: an existing ConfigMap in the Open edX namespace whose key "
        "`ca-bundle.pem` holds the CA bundle.",
    ),
]


def configured(config: dict[str, t.Any], key: str) -> bool:
    """True once the store's host is set to a real endpoint."""
    return bool(config.get(key)) and config.get(key) != PLACEHOLDER_HOSTS[key]


def shown_host(value: t.Any) -> str:
    """A host as it may appear in a message: never one that carries credentials."""
    text = str(value)
    return "(a value with credentials, hidden)" if "@" in text else text


def stores_needing_bundle(config: dict[str, t.Any]) -> list[str]:
    """'KEY=host' of every configured store whose TLS is verified against the CA bundle."""
    found = []
    for key, uses_bundle in (
        ("MYSQL_HOST", mysql.uses_bundle(config)),
        ("MONGODB_HOST", mongodb.uses_bundle(config)),
        ("REDIS_HOST", redis.uses_bundle(config)),
    ):
        if uses_bundle and configured(config, key):
            found.append(f"{key}={shown_host(config[key])}")
    return found


def _ca_bundle_rule(config: dict[str, t.Any]) -> list[str]:
    if config.get("EKS_CA_BUNDLE_PATH") and config.get("EKS_CA_BUNDLE_CONFIGMAP"):
        return [
            "EKS_CA_BUNDLE_PATH and EKS_CA_BUNDLE_CONFIGMAP are both set: choose one "
            "(unset the other with `tutor config save --unset KEY`)."
        ]
    if config.get("EKS_CA_BUNDLE_PATH"):
        try:
            cabundle.read(config["EKS_CA_BUNDLE_PATH"])
        except cabundle.CaBundleError as exc:
            return [str(exc)]
        return []
    if config.get("EKS_CA_BUNDLE_CONFIGMAP"):
        return []
    needing = stores_needing_bundle(config)
    if not needing:
        return []
    return [
        f"TLS is verified against a CA bundle for {', '.join(needing)} but none is "
        "configured: download https://truststore.pki.rds.amazonaws.com/global/"
        "global-bundle.pem and set EKS_CA_BUNDLE_PATH=/absolute/path/global-bundle.pem "
        "(or EKS_CA_BUNDLE_CONFIGMAP=<existing ConfigMap>), or turn TLS off for that "
        "store (not for production)."
    ]


RULES: list[Rule] = [_ca_bundle_rule]
