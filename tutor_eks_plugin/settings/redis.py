"""Redis (Amazon ElastiCache, cluster mode off): TLS (`rediss://`) and the AUTH token.

Tutor builds `redis://` URLs, drops the password unless a username is set, has no TLS
option for the celery broker and hard-codes the event bus URL; the settings partial
rewires each consumer listed in EKS_REDIS_CONSUMERS from the values computed here.
"""

from __future__ import annotations

import re
import typing as t

from . import Rule, Setting
from .validators import Boolean, Choice, Integer, ListOf, Pattern, Secret, Validator, host

CONSUMERS = ("caches", "celery", "event_bus")

SETTINGS: list[Setting] = [
    Setting(
        "REDIS_TLS",
        True,
        Boolean(),
        "Connect to Redis over TLS (`rediss://`, certificate and host name verified). "
        "ElastiCache needs in-transit encryption on; false for a plain Redis.",
    ),
    Setting(
        "REDIS_TLS_CA",
        "system",
        Choice(["system", "bundle"]),
        "Which CAs verify the Redis certificate: 'system' (ElastiCache certificates chain "
        "to Amazon's public roots, in the image's trust store) or 'bundle' (EKS_CA_BUNDLE_*).",
    ),
    Setting(
        "REDIS_CONSUMERS",
        list(CONSUMERS),
        ListOf(Choice(list(CONSUMERS))),
        "Which Redis clients the plugin rewires with host, TLS and AUTH: 'caches' (Django "
        "caches), 'celery' (broker), 'event_bus' (edx-event-bus-redis). Drop one to keep "
        "Tutor's (or your own) setting for it.",
    ),
]

TUTOR_KEYS: dict[str, Validator] = {
    "REDIS_HOST": host(),
    "REDIS_PORT": Integer(1, 65535),
    "REDIS_USERNAME": Pattern(
        re.compile(r"^[A-Za-z0-9_.-]{0,128}$"), "a Redis ACL user name or ''", True
    ),
    "REDIS_PASSWORD": Secret(),
    "OPENEDX_CACHE_REDIS_DB": Integer(0, 15),
    "OPENEDX_CELERY_REDIS_DB": Integer(0, 15),
}


def uses_bundle(config: dict[str, t.Any]) -> bool:
    return bool(config.get("EKS_REDIS_TLS")) and config.get("EKS_REDIS_TLS_CA") == "bundle"


def _consumers_rule(config: dict[str, t.Any]) -> list[str]:
    consumers = config.get("EKS_REDIS_CONSUMERS")
    if isinstance(consumers, list) and len(set(consumers)) != len(consumers):
        return [f"EKS_REDIS_CONSUMERS={consumers!r} lists a consumer twice."]
    if config.get("REDIS_USERNAME") and not config.get("REDIS_PASSWORD"):
        return [
            "REDIS_USERNAME is set but REDIS_PASSWORD is empty: ElastiCache AUTH needs both "
            "(username 'default' and the AUTH token), or neither."
        ]
    return []


RULES: list[Rule] = [_consumers_rule]
