"""What `tutor eks infra apply|output` writes to config.yml for the stage-1 secrets.

EKS_SECRETS_SOURCE=secretsmanager (what the first sync chooses when config.yml does not
name a source): references only, never a value. Each secret of the outputs contract
(infra/contract.py, ``Entry.secret``) becomes an entry of EKS_SECRETS_REFERENCES (its
ARN and JSON property) and its Tutor key the placeholder that the pods' environment
fills in (settings/secrets.py). No call to Secrets Manager is made: the External
Secrets Operator reads the values inside the cluster.

EKS_SECRETS_SOURCE=config: the values themselves, fetched by contract.to_tutor (plain
Tutor's behaviour), and the Meilisearch API key derived from the fetched master key.
"""

from __future__ import annotations

import typing as t

from tutor import utils as tutor_utils

from ..settings import secrets
from . import contract


def source(user_config: dict[str, t.Any]) -> str:
    """The source this sync writes for: config.yml's choice, else Secrets Manager (the
    outputs exist, so stage 2's External Secrets Operator does too)."""
    return str(user_config.get("EKS_SECRETS_SOURCE") or secrets.SECRETSMANAGER)


def references(
    outputs: dict[str, dict[str, t.Any]], user_config: dict[str, t.Any]
) -> dict[str, t.Any]:
    """Tutor keys for EKS_SECRETS_SOURCE=secretsmanager: placeholders and references."""
    refs: dict[str, dict[str, str]] = dict(user_config.get("EKS_SECRETS_REFERENCES") or {})
    for entry in contract.ENTRIES:
        if not entry.secret or entry.key not in secrets.BY_KEY:
            continue
        secret_id = (outputs.get(entry.output) or {}).get("value")
        if secret_id is None:
            continue
        refs[entry.key] = {"secret": str(secret_id), "property": entry.secret_property}
    values: dict[str, t.Any] = {
        "EKS_SECRETS_SOURCE": secrets.SECRETSMANAGER,
        "EKS_SECRETS_REFERENCES": refs,
    }
    # Keys referenced by hand (SMTP_PASSWORD, ...) get their placeholder too, so a value
    # left in config.yml from before the switch is removed by the same sync.
    for key in refs:
        values[key] = secrets.BY_KEY[key].placeholder
    if "MEILISEARCH_MASTER_KEY" in refs:
        values["MEILISEARCH_API_KEY"] = secrets.MEILISEARCH_API_KEY_PLACEHOLDER
    return values


def fetched_extras(
    fetched: dict[str, t.Any], user_config: dict[str, t.Any]
) -> dict[str, t.Any]:
    """Tutor keys for EKS_SECRETS_SOURCE=config, besides the fetched values: references
    of the fetched keys dropped, the API key derived from the fetched master key."""
    values: dict[str, t.Any] = {"EKS_SECRETS_SOURCE": secrets.CONFIG}
    refs = dict(user_config.get("EKS_SECRETS_REFERENCES") or {})
    kept = {k: v for k, v in refs.items() if k not in fetched}
    if kept != refs:
        values["EKS_SECRETS_REFERENCES"] = kept
    master = fetched.get("MEILISEARCH_MASTER_KEY")
    uid = user_config.get("MEILISEARCH_API_KEY_UID")
    if master and uid:
        # Tutor computes the key once, from the random master key of the first `config
        # save`; the key Meilisearch accepts follows the master key the stack made.
        values["MEILISEARCH_API_KEY"] = tutor_utils.uid_master_hash(master, uid)
    return values


def unmoved_notice(
    values: dict[str, t.Any], user_config: dict[str, t.Any]
) -> str | None:  # pragma: no mutate (an annotation: never evaluated, see __future__)
    """With the Secrets Manager source: the movable keys config.yml still holds a value
    for (no secret of the stack backs them: SMTP_PASSWORD when the user set one)."""
    merged = {**user_config, **values}
    refs = merged.get("EKS_SECRETS_REFERENCES") or {}
    left = [
        m.key
        for m in secrets.MOVABLE
        if m.key not in refs
        and isinstance(merged.get(m.key), str)
        and merged[m.key]
        and not secrets.PLACEHOLDER_RE.match(merged[m.key])
    ]
    if not left:
        return None
    return (
        f"Still in config.yml, no Secrets Manager secret behind them: {', '.join(left)}. "
        "`tutor eks check` fails while they are rendered; move them as docs/secrets.md "
        "says ('Moving a value by hand')."
    )


def app_password_notice(
    values: dict[str, t.Any], user_config: dict[str, t.Any]
) -> str | None:  # pragma: no mutate (an annotation: never evaluated, see __future__)
    """The Open edX MySQL user's password changed source (Tutor's generated value -> the
    stack's secret, or another secret): the database user still has the old one until
    Tutor's mysql init job sets it (ALTER USER), so say what to run, and in which order."""
    key = "OPENEDX_MYSQL_PASSWORD"
    if key not in values:
        return None
    before_ref = (user_config.get("EKS_SECRETS_REFERENCES") or {}).get(key)
    after_ref = (values.get("EKS_SECRETS_REFERENCES") or {}).get(key)
    if values[key] == user_config.get(key) and after_ref == before_ref:
        return None
    return (
        f"{key} now comes from the stage-1 secret (output mysql_app_secret_arn): the "
        "database user keeps its old password until `tutor k8s init` runs (mysql-job "
        "sets it); run it before the app pods restart, then `tutor eks secrets rollout` "
        "(docs/secrets.md, 'The Open edX MySQL user's password')."
    )
