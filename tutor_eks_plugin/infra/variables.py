"""The tfvars of each stage, generated from the Tutor config (and stage-1 outputs).

Candidates, later ones winning:

1. every ``EKS_<NAME>`` key as variable ``<name>`` (lower case), except keys that
   hold secrets: a new EKS_* setting reaches the stack by declaring the variable;
2. Tutor's own keys under the names the stacks use (``name``, ``region``,
   ``profile``, ``lms_host``, ``cms_host``, ``mfe_host``, ...);
3. values derived from the plugin's choices, so that a setting made once drives
   both the render and the infrastructure (``media_bucket_enabled`` follows
   ``EKS_MEDIA_BACKEND``, the NGINX defaults follow the Ingress settings, ...), and
   the defaults of keys whose plugin is absent (``mfe_host`` without tutor-mfe);
4. for stage 2: the stage-1 outputs that are not marked sensitive.

Only the variables the stack declares are written (Terraform warns about the
others), so the file never carries a value the stack does not use.
"""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

from ..config import SECRET_MARKERS
from ..settings import PREFIX

# Stack variable -> Tutor key.
TUTOR_KEYS = {
    "name": "EKS_NAME",
    "region": "EKS_AWS_REGION",
    "profile": "EKS_PROFILE",
    "lms_host": "LMS_HOST",
    "cms_host": "CMS_HOST",
    "mfe_host": "MFE_HOST",
    "meilisearch_host": "MEILISEARCH_HOST",
    "contact_email": "CONTACT_EMAIL",
    "platform_name": "PLATFORM_NAME",
    "openedx_namespace": "K8S_NAMESPACE",
    "media_storage_class_name": "EKS_MEDIA_STORAGE_CLASS",
    "nginx_client_max_body_size": "EKS_INGRESS_DEFAULT_MAX_BODY_SIZE",
    # Named here: the SECRET marker keeps EKS_SECRETS_* out of step 1.
    "secrets_source": "EKS_SECRETS_SOURCE",
}

# Stack variable -> how it follows from the config (only when the keys exist).
DERIVED: dict[str, tuple[tuple[str, ...], t.Callable[..., t.Any]]] = {
    "media_bucket_enabled": (("EKS_MEDIA_BACKEND",), lambda backend: backend == "s3"),
    "bring_your_own_mongodb": (("EKS_MONGODB_MODE",), lambda mode: mode == "byo"),
    "opensearch_enabled": (
        ("EKS_OPENSEARCH_LMS_SEARCH", "EKS_OPENSEARCH_FORUM_SEARCH"),
        lambda lms, forum: bool(lms or forum),
    ),
    # Secrets referenced by ARN (hand-moved ones included): the External Secrets
    # Operator's role may read them (docs/secrets.md). References, never values.
    "external_secrets_additional_secret_arns": (
        ("EKS_SECRETS_REFERENCES",),
        lambda refs: sorted({r["secret"] for r in refs.values() if r["secret"].startswith("arn:")}),
    ),
    "nginx_proxy_timeout": (
        ("EKS_INGRESS_PROXY_TIMEOUT_SECONDS",), lambda seconds: f"{seconds}s"
    ),
}


# Stack variable -> its value when the Tutor key is absent because the plugin that
# defines it is not installed or not enabled. mfe_host: tutor-mfe's own default for
# MFE_HOST, so a bare install can plan, and enabling tutor-mfe later changes no
# certificate or CloudFront alias.
WITHOUT_PLUGIN: dict[str, tuple[tuple[str, ...], t.Callable[..., t.Any]]] = {
    "mfe_host": (("LMS_HOST",), lambda lms: f"apps.{lms}"),
}


def declared(workdir: Path, block: str = "variable") -> set[str]:
    """Names of the ``variable`` (or ``output``) blocks of a root module.

    A line-anchored match is enough: these blocks only exist at the top level.
    """
    pattern = re.compile(rf'^\s*{block}\s+"([A-Za-z_][A-Za-z0-9_-]*)"', re.MULTILINE)
    names: set[str] = set()
    for path in sorted(workdir.glob("*.tf")):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def from_config(config: dict[str, t.Any]) -> dict[str, t.Any]:
    values: dict[str, t.Any] = {}
    for key, value in config.items():
        if key.startswith(PREFIX) and not any(m in key for m in SECRET_MARKERS):
            values[key[len(PREFIX) :].lower()] = value
    for variable, key in TUTOR_KEYS.items():
        if key in config:
            values[variable] = config[key]
    for variable, (keys, derive) in DERIVED.items():
        if all(k in config for k in keys):
            values[variable] = derive(*(config[k] for k in keys))
    for variable, (keys, derive) in WITHOUT_PLUGIN.items():
        if variable not in values and all(k in config for k in keys):
            values[variable] = derive(*(config[k] for k in keys))
    return values


def from_outputs(outputs: dict[str, dict[str, t.Any]]) -> dict[str, t.Any]:
    """Non-sensitive output values (``terraform output -json`` form)."""
    return {
        name: item.get("value")
        for name, item in outputs.items()
        if not item.get("sensitive") and item.get("value") is not None
    }


def for_stage(
    workdir: Path, config: dict[str, t.Any], upstream: t.Optional[dict[str, t.Any]] = None
) -> dict[str, t.Any]:
    candidates = from_config(config)
    if upstream:
        candidates.update(from_outputs(upstream))
    wanted = declared(workdir)
    return {name: value for name, value in candidates.items() if name in wanted}
