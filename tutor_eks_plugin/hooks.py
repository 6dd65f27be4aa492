"""Hooks that other plugins can use to extend this one.

Add a route (its own Ingress host, or a path on an existing host)::

    from tutor_eks_plugin.hooks import INGRESS_ROUTES

    @INGRESS_ROUTES.add()
    def _my_routes(routes, config):
        routes.append({"host": config["MYAPP_HOST"], "service": "myapp", "port": 8000})
        return routes

Each route is a dict with `host`, `service`, `port` and optional `path` (default
`/`) and `max_body_size` (NGINX size such as `10m`). Routes from this hook override
routes read from Tutor's Caddyfile patches for the same host and path.
"""

from __future__ import annotations

import typing as t

from tutor.core.hooks import Filter

INGRESS_ROUTES: Filter[list[dict[str, t.Any]], [dict[str, t.Any]]] = Filter()
