"""Settings-endpoint policy: every data store endpoint in every rendered Django settings
module under env/ (Tutor's LMS and CMS, and each plugin's own service: discovery,
credentials, notes, xqueue, third-party ones) is read as the application would read it
and checked against the stores this plugin configures.

A setting fails when it points at an in-cluster host this plugin removed, is plaintext
where the store requires TLS, or lacks the password the store requires. The message
names the plugin that wrote the value, the file, the setting and the fix.

The settings are read by executing each file with its base settings stood in for
(render/django_settings.py; why not the syntax tree: docs/decisions.md).
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..render import django_settings
from ..settings import datastores, search
from ..settings.smtp import SES_HOST_RE
from .core import HINTS

# The settings this policy inspects, by store: the one list (docs/data-stores.md shows
# it). Besides these, every string value of every setting is scanned for redis://,
# rediss://, mysql://, mongodb:// and mongodb+srv:// URLs, and for http(s) URLs to an
# in-cluster search host, whatever the setting is called.
INSPECTED: dict[str, tuple[str, ...]] = {
    "redis": (
        "CACHES",
        "BROKER_URL",
        "CELERY_BROKER_URL",
        "CELERY_RESULT_BACKEND",
        "EVENT_BUS_REDIS_CONNECTION_URL",
    ),
    "mysql": ("DATABASES",),
    "mongodb": (
        "DOC_STORE_CONFIG",
        "CONTENTSTORE",
        "MODULESTORE",
        "FORUM_MONGODB_CLIENT_PARAMETERS",
    ),
    "elasticsearch": (
        "ELASTICSEARCH_DSL",
        "ELASTIC_SEARCH_CONFIG",
        "FORUM_ELASTIC_SEARCH_CONFIG",
    ),
    "meilisearch": ("MEILISEARCH_URL",),
    "smtp": ("EMAIL_HOST",),
}

# In-cluster service names this plugin removes from the render, and the store behind each.
REMOVED_HOSTS = {
    "redis": "redis",
    "mysql": "mysql",
    "mongodb": "mongodb",
    "meilisearch": "meilisearch",
    "elasticsearch": "elasticsearch",
    "smtp": "smtp",
}
URL_RE = re.compile(r"^(?P<scheme>rediss?|mysql|mongodb(\+srv)?|https?)://", re.IGNORECASE)
URL_STORES = {"redis": "redis", "rediss": "redis", "mysql": "mysql", "mongodb": "mongodb",
              "mongodb+srv": "mongodb"}
MYSQL_ENGINES = ("django.db.backends.mysql",)


FIXES = {
    "redis": "use rediss://<user>:<AUTH token>@REDIS_HOST:REDIS_PORT/<db>?ssl_cert_reqs=required "
    "(tutor-contrib-eks rewrites redis:// URLs on REDIS_HOST or 'redis' in every plugin's "
    "settings patch: set the value before that patch, or in a patch that runs after it)",
    "mysql": "connect to MYSQL_HOST with the database password and OPTIONS "
    "{'ssl': {'ca': <CA bundle>}, 'ssl_mode': 'VERIFY_IDENTITY'}",
    "mongodb": "connect to MONGODB_HOST with tls=True (tlsCAFile for DocumentDB) and the "
    "MONGODB_USERNAME/MONGODB_PASSWORD credentials",
    "elasticsearch": HINTS["elasticsearch"].strip(" ()")
    + "; or use Amazon OpenSearch over https with a password (EKS_OPENSEARCH_*)",
    "meilisearch": "set MEILISEARCH_URL to the external Meilisearch (written by "
    "`tutor eks infra apply`)",
    "smtp": "set SMTP_HOST (Amazon SES: email-smtp.<region>.amazonaws.com) with "
    "SMTP_USE_TLS and SMTP_USERNAME/SMTP_PASSWORD",
}


@dataclass
class Endpoint:
    store: str
    setting: str  # e.g. CACHES['default']['LOCATION']
    host: str
    port: t.Any
    tls: bool
    password: bool
    raw: str = ""  # the text a plugin would have written (URL or host), for attribution


# ---- finding endpoints in one settings namespace -------------------------------------


def _walk(value: t.Any, path: str) -> t.Iterator[tuple[str, t.Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def _from_url(path: str, url: str) -> Endpoint | None:
    match = URL_RE.match(url)
    if not match:
        return None
    scheme = match.group("scheme").lower()
    try:
        parts = urlsplit(url)
        host, port, password = parts.hostname or "", parts.port, bool(parts.password)
    except ValueError:
        return None
    if scheme.startswith("http"):
        store = REMOVED_HOSTS.get(host)
        if store not in ("elasticsearch", "meilisearch"):
            return None
        return Endpoint(store, path, host, port, scheme == "https", password, url)
    query = parts.query.lower()
    tls = scheme in ("rediss", "mongodb+srv") or "tls=true" in query or "ssl=true" in query
    return Endpoint(URL_STORES[scheme], path, host, port, tls, password, url)


def _mysql(values: dict[str, t.Any]) -> t.Iterator[Endpoint]:
    databases = values.get("DATABASES")
    if not isinstance(databases, dict):
        return
    for alias, db in databases.items():
        if not isinstance(db, dict) or db.get("ENGINE") not in MYSQL_ENGINES:
            continue
        options = db.get("OPTIONS") if isinstance(db.get("OPTIONS"), dict) else {}
        tls = bool(options.get("ssl")) or str(options.get("ssl_mode", "")).upper().startswith(
            "VERIFY"
        )
        yield Endpoint("mysql", f"DATABASES[{alias!r}]", str(db.get("HOST", "")),
                       db.get("PORT"), tls, bool(db.get("PASSWORD")), str(db.get("HOST", "")))


def _mongodb(values: dict[str, t.Any]) -> t.Iterator[Endpoint]:
    for name in INSPECTED["mongodb"]:
        if name not in values:
            continue
        for path, item in _walk(values[name], name):
            if isinstance(item, dict) and isinstance(item.get("host"), str):
                host = item["host"]
                srv = host.startswith("mongodb+srv://")
                bare = urlsplit(host).hostname if "://" in host else host.split(",")[0]
                tls = bool(item.get("tls", item.get("ssl", False))) or srv
                has_password = bool(item.get("password"))
                yield Endpoint("mongodb", path, (bare or "").split(":")[0], item.get("port"),
                               tls, has_password, host)


def _elasticsearch(values: dict[str, t.Any]) -> t.Iterator[Endpoint]:
    for name in INSPECTED["elasticsearch"]:
        if name not in values:
            continue
        for path, item in _walk(values[name], name):
            if isinstance(item, dict) and isinstance(item.get("host"), str):
                yield Endpoint("elasticsearch", path, item["host"], item.get("port"),
                               bool(item.get("use_ssl")), bool(item.get("http_auth")),
                               item["host"])
            elif isinstance(item, str) and "://" in item:
                parts = urlsplit(item)
                yield Endpoint("elasticsearch", path, parts.hostname or "", parts.port,
                               parts.scheme == "https", bool(parts.password), item)


def _smtp(values: dict[str, t.Any]) -> t.Iterator[Endpoint]:
    if isinstance(values.get("EMAIL_HOST"), str):
        tls = bool(values.get("EMAIL_USE_TLS")) or bool(values.get("EMAIL_USE_SSL"))
        yield Endpoint("smtp", "EMAIL_HOST", values["EMAIL_HOST"], values.get("EMAIL_PORT"),
                       tls, bool(values.get("EMAIL_HOST_PASSWORD")), values["EMAIL_HOST"])


def endpoints(values: dict[str, t.Any]) -> list[Endpoint]:
    """Every data store endpoint a settings namespace holds."""
    found: dict[tuple[str, str], Endpoint] = {}
    for extractor in (_mysql, _mongodb, _elasticsearch, _smtp):
        for endpoint in extractor(values):
            found[(endpoint.store, endpoint.setting)] = endpoint
    for name, value in values.items():
        for path, item in _walk(value, name):
            if isinstance(item, str):
                endpoint = _from_url(path, item)
                if endpoint and (endpoint.store, path) not in found:
                    found[(endpoint.store, path)] = endpoint
    return list(found.values())


# ---- what the configured stores require ----------------------------------------------


def _configured(config: dict[str, t.Any], store: str) -> bool:
    """Whether the store has a real endpoint yet (before `tutor eks infra apply` the
    Tutor keys still name the in-cluster services: nothing to compare against)."""
    if store in ("redis", "mysql", "mongodb"):
        return datastores.configured(config, f"{store.upper()}_HOST")
    if store == "meilisearch":
        return urlsplit(str(config.get("MEILISEARCH_URL", ""))).hostname != "meilisearch"
    if store == "smtp":
        return config.get("SMTP_HOST") not in ("", None, "smtp")
    return True  # elasticsearch: this plugin never runs it, whatever the config says


def _requirements(config: dict[str, t.Any], endpoint: Endpoint) -> tuple[bool, bool] | None:
    """(TLS required, password required) when the endpoint is a store this plugin
    configures; None for a host it knows nothing about."""
    store, host = endpoint.store, endpoint.host
    if store == "redis" and host == config.get("REDIS_HOST"):
        return bool(config.get("EKS_REDIS_TLS")), bool(config.get("REDIS_PASSWORD"))
    if store == "mysql" and host == config.get("MYSQL_HOST"):
        return bool(config.get("EKS_MYSQL_TLS")), True
    if store == "mongodb" and host and host in str(config.get("MONGODB_HOST", "")):
        return bool(config.get("EKS_MONGODB_TLS")), bool(config.get("MONGODB_PASSWORD"))
    if store == "smtp" and host == config.get("SMTP_HOST"):
        tls = bool(config.get("SMTP_USE_TLS") or config.get("SMTP_USE_SSL"))
        return tls or bool(SES_HOST_RE.match(host)), bool(config.get("SMTP_PASSWORD"))
    if store == "elasticsearch" and host and host == search.opensearch_host(config):
        return True, bool(config.get("EKS_OPENSEARCH_PASSWORD"))
    return None


def problems(endpoint: Endpoint, config: dict[str, t.Any]) -> list[str]:
    removed = REMOVED_HOSTS.get(endpoint.host)
    if removed:
        if _configured(config, removed):
            return [f"points at '{endpoint.host}', the in-cluster {removed} "
                    "tutor-contrib-eks removed"]
        return []
    required = _requirements(config, endpoint)
    if required is None:
        return []
    found = []
    if required[0] and not endpoint.tls:
        found.append(f"plaintext connection to {endpoint.host}, which requires TLS")
    if required[1] and not endpoint.password:
        found.append(f"no password for {endpoint.host}, which requires one")
    return found


# ---- who wrote it --------------------------------------------------------------------


def _patches_by_plugin(config: dict[str, t.Any]) -> dict[str, str]:
    """Each enabled plugin's patch text, concatenated (from Tutor's hook contexts)."""
    from tutor import hooks

    texts = {}
    for name in config.get("PLUGINS", []):
        context = hooks.Contexts.app(name).name
        items = hooks.Filters.ENV_PATCHES.iterate_from_context(context)
        texts[name] = "\n".join(content for _name, content in items)
    return texts


def author(endpoint: Endpoint, file_owner: str, patches: dict[str, str]) -> str:
    """The plugin whose patch wrote this value (its text, else the setting's name, in
    that plugin's patches); else the plugin that rendered the file."""
    top = endpoint.setting.split("[", 1)[0]
    for needle in (endpoint.raw, top):
        if not needle:
            continue
        pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(needle)}(?![A-Za-z0-9_])")
        writers = [n for n, text in patches.items() if n != "eks" and pattern.search(text)]
        if len(writers) == 1:
            return writers[0]
    return file_owner


# ---- the policy ----------------------------------------------------------------------


def settings_endpoints(env_root: Path, config: dict[str, t.Any]) -> list[str]:
    found = []
    patches = _patches_by_plugin(config)
    for path in django_settings.settings_files(env_root):
        owner = django_settings.owner(env_root, path)
        values = django_settings.execute(path, django_settings.seed(env_root, path)).values
        relative = path.relative_to(env_root.parent)
        for endpoint in endpoints(values):
            for problem in problems(endpoint, config):
                plugin = author(endpoint, owner, patches)
                found.append(
                    f"plugin {plugin}: {relative}: {endpoint.setting}: {problem}. "
                    f"Fix: {FIXES[endpoint.store]}."
                )
    return found


ENV_POLICIES = [settings_endpoints]
