"""Where the data-store passwords come from: config.yml, or Secrets Manager through the
External Secrets Operator (docs/secrets.md).

With ``EKS_SECRETS_SOURCE=secretsmanager`` a movable Tutor key (``MOVABLE``) holds the
placeholder ``${EKS_SECRET_<KEY>}`` instead of its value, and
``EKS_SECRETS_REFERENCES`` says which Secrets Manager secret (ARN or name) and which
JSON property hold it. The placeholder is what Tutor renders wherever it writes the
key: the init scripts run it inside double-quoted shell words, so bash expands it from
the environment variable of the same name, which the pod gets from the Kubernetes
Secret an ExternalSecret keeps in sync; the settings partials read the same variables
at import time. No value is in config.yml, a ConfigMap or a Job spec.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from . import Rule, Setting
from .validators import SECRET_ENV_PREFIX as ENV_PREFIX
from .validators import SECRET_PLACEHOLDER_RE as PLACEHOLDER_RE
from .validators import Choice, Mapping, Pattern, Validator

CONFIG = "config"
SECRETSMANAGER = "secretsmanager"
SOURCES = (CONFIG, SECRETSMANAGER)

# The Kubernetes Secret the ExternalSecret writes, and the SecretStore it reads through.
KUBERNETES_SECRET = "eks-datastore-secrets"  # noqa: S105 (an object name)
SECRET_STORE = "eks-aws-secrets-manager"  # noqa: S105 (an object name)
EXTERNAL_SECRET = "eks-datastore-secrets"  # noqa: S105 (an object name)
# ENV_PREFIX and PLACEHOLDER_RE (the placeholder ${EKS_SECRET_<KEY>}) are imported from
# settings/validators.py: the Secret validator accepts the placeholder.

# Who reads a value: the Open edX pods and jobs (Django settings, lms.sh, meilisearch.sh
# in lms-job) or the mysql client job (mysql.sh).
OPENEDX = "openedx"
MYSQL_JOB = "mysql-job"


@dataclass(frozen=True)
class Movable:
    """A Tutor key whose value can live in Secrets Manager instead of config.yml."""

    key: str
    readers: tuple[str, ...]
    what: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.key

    @property
    def placeholder(self) -> str:
        return "${" + self.env + "}"


# One truth for the keys that can move. MEILISEARCH_API_KEY is not here: Tutor derives
# it from the master key (HMAC-SHA256 of the key uid), and the settings partial derives
# it the same way from the environment.
MOVABLE: tuple[Movable, ...] = (
    Movable("MYSQL_ROOT_PASSWORD", (MYSQL_JOB,), "RDS master password (init job only)"),
    Movable("OPENEDX_MYSQL_PASSWORD", (OPENEDX, MYSQL_JOB), "Open edX MySQL user password"),
    Movable("MONGODB_PASSWORD", (OPENEDX,), "DocumentDB/MongoDB password"),
    Movable("REDIS_PASSWORD", (OPENEDX,), "ElastiCache AUTH token"),
    Movable("MEILISEARCH_MASTER_KEY", (OPENEDX,), "Meilisearch master key"),
    Movable("SMTP_PASSWORD", (OPENEDX,), "SMTP (SES) password"),
)
BY_KEY = {m.key: m for m in MOVABLE}
# Tutor's MEILISEARCH_API_KEY is HMAC-SHA256(key uid, master key) (Meilisearch derives
# API keys that way): it follows the master key, as this placeholder.
MEILISEARCH_API_KEY_PLACEHOLDER = "${" + ENV_PREFIX + "MEILISEARCH_API_KEY}"

# A Secrets Manager secret: its ARN, or its name (letters, digits and /_+=.@-!).
SECRET_ID_RE = re.compile(
    r"^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]+"
    r"|[A-Za-z0-9/_+=.@!-]{1,512})$"
)
# ExternalSecret refreshInterval: a Go duration of hours, minutes and seconds.
DURATION_RE = re.compile(r"^(?=.)([0-9]+h)?([0-9]+m)?([0-9]+s)?$")


class References(Validator):
    allowed = (
        "a mapping from a Tutor key (" + ", ".join(BY_KEY) + ") to {secret: <Secrets "
        "Manager ARN or name>, property: <JSON key or '' for a plain string>}"
    )
    _entry = Mapping(
        required={
            "secret": Pattern(SECRET_ID_RE, "a Secrets Manager secret ARN or name"),
            "property": Pattern(re.compile(r"^[A-Za-z0-9_.-]{0,128}$"), "a JSON key", True),
        }
    )

    def ok(self, value: t.Any) -> bool:
        return isinstance(value, dict) and all(
            k in BY_KEY and self._entry.ok(v) for k, v in value.items()
        )


class Duration(Validator):
    allowed = "a duration such as '1h', '15m' or '1h30m' (at least 1m)"

    def ok(self, value: t.Any) -> bool:
        return isinstance(value, str) and bool(DURATION_RE.match(value)) and seconds(value) >= 60


def seconds(duration: str) -> int:
    total = 0
    for number, unit in re.findall(r"([0-9]+)([hms])", duration):
        total += int(number) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


SETTINGS: list[Setting] = [
    Setting(
        "SECRETS_SOURCE",
        CONFIG,
        Choice(list(SOURCES)),
        "Where the data-store passwords live: 'config' (in config.yml, rendered into "
        "ConfigMaps and Job specs as plain Tutor does) or 'secretsmanager' (config.yml "
        "holds references; the External Secrets Operator of stage 2 copies the values into "
        "a Kubernetes Secret that the pods read). `tutor eks infra apply` sets "
        "'secretsmanager' unless config.yml says otherwise. See docs/secrets.md.",
    ),
    Setting(
        "SECRETS_REFRESH_INTERVAL",
        "1h",
        Duration(),
        "How often the External Secrets Operator re-reads Secrets Manager (a rotated RDS "
        "password reaches the Kubernetes Secret within this time; `tutor eks secrets "
        "rollout` then restarts the pods).",
    ),
    Setting(
        "SECRETS_REFERENCES",
        {},
        References(),
        "Written by `tutor eks infra apply|output` when EKS_SECRETS_SOURCE=secretsmanager: "
        "for each moved Tutor key, the Secrets Manager secret and JSON property holding "
        "its value. Add SMTP_PASSWORD by hand (see docs/secrets.md).",
    ),
]


def source(config: dict[str, t.Any]) -> str:
    return str(config.get("EKS_SECRETS_SOURCE", CONFIG))


def moved(config: dict[str, t.Any]) -> list[Movable]:
    """The keys whose values the pods get from the Kubernetes Secret, in MOVABLE order."""
    if source(config) != SECRETSMANAGER:
        return []
    refs = config.get("EKS_SECRETS_REFERENCES") or {}
    return [m for m in MOVABLE if m.key in refs]


def _consistency_rule(config: dict[str, t.Any]) -> list[str]:
    found: list[str] = []
    refs = config.get("EKS_SECRETS_REFERENCES") or {}
    on = source(config) == SECRETSMANAGER
    for movable in MOVABLE:
        value = config.get(movable.key)
        holds_placeholder = isinstance(value, str) and bool(PLACEHOLDER_RE.match(value))
        if movable.key not in config:
            continue
        if holds_placeholder and value != movable.placeholder:
            found.append(
                f"{movable.key} holds the placeholder of another key: set it to "
                f"{movable.placeholder} (or to its value with EKS_SECRETS_SOURCE=config)."
            )
        elif holds_placeholder and not on:
            found.append(
                f"{movable.key} holds the Secrets Manager placeholder {movable.placeholder} "
                "but EKS_SECRETS_SOURCE=config: run `tutor eks infra output` to fetch the "
                "values into config.yml, or set EKS_SECRETS_SOURCE=secretsmanager."
            )
        elif holds_placeholder and movable.key not in refs:
            found.append(
                f"{movable.key} holds the placeholder {movable.placeholder} but "
                "EKS_SECRETS_REFERENCES names no Secrets Manager secret for it: run "
                "`tutor eks infra output`, or add the reference (docs/secrets.md)."
            )
        elif on and movable.key in refs and not holds_placeholder:
            found.append(
                f"EKS_SECRETS_REFERENCES names a Secrets Manager secret for {movable.key}, "
                f"but {movable.key} holds a value: set {movable.key}={movable.placeholder} "
                "(`tutor eks infra output` does it for the stage-1 secrets) so that the "
                "value stays out of config.yml and the rendered env."
            )
    api_key = config.get("MEILISEARCH_API_KEY")
    master_moved = on and "MEILISEARCH_MASTER_KEY" in refs
    if api_key == MEILISEARCH_API_KEY_PLACEHOLDER and not master_moved:
        found.append(
            f"MEILISEARCH_API_KEY holds the placeholder {MEILISEARCH_API_KEY_PLACEHOLDER} but "
            "the Meilisearch master key does not come from Secrets Manager: run `tutor eks "
            "infra output` to write both keys again."
        )
    elif master_moved and api_key != MEILISEARCH_API_KEY_PLACEHOLDER:
        found.append(
            "MEILISEARCH_MASTER_KEY comes from Secrets Manager but MEILISEARCH_API_KEY holds "
            f"a value derived from another key: set it to {MEILISEARCH_API_KEY_PLACEHOLDER} "
            "(`tutor eks infra output` does it)."
        )
    return found


RULES: list[Rule] = [_consistency_rule]
