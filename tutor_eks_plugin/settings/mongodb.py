"""MongoDB: Amazon DocumentDB (default) or your own MongoDB (Atlas, EC2).

Tutor has no key for a CA file or `retryWrites`, and edx-platform copies the Mongo
settings into the modulestore at import time, so the options computed here are applied
by the settings partial to every Mongo client configuration (see docs/data-stores.md).
"""

from __future__ import annotations

import re
import typing as t

from .. import cabundle
from . import Rule, Setting
from .validators import Boolean, Choice, Integer, Pattern, Secret, Validator

DOCUMENTDB = "documentdb"
BYO = "byo"
READ_PREFERENCES = ("primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest")
# DocumentDB's replica set is always called rs0.
DOCUMENTDB_REPLICA_SET = "rs0"

_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = rf"{_LABEL}(\.{_LABEL})*"
_HOSTPORT = rf"{_HOSTNAME}(:[0-9]{{1,5}})?"
SINGLE_HOST_RE = re.compile(rf"^{_HOSTNAME}$")
HOST_LIST_RE = re.compile(rf"^{_HOSTPORT}(,{_HOSTPORT})*$")
SRV_RE = re.compile(rf"^mongodb\+srv://{_HOSTNAME}/?$")


class AutoOrBool(Validator):
    allowed = "'auto', true or false"

    def ok(self, value: t.Any) -> bool:
        return value == "auto" or isinstance(value, bool)


SETTINGS: list[Setting] = [
    Setting(
        "MONGODB_MODE",
        DOCUMENTDB,
        Choice([DOCUMENTDB, BYO]),
        "'documentdb': Amazon DocumentDB (TLS with the CA bundle, replicaSet rs0, no "
        "retryable writes); 'byo': your own MongoDB (Atlas, EC2) given by MONGODB_HOST as "
        "a host, a host list 'h1:27017,h2:27017' or 'mongodb+srv://cluster.example.net'.",
    ),
    Setting(
        "MONGODB_TLS",
        True,
        Boolean(),
        "Connect to MongoDB over TLS (replaces Tutor's MONGODB_USE_SSL while the plugin "
        "is enabled; mongodb+srv:// always uses TLS).",
    ),
    Setting(
        "MONGODB_TLS_CA",
        "auto",
        Choice(["auto", "bundle", "system"]),
        "Which CAs verify the server: 'bundle' (EKS_CA_BUNDLE_*: DocumentDB), 'system' "
        "(the image's public CAs: Atlas), 'auto' = bundle for documentdb, system for byo.",
    ),
    Setting(
        "MONGODB_RETRY_WRITES",
        "auto",
        AutoOrBool(),
        "pymongo retryWrites: 'auto' = false for DocumentDB (retryable writes exist only "
        "from DocumentDB 8.0.2), true for your own MongoDB.",
    ),
    Setting(
        "MONGODB_READ_PREFERENCE",
        "primary",
        Choice(list(READ_PREFERENCES)),
        "Read preference of every Mongo client. 'primary' keeps Studio's read-after-write "
        "consistent; 'secondaryPreferred' spreads reads over DocumentDB replicas.",
    ),
]

TUTOR_KEYS: dict[str, Validator] = {
    "MONGODB_PORT": Integer(1, 65535),
    "MONGODB_DATABASE": Pattern(
        re.compile(r"^[A-Za-z0-9_-]{1,63}$"), "1-63 letters, digits, '_' or '-'"
    ),
    "MONGODB_USERNAME": Pattern(
        re.compile(r"^[A-Za-z0-9_.@-]{0,128}$"), "letters, digits, '_', '.', '@', '-' or ''", True
    ),
    "MONGODB_PASSWORD": Secret(),
    "MONGODB_REPLICA_SET": Pattern(
        re.compile(r"^[A-Za-z0-9_.-]{1,64}$"), "a replica set name or ''", True
    ),
    "MONGODB_AUTH_SOURCE": Pattern(
        re.compile(r"^[A-Za-z0-9_$-]{1,64}$"), "a database name or ''", True
    ),
    "MONGODB_AUTH_MECHANISM": Choice(
        ["", "SCRAM-SHA-1", "SCRAM-SHA-256", "MONGODB-AWS", "MONGODB-X509"]
    ),
}


def _mode(config: dict[str, t.Any]) -> str:
    return str(config.get("EKS_MONGODB_MODE", DOCUMENTDB))


def tls_ca(config: dict[str, t.Any]) -> str:
    """'bundle' or 'system'."""
    choice = config.get("EKS_MONGODB_TLS_CA", "auto")
    if choice == "auto":
        return "bundle" if _mode(config) == DOCUMENTDB else "system"
    return str(choice)


def uses_bundle(config: dict[str, t.Any]) -> bool:
    return bool(config.get("EKS_MONGODB_TLS")) and tls_ca(config) == "bundle"


def is_srv(config: dict[str, t.Any]) -> bool:
    return str(config.get("MONGODB_HOST", "")).startswith("mongodb+srv://")


def client_options(config: dict[str, t.Any]) -> dict[str, t.Any]:
    """pymongo MongoClient keyword options added to every Mongo client configuration.

    Tutor's `"ssl"` key is removed by the partial: pymongo refuses `ssl` and `tls` with
    different values, and `tls` is the documented name.
    """
    documentdb = _mode(config) == DOCUMENTDB
    options: dict[str, t.Any] = {"tls": bool(config["EKS_MONGODB_TLS"]) or is_srv(config)}
    if options["tls"] and tls_ca(config) == "bundle":
        options["tlsCAFile"] = cabundle.MOUNT_PATH
    retry = config["EKS_MONGODB_RETRY_WRITES"]
    options["retryWrites"] = (not documentdb) if retry == "auto" else bool(retry)
    if documentdb:
        options["replicaSet"] = config.get("MONGODB_REPLICA_SET") or DOCUMENTDB_REPLICA_SET
    elif config.get("MONGODB_REPLICA_SET"):
        options["replicaSet"] = config["MONGODB_REPLICA_SET"]
    options["readPreference"] = config["EKS_MONGODB_READ_PREFERENCE"]
    return options


def _host_rule(config: dict[str, t.Any]) -> list[str]:
    value = config.get("MONGODB_HOST")
    if not isinstance(value, str):
        return [f"MONGODB_HOST={value!r} is not valid: expected a host name."]
    if "@" in value:
        # Never echo a value that may carry a password.
        return [
            "MONGODB_HOST contains '@': put the user and password in MONGODB_USERNAME and "
            "MONGODB_PASSWORD, not in the host."
        ]
    if _mode(config) == DOCUMENTDB:
        if not SINGLE_HOST_RE.match(value):
            return [
                f"MONGODB_HOST={value!r} is not valid for EKS_MONGODB_MODE=documentdb: expected "
                "the cluster endpoint host name (e.g. 'openedx.cluster-abc.eu-west-1."
                "docdb.amazonaws.com'), without port or scheme (MONGODB_PORT holds the port)."
            ]
    elif not (HOST_LIST_RE.match(value) or SRV_RE.match(value)):
        return [
            f"MONGODB_HOST={value!r} is not valid for EKS_MONGODB_MODE=byo: expected a host, "
            "a list 'h1:27017,h2:27017' or 'mongodb+srv://cluster.example.net' (no "
            "credentials, no options)."
        ]
    return []


def _mode_rule(config: dict[str, t.Any]) -> list[str]:
    found = []
    documentdb = _mode(config) == DOCUMENTDB
    replica_set = config.get("MONGODB_REPLICA_SET")
    if documentdb and replica_set not in ("", None, DOCUMENTDB_REPLICA_SET):
        found.append(
            f"MONGODB_REPLICA_SET={replica_set!r} is not valid with EKS_MONGODB_MODE=documentdb: "
            "DocumentDB's replica set is always 'rs0' (or leave it empty)."
        )
    if is_srv(config) and config.get("EKS_MONGODB_TLS") is False:
        found.append(
            "EKS_MONGODB_TLS=false with a mongodb+srv:// MONGODB_HOST: SRV connections always "
            "use TLS; set EKS_MONGODB_TLS=true."
        )
    if is_srv(config) and documentdb:
        found.append("mongodb+srv:// hosts need EKS_MONGODB_MODE=byo (DocumentDB has no SRV).")
    return found


RULES: list[Rule] = [_host_rule, _mode_rule]
