"""Search: Meilisearch outside the cluster (required), Amazon OpenSearch (opt-in extra).

Tutor 22 needs Meilisearch: Studio's search queries it from the browser at
MEILISEARCH_PUBLIC_URL, so the plugin publishes MEILISEARCH_HOST through the ingress to
the external server (a selector-less Service `meilisearch-external` plus an EndpointSlice, or an
ExternalName Service). OpenSearch can only serve what edx-search's ElasticSearchEngine
and the forum's Elasticsearch backend support (elasticsearch-py 7.9.1 in the image).
"""

from __future__ import annotations

import ipaddress
import re
import typing as t
from urllib.parse import urlsplit

from . import Rule, Setting
from .ingress import F5_NGINX
from .validators import Boolean, Integer, Pattern, Secret, Validator, host

_HOST = r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?"
URL_RE = re.compile(rf"^https?://{_HOST}(:[0-9]{{1,5}})?/?$")
IN_CLUSTER_NAME = "meilisearch"
SERVICE_NAME = "meilisearch-external"

SETTINGS: list[Setting] = [
    Setting(
        "MEILISEARCH_ROUTE",
        True,
        Boolean(),
        "Publish MEILISEARCH_HOST (the browser's MEILISEARCH_PUBLIC_URL) through the "
        "ingress to the external Meilisearch at MEILISEARCH_URL.",
    ),
    Setting(
        "OPENSEARCH_LMS_SEARCH",
        False,
        Boolean(),
        "Use Amazon OpenSearch (EKS_OPENSEARCH_ENDPOINT) for edx-search: courseware, "
        "course discovery and dashboard search (LMS queries, Studio indexes). Studio's "
        "content search stays on Meilisearch.",
    ),
    Setting(
        "OPENSEARCH_FORUM_SEARCH",
        False,
        Boolean(),
        "Use Amazon OpenSearch for the forum's search (forum plugin) instead of Meilisearch.",
    ),
    Setting(
        "OPENSEARCH_USERNAME",
        "",
        Pattern(
            re.compile(r"^[A-Za-z0-9_.@-]{0,64}$"), "an OpenSearch internal user name or ''", True
        ),
        "OpenSearch fine-grained access control user (edx-search cannot sign requests "
        "with IAM SigV4, so HTTP basic auth over TLS is the only option).",
    ),
    Setting(
        "OPENSEARCH_PASSWORD",
        "",
        Secret(),
        "Password of EKS_OPENSEARCH_USERNAME (kept in config.yml and the rendered settings).",
    ),
    Setting(
        "OPENSEARCH_PORT",
        443,
        Integer(1, 65535),
        "HTTPS port of the OpenSearch domain endpoint.",
    ),
]

TUTOR_KEYS: dict[str, Validator] = {
    "MEILISEARCH_URL": Pattern(
        URL_RE, "an http(s)://host[:port] URL such as 'http://10.0.3.12:7700'"
    ),
    "MEILISEARCH_PUBLIC_URL": Pattern(
        URL_RE, "an http(s)://host URL such as 'https://meilisearch.learn.example.com'"
    ),
    "MEILISEARCH_HOST": host(),
    "MEILISEARCH_INDEX_PREFIX": Pattern(
        re.compile(r"^[A-Za-z0-9_-]{0,64}$"), "letters, digits, '_' or '-'", True
    ),
    "MEILISEARCH_MASTER_KEY": Secret(),
    "MEILISEARCH_API_KEY": Secret(),
}


def _url_parts(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname or "", parts.port or default


def _is_ip(value: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(value), ipaddress.IPv4Address)
    except ValueError:
        return False


def meilisearch_view(config: dict[str, t.Any]) -> dict[str, t.Any]:
    scheme, url_host, port = _url_parts(str(config["MEILISEARCH_URL"]))
    external = url_host not in ("", IN_CLUSTER_NAME)
    return {
        "external": external,
        "service": SERVICE_NAME,
        "route": external and bool(config["EKS_MEILISEARCH_ROUTE"]),
        "host": url_host,
        "port": port,
        # An IP gets an EndpointSlice (read by both NGINX controllers); a DNS name an
        # ExternalName Service (community ingress-nginx; F5 needs NGINX Plus for it).
        "backend": "endpointslice" if _is_ip(url_host) else "externalname",
        "public_host": config["MEILISEARCH_HOST"],
    }


def _endpoint_host(endpoint: str) -> str:
    return endpoint.removeprefix("https://").rstrip("/")


def opensearch_host(config: dict[str, t.Any]) -> str:
    """The Amazon OpenSearch host name ('' when none is configured)."""
    return _endpoint_host(str(config.get("EKS_OPENSEARCH_ENDPOINT") or ""))


def _meilisearch_rule(config: dict[str, t.Any]) -> list[str]:
    found = []
    view = meilisearch_view(config)
    if len(str(config.get("MEILISEARCH_MASTER_KEY", ""))) < 16:
        found.append(
            "MEILISEARCH_MASTER_KEY is shorter than 16 characters: Meilisearch refuses it "
            "in production."
        )
    if not view["route"]:
        return found
    if urlsplit(str(config["MEILISEARCH_URL"])).scheme == "https":
        found.append(
            f"MEILISEARCH_URL={config['MEILISEARCH_URL']!r} is https: the ingress route proxies "
            "plain HTTP to Meilisearch on the private network. Use http:// to the private "
            "address, or set EKS_MEILISEARCH_ROUTE=false and publish MEILISEARCH_HOST yourself."
        )
    if view["backend"] == "externalname" and config.get("EKS_INGRESS_CONTROLLER") == F5_NGINX:
        found.append(
            f"MEILISEARCH_URL={config['MEILISEARCH_URL']!r} names a host: the F5 NGINX Ingress "
            "Controller proxies to ExternalName Services only with NGINX Plus and "
            "`resolver-addresses`. Give MEILISEARCH_URL the instance's private IP "
            "(e.g. 'http://10.0.3.12:7700'), or set EKS_MEILISEARCH_ROUTE=false."
        )
    return found


def _opensearch_rule(config: dict[str, t.Any]) -> list[str]:
    lms, forum = config.get("EKS_OPENSEARCH_LMS_SEARCH"), config.get("EKS_OPENSEARCH_FORUM_SEARCH")
    if not (lms or forum):
        return []
    found = []
    if not config.get("EKS_OPENSEARCH_ENDPOINT"):
        found.append(
            "OpenSearch search is on (EKS_OPENSEARCH_LMS_SEARCH / EKS_OPENSEARCH_FORUM_SEARCH) "
            "but EKS_OPENSEARCH_ENDPOINT is empty: enable OpenSearch in the infra step or set it."
        )
    if not (config.get("EKS_OPENSEARCH_USERNAME") and config.get("EKS_OPENSEARCH_PASSWORD")):
        found.append(
            "OpenSearch search is on but EKS_OPENSEARCH_USERNAME or EKS_OPENSEARCH_PASSWORD is "
            "empty: Open edX's Elasticsearch client authenticates with a fine-grained access "
            "control user (it cannot sign IAM requests)."
        )
    if forum and "forum" not in config.get("PLUGINS", []):
        found.append("EKS_OPENSEARCH_FORUM_SEARCH=true but the forum plugin is not enabled.")
    return found


RULES: list[Rule] = [_meilisearch_rule, _opensearch_rule]
