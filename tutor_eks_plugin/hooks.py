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

Add egress the NetworkPolicies cannot derive from the render (an external API)::

    from tutor_eks_plugin.hooks import NETWORK_POLICY_EGRESS

    @NETWORK_POLICY_EGRESS.add()
    def _my_egress(items, config):
        items.append({"cidr": "203.0.113.0/24", "port": 443, "workloads": ["myapp"]})
        return items

Items have the shape of EKS_NETWORK_POLICY_EXTRA_EGRESS entries and are validated the
same way when the policies are rendered.

Add or change entries of the workload table (docs/workloads.md, "Other plugins"): the
shape a Deployment of your plugin gets (resources, replicas, probe, ...)::

    from dataclasses import replace
    from tutor_eks_plugin.hooks import WORKLOADS
    from tutor_eks_plugin.workloads import GENERIC_WEB

    @WORKLOADS.add()
    def _my_workloads(entries):
        entries.append(replace(GENERIC_WEB, name="myapp", plugin="myapp", port=8000,
                               probe="http", probe_path="/health/", probe_host="myapp",
                               derived=False))
        return entries

Entries are ``tutor_eks_plugin.workloads.Workload``; an entry is shaped when its
plugin is enabled and its Deployment is rendered. Users still override any value
with EKS_WORKLOADS.
"""

from __future__ import annotations

import typing as t

from tutor.core.hooks import Filter

INGRESS_ROUTES: Filter[list[dict[str, t.Any]], [dict[str, t.Any]]] = Filter()
NETWORK_POLICY_EGRESS: Filter[list[dict[str, t.Any]], [dict[str, t.Any]]] = Filter()
# Items are tutor_eks_plugin.workloads.Workload (not imported here: hooks.py is loaded
# on every `tutor` command).
WORKLOADS: Filter[list[t.Any], []] = Filter()
