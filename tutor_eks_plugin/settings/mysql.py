"""MySQL (Amazon RDS for MySQL 8.4): TLS verified against the CA bundle, utf8mb4 restored."""

from __future__ import annotations

import re
import typing as t

from . import Setting
from .validators import Boolean, Choice, Integer, Pattern, Secret, Validator, host

SSL_MODES = ("VERIFY_IDENTITY", "VERIFY_CA")

SETTINGS: list[Setting] = [
    Setting(
        "MYSQL_TLS",
        True,
        Boolean(),
        "Connect Open edX and the init job to MySQL over TLS, verified against the CA "
        "bundle (RDS certificates chain to the RDS CA, not to a public one).",
    ),
    Setting(
        "MYSQL_SSL_MODE",
        "VERIFY_IDENTITY",
        Choice(list(SSL_MODES)),
        "How the server certificate is checked: VERIFY_IDENTITY (CA and host name, for "
        "the RDS endpoint) or VERIFY_CA (CA only, e.g. when MYSQL_HOST is an alias).",
    ),
]

# Names that Tutor's mysql.sh pastes into SQL and shell unquoted or single-quoted.
_IDENT = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_USER = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")

TUTOR_KEYS: dict[str, Validator] = {
    "MYSQL_HOST": host(),
    "MYSQL_PORT": Integer(1, 65535),
    "MYSQL_ROOT_USERNAME": Pattern(_USER, "1-32 letters, digits, '_', '.' or '-'"),
    "MYSQL_ROOT_PASSWORD": Secret(),
    "OPENEDX_MYSQL_DATABASE": Pattern(_IDENT, "1-64 letters, digits or '_'"),
    "OPENEDX_MYSQL_USERNAME": Pattern(_USER, "1-32 letters, digits, '_', '.' or '-'"),
    "OPENEDX_MYSQL_PASSWORD": Secret(),
}


def uses_bundle(config: dict[str, t.Any]) -> bool:
    return bool(config.get("EKS_MYSQL_TLS"))
