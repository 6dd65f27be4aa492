"""Data stores outside the cluster: the shared parts (CA bundle, password rules, templates).

Each store has its own module (mysql, mongodb, redis, search, smtp); this one holds
what they share: where the CA bundle comes from, the "is this store configured yet"
test, the characters a password may hold, and the template variables the datastores
partials use (registered here because settings modules are imported while the plugin
loads, inside its hook context, so `tutor plugins disable eks` removes them again).
"""

from __future__ import annotations

import re
import typing as t
from types import SimpleNamespace

import jinja2

from .. import cabundle
from . import Pattern, Rule, Setting, Validator, k8s_name

# Tutor's in-cluster service names. With RUN_*=false they point nowhere: a store whose
# host still has this value has not been configured (no `tutor eks infra apply` yet),
# so the production checks that need a real endpoint (CA bundle) wait until it is set.
PLACEHOLDER_HOSTS = {"MYSQL_HOST": "mysql", "MONGODB_HOST": "mongodb", "REDIS_HOST": "redis"}

SETTINGS: list[Setting] = [
    Setting(
        "CA_BUNDLE_PATH",
        "",
        Pattern(
            re.compile(r"^(/|~/)[^\0\n]*$"),
            "an absolute path to a PEM file (the RDS global-bundle.pem) or ''",
            True,
        ),
        "PEM file with the CA certificates RDS and DocumentDB chain to, read when the env "
        "is rendered and shipped to every Open edX pod and job as the ConfigMap "
        "`eks-ca-bundle`.",
    ),
    Setting(
        "CA_BUNDLE_CONFIGMAP",
        "",
        k8s_name(allow_empty=True),
        "Instead of a file: an existing ConfigMap in the Open edX namespace whose key "
        "`ca-bundle.pem` holds the CA bundle.",
    ),
]


class Secret(Validator):
    """A password that Tutor's templates can carry: no quote, backslash, `$`, backtick or
    whitespace (Tutor writes passwords inside "..." in Python settings, YAML and shell)."""

    allowed = (
        "a string without quotes, backslashes, '$', '`' or whitespace "
        "(Tutor writes it inside quoted Python, YAML and shell strings)"
    )
    _BAD = re.compile(r"[\"'\\$`\s]")

    def ok(self, value: t.Any) -> bool:
        if isinstance(value, str) and value.startswith("${"):
            # The Secrets Manager placeholder (settings/secrets.py): the shell of the init
            # jobs expands it; the secrets rules check that it belongs to this key.
            from .secrets import PLACEHOLDER_RE

            return bool(PLACEHOLDER_RE.match(value))
        return isinstance(value, str) and not self._BAD.search(value)


def configured(config: dict[str, t.Any], key: str) -> bool:
    """True once the store's host is set to a real endpoint."""
    return bool(config.get(key)) and config.get(key) != PLACEHOLDER_HOSTS[key]


def shown_host(value: t.Any) -> str:
    """A host as it may appear in a message: never one that carries credentials."""
    text = str(value)
    return "(a value with credentials, hidden)" if "@" in text else text


def stores_needing_bundle(config: dict[str, t.Any]) -> list[str]:
    """'KEY=host' of every configured store whose TLS is verified against the CA bundle."""
    from . import mongodb, mysql, redis  # the per-store modules import this one

    found = []
    for key, uses_bundle in (
        ("MYSQL_HOST", mysql.uses_bundle(config)),
        ("MONGODB_HOST", mongodb.uses_bundle(config)),
        ("REDIS_HOST", redis.uses_bundle(config)),
    ):
        if uses_bundle and configured(config, key):
            found.append(f"{key}={shown_host(config[key])}")
    return found


def _ca_bundle_rule(config: dict[str, t.Any]) -> list[str]:
    if config.get("EKS_CA_BUNDLE_PATH") and config.get("EKS_CA_BUNDLE_CONFIGMAP"):
        return [
            "EKS_CA_BUNDLE_PATH and EKS_CA_BUNDLE_CONFIGMAP are both set: choose one "
            "(unset the other with `tutor config save --unset KEY`)."
        ]
    if config.get("EKS_CA_BUNDLE_PATH"):
        try:
            cabundle.read(config["EKS_CA_BUNDLE_PATH"])
        except cabundle.CaBundleError as exc:
            return [str(exc)]
        return []
    if config.get("EKS_CA_BUNDLE_CONFIGMAP"):
        return []
    needing = stores_needing_bundle(config)
    if not needing:
        return []
    return [
        f"TLS is verified against a CA bundle for {', '.join(needing)} but none is "
        "configured: download https://truststore.pki.rds.amazonaws.com/global/"
        "global-bundle.pem and set EKS_CA_BUNDLE_PATH=/absolute/path/global-bundle.pem "
        "(or EKS_CA_BUNDLE_CONFIGMAP=<existing ConfigMap>), or turn TLS off for that "
        "store (not for production)."
    ]


RULES: list[Rule] = [_ca_bundle_rule]


# ---- template variables ---------------------------------------------------------------


def _config_of(context: jinja2.runtime.Context) -> dict[str, t.Any]:
    return {k: v for k, v in context.get_all().items() if k.isupper()}


@jinja2.pass_context
def eks_datastores(context: jinja2.runtime.Context) -> SimpleNamespace:
    """Everything the datastores partials need, computed once in Python."""
    from . import mongodb, mysql, redis, search

    config = _config_of(context)
    return SimpleNamespace(
        ca_source=cabundle.source(config),
        ca_configmap=cabundle.configmap_name(config),
        ca_volume=cabundle.VOLUME_NAME,
        ca_dir=cabundle.MOUNT_DIR,
        ca_path=cabundle.MOUNT_PATH,
        ca_key=cabundle.CONFIGMAP_KEY,
        ca_rendered_file=cabundle.RENDERED_FILE,
        mysql=mysql.view(config),
        mysql_client_configmap=cabundle.MYSQL_CLIENT_CONFIGMAP,
        mysql_client_key=cabundle.MYSQL_CLIENT_KEY,
        mysql_client_home=cabundle.MYSQL_CLIENT_HOME,
        mongodb=mongodb.view(config),
        redis=redis.view(config),
        meilisearch=search.meilisearch_view(config),
        opensearch=search.opensearch_view(config),
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
