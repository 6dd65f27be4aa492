"""Secrets policy (docs/secrets.md): no rendered ConfigMap, Job or Deployment carries a
data-store password.

Two searches over every string of those objects (ConfigMap data, container commands,
args and env values, annotations):

- the values the config knows for the movable keys (settings/secrets.py MOVABLE, and the
  Meilisearch API key derived from the master key), wherever they appear;
- strings that look like a store password whatever its value: credentials inside a URL
  (``rediss://user:pw@host``), a ``--password=...`` flag, or a ``PASSWORD``/``MASTER_KEY``/
  ``API_KEY``/``AUTH_TOKEN`` setting with a literal value.

A placeholder ``${EKS_SECRET_<KEY>}`` is never a finding. A finding names the object, the
place and the key, never the value.

With EKS_SECRETS_SOURCE=secretsmanager a finding fails `tutor eks check`. With 'config'
(plain Tutor's behaviour, chosen on purpose or before the first `tutor eks infra apply`)
the same findings are printed as figures, so that the default render still passes.
"""

from __future__ import annotations

import re
import typing as t

from ..settings import secrets
from . import Objects

KINDS = ("ConfigMap", "Job", "Deployment")
# Shorter values (a Redis username such as 'default', '0') would match everywhere.
MIN_LENGTH = 8

_PLACEHOLDER = r"\$\{" + secrets.ENV_PREFIX + r"[A-Z0-9_]+\}"
LOOKS_LIKE = (
    # The password part may hold '/' (an AUTH token can); a port followed by a path
    # ("host:8000/a@b") is not one.
    (
        "credentials in a URL",
        re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]*:(?![0-9]+/)([^@\s'\"]+)@"),
    ),
    ("a --password flag", re.compile(r"--password[= ]\"?([^\"\s]+)")),
    (
        "a password setting",
        re.compile(
            r"(?:PASSWORD|MASTER_KEY|API_KEY|AUTH_TOKEN)['\"]?\s*[:=]\s*['\"]([^'\"\s]+)['\"]",
            re.IGNORECASE,
        ),
    ),
)


def known_values(config: dict[str, t.Any]) -> dict[str, str]:
    """Tutor key -> the literal value the config holds (placeholders and short values out)."""
    keys = [m.key for m in secrets.MOVABLE] + ["MEILISEARCH_API_KEY"]
    found = {}
    for key in keys:
        value = config.get(key)
        if isinstance(value, str) and len(value) >= MIN_LENGTH:
            if not secrets.PLACEHOLDER_RE.match(value):
                found[key] = value
    return found


def _strings(value: t.Any, where: str) -> t.Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def _looks_like(text: str) -> list[str]:
    found = []
    for what, pattern in LOOKS_LIKE:
        for match in pattern.finditer(text):
            value = match.group(1)
            if re.fullmatch(_PLACEHOLDER, value) or value.startswith(("{{", "%")):
                continue
            if len(value) >= MIN_LENGTH:
                found.append(what)
                break
    return found


def findings(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    """One sentence per object and place holding a store password (values never shown)."""
    known = known_values(config)
    found: list[str] = []
    for obj in objects:
        if obj.get("kind") not in KINDS:
            continue
        name = f"{obj['kind']}/{obj.get('metadata', {}).get('name')}"
        for where, text in _strings({k: v for k, v in obj.items() if k != "status"}, ""):
            keys = sorted(key for key, value in known.items() if value in text)
            if keys:
                found.append(f"{name}: {where} holds the value of {', '.join(keys)}")
            for what in _looks_like(text):
                found.append(f"{name}: {where} holds what looks like a store password ({what})")
    return found


def no_store_passwords(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    if secrets.source(config) != secrets.SECRETSMANAGER:
        return []
    problems = findings(objects, config)
    if problems and (unmoved := _unmoved(config)):
        problems.append(
            f"Not moved to Secrets Manager yet: {', '.join(unmoved)}; add each to "
            "EKS_SECRETS_REFERENCES with its placeholder (docs/secrets.md, 'Moving a "
            "value by hand')."
        )
    return problems


def plain_secrets_figure(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    if secrets.source(config) == secrets.SECRETSMANAGER:
        return []
    count = len(findings(objects, config))
    if not count:
        return []
    return [
        f"Secrets: {count} places in ConfigMaps/Jobs/Deployments hold a data-store password "
        "(EKS_SECRETS_SOURCE=config, plain Tutor's behaviour; docs/secrets.md)."
    ]


def _unmoved(config: dict[str, t.Any]) -> list[str]:
    refs = config.get("EKS_SECRETS_REFERENCES") or {}
    return [key for key in known_values(config) if key in secrets.BY_KEY and key not in refs]


POLICIES = [no_store_passwords]
FIGURES = [plain_secrets_figure]
