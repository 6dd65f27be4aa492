"""Data store wiring for every other plugin's Django service (discovery, credentials,
notes, xqueue, third-party ones), found without a list of plugins.

Each enabled plugin's templates are scanned for Django settings files (`*.py` under a
`settings` folder, dev-only files left out) and the `{{ patch("...") }}` calls in
them; the plugin's block `eks/partials/service-settings/datastores` is added, at low
priority (after the plugin's own items), to every such patch. The block rewrites the
Redis URLs, MySQL databases and MongoDB client parameters that point at the store
(configured host or Tutor's in-cluster service name) with the TLS, AUTH and CA
options computed in settings/{redis,mysql,mongodb}.py. Tutor's own LMS/CMS settings
are wired by the openedx-*-settings partials instead. `tutor eks check`
(policies/endpoints.py) catches what no patch can reach.
"""

from __future__ import annotations

import functools
import os
import re
import typing as t
from pathlib import Path

import jinja2
from tutor import hooks

from .. import cabundle
from ..settings import datastores, mongodb, secrets
from . import datastores as datastore_views
from .django_settings import DEV_ONLY

PATCH_CALL_RE = re.compile(r"""\{\{-?\s*patch\(\s*["']([A-Za-z0-9_.-]+)["']\s*\)\s*-?\}\}""")
WIRING = '{% include "eks/partials/service-settings/datastores" %}\n'
OWN_TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates")


@functools.lru_cache(maxsize=32)
def settings_patch_names(roots: tuple[str, ...]) -> tuple[str, ...]:
    """The patch names that Django settings templates under these roots call."""
    names: set[str] = set()
    for root in roots:
        for path in Path(root).rglob("*.py"):
            parts = path.relative_to(root).parts
            if "settings" in parts[:-1] and path.name not in DEV_ONLY:
                names.update(PATCH_CALL_RE.findall(path.read_text(encoding="utf-8")))
    return tuple(sorted(names))


def _plugin_roots() -> tuple[str, ...]:
    from tutor import env

    skip = {os.path.realpath(env.TEMPLATES_ROOT), os.path.realpath(OWN_TEMPLATES)}
    return tuple(
        root
        for root in hooks.Filters.ENV_TEMPLATE_ROOTS.iterate()
        if os.path.realpath(root) not in skip
    )


def add_wiring(patches: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """ENV_PATCHES callback: the wiring block in every plugin's settings patch."""
    for name in settings_patch_names(_plugin_roots()):
        patches.append((name, WIRING))
    return patches


@jinja2.pass_context
def eks_wiring(context: jinja2.runtime.Context) -> dict[str, t.Any]:
    """What the service-settings block rewires, per store (template variable)."""
    config = {k: v for k, v in context.get_all().items() if k.isupper()}
    redis_view, mysql_view = datastore_views.redis_view(config), datastore_views.mysql_view(config)
    moved_redis = "REDIS_PASSWORD" in [m.key for m in secrets.moved(config)]
    return {
        "redis": {
            "hosts": sorted({config["REDIS_HOST"], datastores.PLACEHOLDER_HOSTS["REDIS_HOST"]}),
            "host": config["REDIS_HOST"],
            "port": int(config["REDIS_PORT"]),
            "scheme": redis_view["scheme"],
            "username": config.get("REDIS_USERNAME") or "",
            # With EKS_SECRETS_SOURCE=secretsmanager the value is read from the pod's
            # environment (render/secrets.py), never rendered.
            "password": "" if moved_redis else config.get("REDIS_PASSWORD") or "",
            "password_env": secrets.BY_KEY["REDIS_PASSWORD"].env if moved_redis else None,
            "tls": redis_view["tls"],
            "ca_file": redis_view["ca_file"],
        },
        "mysql": {
            "hosts": sorted({config["MYSQL_HOST"], datastores.PLACEHOLDER_HOSTS["MYSQL_HOST"]}),
            "host": config["MYSQL_HOST"],
            "port": int(config["MYSQL_PORT"]),
            "tls": mysql_view["tls"],
            "ssl_mode": mysql_view["ssl_mode"],
            "ca_file": cabundle.MOUNT_PATH,
        },
        "mongodb": {
            "hosts": sorted(
                {config["MONGODB_HOST"], datastores.PLACEHOLDER_HOSTS["MONGODB_HOST"]}
            ),
            "host": config["MONGODB_HOST"],
            "options": mongodb.client_options(config),
        },
    }


TEMPLATE_VARIABLES: list[tuple[str, t.Any]] = [("eks_wiring", eks_wiring)]


def wired_plugins(config: dict[str, t.Any]) -> list[str]:
    """Enabled plugins (other than this one) whose templates hold Django settings."""
    found = []
    for plugin in config.get("PLUGINS", []):
        if plugin == "eks":
            continue
        roots = hooks.Filters.ENV_TEMPLATE_ROOTS.iterate_from_context(
            hooks.Contexts.app(plugin).name
        )
        if settings_patch_names(tuple(roots)):
            found.append(plugin)
    return found


@jinja2.pass_context
def eks_service_workloads(context: jinja2.runtime.Context) -> list[dict[str, t.Any]]:
    """Deployments and Jobs of the wired plugins (their k8s-deployments and k8s-jobs
    patches rendered with this config and read as YAML): each needs the CA bundle the
    wiring points its MySQL (and Redis/Mongo, when bundle-verified) clients at."""
    import yaml

    config = {k: v for k, v in context.get_all().items() if k.isupper()}
    workloads = []
    for plugin in wired_plugins(config):
        items = hooks.Filters.ENV_PATCHES.iterate_from_context(hooks.Contexts.app(plugin).name)
        for name, text in items:
            if name not in ("k8s-deployments", "k8s-jobs"):
                continue
            rendered = context.environment.from_string(text).render(context.get_all())
            for doc in yaml.safe_load_all(rendered):
                if not isinstance(doc, dict) or doc.get("kind") not in ("Deployment", "Job"):
                    continue
                containers = doc["spec"]["template"]["spec"].get("containers", [])
                workloads.append(
                    {
                        "plugin": plugin,
                        "kind": doc["kind"],
                        "api": doc["apiVersion"],
                        "name": doc["metadata"]["name"],
                        "containers": [c["name"] for c in containers],
                    }
                )
    return workloads


TEMPLATE_VARIABLES.append(("eks_service_workloads", eks_service_workloads))
