"""EKS_* defaults and their validation.

Settings live in ``tutor_eks_plugin.settings.<concern>`` modules, each with a
``SETTINGS`` list and optionally ``RULES`` (checks across keys) and
``TUTOR_KEYS`` (Tutor's own keys that this plugin depends on, e.g. hosts used in
Ingress rules). They are discovered here, so adding a concern never touches this
file.

Validation runs before Tutor writes ``config.yml`` and whenever a config is loaded
(the wrappers in ``tutor_internals``): a bad value stops the command with one line
that names the key, the value and what is allowed, and the file on disk is unchanged.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import typing as t
from functools import lru_cache
from types import ModuleType

from tutor import config as tutor_config
from tutor import exceptions

from . import settings as settings_pkg
from .settings import PREFIX, Rule, Setting
from .settings.validators import Validator

PLUGIN_NAME = "eks"

# Keys whose values must never be echoed back in an error message.
SECRET_MARKERS = ("PASSWORD", "SECRET", "TOKEN", "MASTER_KEY", "API_KEY")


@lru_cache(maxsize=1)
def _modules() -> tuple[ModuleType, ...]:
    found = []
    for info in sorted(pkgutil.iter_modules(settings_pkg.__path__), key=lambda i: i.name):
        found.append(importlib.import_module(f"{settings_pkg.__name__}.{info.name}"))
    return tuple(found)


def all_settings() -> list[Setting]:
    result: list[Setting] = []
    for module in _modules():
        result.extend(getattr(module, "SETTINGS", []))
    keys = [s.key for s in result]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise RuntimeError(f"EKS settings declared twice: {sorted(duplicates)}")
    return result


def all_rules() -> list[Rule]:
    rules: list[Rule] = []
    for module in _modules():
        rules.extend(getattr(module, "RULES", []))
    return rules


def tutor_keys() -> dict[str, Validator]:
    keys: dict[str, Validator] = {}
    for module in _modules():
        keys.update(getattr(module, "TUTOR_KEYS", {}))
    return keys


def defaults() -> list[tuple[str, t.Any]]:
    return [(s.key, s.default) for s in all_settings()]


def show(key: str, value: t.Any) -> str:
    """The value as it may appear in a message: secrets are never shown."""
    if any(marker in key for marker in SECRET_MARKERS):
        return "(hidden)"
    return repr(value)


def unknown_keys(config: dict[str, t.Any]) -> list[str]:
    """EKS_* keys that no setting declares (a typo would otherwise be saved and ignored)."""
    known = [s.key for s in all_settings()]
    found = []
    for key in sorted(k for k in config if k.startswith(PREFIX) and k not in known):
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean {close[0]}?" if close else "see the README's configuration table."
        found.append(
            f"{key}={show(key, config[key])} is not valid: expected a key the eks plugin "
            f"declares; {hint} Remove it with `tutor config save --unset {key}`."
        )
    return found


def problems(config: dict[str, t.Any]) -> list[str]:
    """Every problem in a full (rendered) config, one sentence each."""
    found: list[str] = unknown_keys(config)
    checks: list[tuple[str, Validator]] = [(s.key, s.validator) for s in all_settings()]
    checks += list(tutor_keys().items())
    for key, validator in checks:
        if key not in config:
            continue
        value = config[key]
        allowed = validator.problem(value)
        if allowed:
            found.append(f"{key}={show(key, value)} is not valid: expected {allowed}.")
    if not found:
        # Cross-key rules assume each key is well-formed on its own.
        for rule in all_rules():
            found.extend(rule(config))
    return found


def raise_on_problems(config: dict[str, t.Any]) -> None:
    found = problems(config)
    if found:
        fix = "Fix it with `tutor config save --set KEY=VALUE` (or --unset KEY for the default)."
        raise exceptions.TutorError("\n".join(found + [fix]))


def full_config_from_user(user_config: dict[str, t.Any]) -> dict[str, t.Any]:
    """What Tutor's load_full would build from this user config, without disk I/O."""
    from .tutor_internals import render_for_validation

    config = tutor_config.load_defaults()
    config.update(user_config)
    render_for_validation(config)
    return config


# Tutor keys the plugin owns while enabled. Tutor applies CONFIG_OVERRIDES whenever
# the config loads (they are not written to config.yml), so `tutor plugins disable
# eks` restores Tutor's own behaviour (Caddy, in-cluster databases).
OVERRIDES: list[tuple[str, t.Any]] = [
    # No data store runs in the cluster: RDS, DocumentDB, ElastiCache, Meilisearch on
    # EC2 and SES replace the pods.
    ("RUN_MYSQL", False),
    ("RUN_MONGODB", False),
    ("RUN_REDIS", False),
    ("RUN_MEILISEARCH", False),
    ("RUN_SMTP", False),
    # Caddy is replaced by the NGINX Ingress Controller: no LoadBalancer, no PVC.
    ("ENABLE_WEB_PROXY", False),
    # TLS ends before the pod (CloudFront/ALB); Django must still build https URLs.
    ("ENABLE_HTTPS", True),
]
