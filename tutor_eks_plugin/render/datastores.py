"""What the datastores templates render from: the template variables of the CA bundle,
MySQL, MongoDB, Redis, Meilisearch and OpenSearch partials.

The settings (keys, defaults, validation) are in ``settings/{datastores,mysql,mongodb,
redis,search}.py``; this module only shapes their values for Jinja. plugin.py registers
TEMPLATE_VARIABLES (see TEMPLATE_VARIABLE_SOURCES) the first time Tutor renders.
"""

from __future__ import annotations

import typing as t
from types import SimpleNamespace

import jinja2

from .. import cabundle
from ..settings import mongodb, redis, search
from .search import opensearch_view


def mysql_view(config: dict[str, t.Any]) -> dict[str, t.Any]:
    """What the settings partial and the mysql-job option file need."""
    return {"tls": bool(config["EKS_MYSQL_TLS"]), "ssl_mode": config["EKS_MYSQL_SSL_MODE"]}


def mongodb_view(config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {"options": mongodb.client_options(config)}


def redis_view(config: dict[str, t.Any]) -> dict[str, t.Any]:
    tls = bool(config["EKS_REDIS_TLS"])
    return {
        "tls": tls,
        "scheme": "rediss" if tls else "redis",
        "ca_file": cabundle.MOUNT_PATH if redis.uses_bundle(config) else None,
        "consumers": list(config["EKS_REDIS_CONSUMERS"]),
        "host": config["REDIS_HOST"],
        "port": config["REDIS_PORT"],
        "cache_db": config["OPENEDX_CACHE_REDIS_DB"],
        "celery_db": config["OPENEDX_CELERY_REDIS_DB"],
    }


def _config_of(context: jinja2.runtime.Context) -> dict[str, t.Any]:
    return {k: v for k, v in context.get_all().items() if k.isupper()}


@jinja2.pass_context
def eks_datastores(context: jinja2.runtime.Context) -> SimpleNamespace:
    """Everything the datastores partials need, computed once in Python."""
    config = _config_of(context)
    return SimpleNamespace(
        ca_source=cabundle.source(config),
        ca_configmap=cabundle.configmap_name(config),
        ca_volume=cabundle.VOLUME_NAME,
        ca_dir=cabundle.MOUNT_DIR,
        ca_path=cabundle.MOUNT_PATH,
        ca_key=cabundle.CONFIGMAP_KEY,
        ca_rendered_file=cabundle.RENDERED_FILE,
        mysql=mysql_view(config),
        mysql_client_configmap=cabundle.MYSQL_CLIENT_CONFIGMAP,
        mysql_client_key=cabundle.MYSQL_CLIENT_KEY,
        mysql_client_home=cabundle.MYSQL_CLIENT_HOME,
        mongodb=mongodb_view(config),
        redis=redis_view(config),
        meilisearch=search.meilisearch_view(config),
        opensearch=opensearch_view(config),
    )


@jinja2.pass_context
def eks_ca_bundle_pem(context: jinja2.runtime.Context) -> str:
    """The PEM text of EKS_CA_BUNDLE_PATH ('' when the bundle comes from elsewhere)."""
    path = context.get("EKS_CA_BUNDLE_PATH")
    return cabundle.read(path) if path else ""


def eks_py(value: t.Any) -> str:
    """A Python literal for a str/int/bool/None/list/dict value (settings templates)."""
    return repr(value)


# The template variables the partials use; plugin.py registers them.
TEMPLATE_VARIABLES: list[tuple[str, t.Any]] = [
    ("eks_datastores", eks_datastores),
    ("eks_ca_bundle_pem", eks_ca_bundle_pem),
    ("eks_py", eks_py),
]
