"""What the plugin renders for search: the public route of the external Meilisearch and
the OpenSearch values of the settings partial.

The keys, the derived Meilisearch target (``meilisearch_view``) and their rules are in
``settings/search.py``; this module turns them into a route and a template view.
"""

from __future__ import annotations

import typing as t

from ..settings import search


def meilisearch_route(
    routes: list[dict[str, t.Any]], config: dict[str, t.Any]
) -> list[dict[str, t.Any]]:
    """INGRESS_ROUTES callback (plugin.py): MEILISEARCH_HOST -> the Service
    `meilisearch-external` (search.yml), when the external Meilisearch is published."""
    view = search.meilisearch_view(config)
    if view["route"]:
        routes.append(
            {"host": view["public_host"], "service": search.SERVICE_NAME, "port": view["port"]}
        )
    return routes


def opensearch_view(config: dict[str, t.Any]) -> dict[str, t.Any]:
    """What the settings partial needs to point edx-search and the forum at OpenSearch."""
    return {
        "lms": bool(config["EKS_OPENSEARCH_LMS_SEARCH"]),
        "forum": bool(config["EKS_OPENSEARCH_FORUM_SEARCH"])
        and "forum" in config.get("PLUGINS", []),
        "host": search.opensearch_host(config),
        "port": config["EKS_OPENSEARCH_PORT"],
    }
