"""SMTP: Amazon SES (or any SMTP relay) through Tutor's own SMTP_* keys, validated."""

from __future__ import annotations

import re
import typing as t

from . import Rule
from .validators import Boolean, Integer, Pattern, Secret, Validator, host

SES_HOST_RE = re.compile(r"^email-smtp(-fips)?\.[a-z0-9-]+\.amazonaws\.com$")
# SES SMTP endpoints: STARTTLS on 25, 587, 2587; TLS wrapper on 465, 2465.
SES_STARTTLS_PORTS = (25, 587, 2587)
SES_TLS_WRAPPER_PORTS = (465, 2465)

TUTOR_KEYS: dict[str, Validator] = {
    "SMTP_HOST": host(),
    "SMTP_PORT": Integer(1, 65535),
    "SMTP_USE_TLS": Boolean(),
    "SMTP_USE_SSL": Boolean(),
    "SMTP_USERNAME": Pattern(
        re.compile(r"^[^\s\"'\\$`]{0,256}$"), "a user name without quotes or spaces, or ''", True
    ),
    "SMTP_PASSWORD": Secret(),
}


def _smtp_rule(config: dict[str, t.Any]) -> list[str]:
    found = []
    tls, ssl = config.get("SMTP_USE_TLS"), config.get("SMTP_USE_SSL")
    if tls and ssl:
        found.append(
            "SMTP_USE_TLS and SMTP_USE_SSL are both true: Django allows one (STARTTLS on "
            "587: SMTP_USE_TLS; TLS from the first byte on 465: SMTP_USE_SSL)."
        )
    if config.get("SMTP_USERNAME") and not (tls or ssl):
        found.append(
            f"SMTP_USERNAME is set for SMTP_HOST={config.get('SMTP_HOST')} but neither "
            "SMTP_USE_TLS nor SMTP_USE_SSL is true: the password would cross the network "
            "in clear text."
        )
    smtp_host, port = str(config.get("SMTP_HOST", "")), config.get("SMTP_PORT")
    if SES_HOST_RE.match(smtp_host):
        if ssl and port not in SES_TLS_WRAPPER_PORTS:
            found.append(
                f"SMTP_PORT={port} with SMTP_USE_SSL: Amazon SES wraps TLS on 465 or 2465."
            )
        elif tls and port not in SES_STARTTLS_PORTS:
            found.append(
                f"SMTP_PORT={port} with SMTP_USE_TLS: Amazon SES speaks STARTTLS on 587, "
                "2587 or 25."
            )
        elif not (tls or ssl):
            found.append(
                "SMTP_HOST is Amazon SES: set SMTP_USE_TLS=true (port 587) or "
                "SMTP_USE_SSL=true (port 465)."
            )
        if not (config.get("SMTP_USERNAME") and config.get("SMTP_PASSWORD")):
            found.append(
                "SMTP_HOST is Amazon SES: set SMTP_USERNAME and SMTP_PASSWORD to the SES SMTP "
                "credentials (not the IAM access key secret itself)."
            )
    return found


RULES: list[Rule] = [_smtp_rule]
