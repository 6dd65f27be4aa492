"""Stage-1 outputs -> Tutor keys: the table of docs/outputs-contract.md, in code.

An output that is null (a store the profile or the user turned off), or absent from
the stack, leaves its Tutor keys untouched. Secrets never travel as outputs: the
stack publishes a Secrets Manager ARN and the value is fetched here, or, with
EKS_SECRETS_SOURCE=secretsmanager, written as a reference (ARN + ``Entry.secret_property``)
by infra/secret_refs.py and read in the cluster by the External Secrets Operator.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from tutor import exceptions

from .secrets import SecretReader

# How an output becomes a Tutor value.
PLAIN = "plain"  # the value as it is
PORT = "port"  # a number, written as an int
FETCHED_JSON = "fetched-json"  # Secrets Manager JSON document, key "password"
FETCHED_STRING = "fetched-string"  # Secrets Manager string: the value itself


@dataclass(frozen=True)
class Entry:
    output: str
    key: str
    kind: str = PLAIN

    @property
    def secret(self) -> bool:
        return self.kind in (FETCHED_JSON, FETCHED_STRING)

    @property
    def secret_property(self) -> str:
        """The JSON key of the Secrets Manager document that holds the value ('' for a
        plain string): what an ExternalSecret's remoteRef.property names."""
        return "password" if self.kind == FETCHED_JSON else ""


ENTRIES: tuple[Entry, ...] = (
    Entry("region", "EKS_AWS_REGION"),
    Entry("cluster_name", "EKS_CLUSTER_NAME"),
    Entry("mysql_host", "MYSQL_HOST"),
    Entry("mysql_port", "MYSQL_PORT", PORT),
    Entry("mysql_admin_username", "MYSQL_ROOT_USERNAME"),
    Entry("mysql_admin_secret_arn", "MYSQL_ROOT_PASSWORD", FETCHED_JSON),
    Entry("mysql_app_secret_arn", "OPENEDX_MYSQL_PASSWORD", FETCHED_STRING),
    Entry("mongodb_host", "MONGODB_HOST"),
    Entry("mongodb_port", "MONGODB_PORT", PORT),
    Entry("mongodb_admin_username", "MONGODB_USERNAME"),
    Entry("mongodb_admin_secret_arn", "MONGODB_PASSWORD", FETCHED_JSON),
    Entry("redis_host", "REDIS_HOST"),
    Entry("redis_port", "REDIS_PORT", PORT),
    Entry("redis_auth_secret_arn", "REDIS_PASSWORD", FETCHED_STRING),
    Entry("meilisearch_url", "MEILISEARCH_URL"),
    Entry("meilisearch_master_key_secret_arn", "MEILISEARCH_MASTER_KEY", FETCHED_STRING),
    Entry("opensearch_endpoint", "EKS_OPENSEARCH_ENDPOINT"),
    Entry("efs_file_system_id", "EKS_EFS_FILE_SYSTEM_ID"),
    Entry("efs_access_point_id", "EKS_EFS_ACCESS_POINT_ID"),
    Entry("media_bucket_name", "EKS_S3_MEDIA_BUCKET"),
    Entry("media_role_arn", "EKS_MEDIA_ROLE_ARN"),
    Entry("cloudfront_domain_name", "EKS_CLOUDFRONT_DOMAIN"),
    Entry("alerts_topic_arn", "EKS_ALERTS_TOPIC_ARN"),
)
# Stage-1 outputs the plugin reads besides ENTRIES, and what for (docs/outputs-contract.md
# is generated from this and ENTRIES; tests/driver/test_contract_drift.py finds every
# output the code reads and fails on one missing here).
OTHER_READS: dict[str, str] = {
    "name": "checked against `EKS_NAME`: the state belongs to this instance",
    "region": "the region the secrets are fetched from",
    "profile": "read by `destroy`: `production` refuses without `--force-protected`",
    "cloudfront_domain_name": "the DNS records `infra apply` prints",
    "cluster_name": "the `aws eks update-kubeconfig` hint of `tutor eks up`",
}
# ElastiCache's AUTH token belongs to the "default" user: Tutor drops a Redis
# password from its URLs unless a username is set too.
REDIS_AUTH_USERNAME = "default"
SECRET_KEYS = frozenset(e.key for e in ENTRIES if e.secret)


@dataclass
class Mapped:
    values: dict[str, t.Any]
    missing: list[str]  # contract outputs the stack does not declare


def origins(outputs: dict[str, dict[str, t.Any]]) -> dict[str, str]:
    """Where each Tutor key of the contract comes from, for messages about its value."""
    found: dict[str, str] = {}
    for entry in ENTRIES:
        value = (outputs.get(entry.output) or {}).get("value")
        if value is None:
            continue
        if entry.secret:
            found[entry.key] = (
                f"{entry.key} comes from the Secrets Manager secret {value} (stage-1 output "
                f"{entry.output}): change that secret's value in Secrets Manager (or rotate "
                "it) to one that meets this rule, then run `tutor eks infra output`. "
                "`tutor config save --set` cannot fix it: the next sync fetches the secret "
                "again."
            )
        else:
            found[entry.key] = (
                f"{entry.key} comes from the stage-1 output {entry.output}: correct the "
                "stack or its inputs and run `tutor eks infra apply --stage aws`."
            )
    return found


def check_name(outputs: dict[str, dict[str, t.Any]], config: dict[str, t.Any]) -> None:
    name = (outputs.get("name") or {}).get("value")
    if name is not None and name != config.get("EKS_NAME"):
        raise exceptions.TutorError(
            f"The stage-1 state belongs to instance {name!r}, but EKS_NAME is "
            f"{config.get('EKS_NAME')!r}: check EKS_STATE_BUCKET/EKS_STATE_KEY (or "
            "EKS_NAME) before going further. The Tutor config was not changed."
        )


def to_tutor(
    outputs: dict[str, dict[str, t.Any]],
    declared: t.Collection[str],
    reader: SecretReader,
    fetch_secrets: bool = True,
) -> Mapped:
    """The Tutor keys the stage-1 outputs set (secrets fetched, never printed).

    ``terraform output -json`` leaves out outputs whose value is null, so the stack's
    declared outputs tell "null" (skipped quietly) from "not declared" (reported).
    With ``fetch_secrets=False`` the secret entries are left out: infra/secret_refs.py
    writes references for them instead (EKS_SECRETS_SOURCE=secretsmanager).
    """
    values: dict[str, t.Any] = {}
    missing: list[str] = []
    for entry in ENTRIES:
        if entry.output not in outputs:
            if entry.output not in declared:
                missing.append(entry.output)
            continue
        value = outputs[entry.output].get("value")
        if value is None or (entry.secret and not fetch_secrets):
            continue
        purpose = f"{entry.key} (output {entry.output})"
        if entry.kind == PORT:
            values[entry.key] = _port(value, purpose)
        elif entry.kind == FETCHED_JSON:
            values[entry.key] = reader.json_key(str(value), "password", purpose)
        elif entry.kind == FETCHED_STRING:
            values[entry.key] = reader.string(str(value), purpose)
        else:
            values[entry.key] = value
    if "REDIS_PASSWORD" in values or (
        not fetch_secrets and (outputs.get("redis_auth_secret_arn") or {}).get("value")
    ):
        values["REDIS_USERNAME"] = REDIS_AUTH_USERNAME
    return Mapped(values, missing)


def _port(value: t.Any, purpose: str) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = -1
    if not 0 < port < 65536 or (isinstance(value, float) and value != port):
        raise exceptions.TutorError(f"{purpose} is {value!r}, not a TCP port.")
    return port
