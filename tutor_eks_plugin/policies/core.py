"""Core policies: Caddy and the data stores are gone, every public host is routed."""

from __future__ import annotations

import typing as t

from ..settings.ingress import COMMUNITY_NGINX
from . import Objects, named

# Stores that run outside the cluster once the plugin is enabled.
DATA_STORES = ("mysql", "mongodb", "redis", "meilisearch", "smtp", "elasticsearch")
HINTS = {
    "elasticsearch": " (tutor-discovery: set DISCOVERY_RUN_ELASTICSEARCH=false and point "
    "DISCOVERY_ELASTICSEARCH_HOST (and _SCHEME, _PORT) at Amazon OpenSearch)",
}
ANNOTATION_PREFIX = {COMMUNITY_NGINX: "nginx.ingress.kubernetes.io/"}
F5_PREFIX = "nginx.org/"


def no_caddy(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    return [
        f"{o['kind']}/{o['metadata']['name']}: Caddy is still rendered"
        for o in objects
        if o["metadata"]["name"] == "caddy" or o["metadata"]["name"].startswith("caddy-config")
    ]


def no_data_store_pods(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    found = []
    for o in objects:
        name, kind = o["metadata"]["name"], o["kind"]
        if name not in DATA_STORES and not name.startswith("redis-config"):
            continue
        if kind == "Service" and not o.get("spec", {}).get("selector"):
            continue  # a selector-less Service that points at the external host is fine
        store = name.split("-")[0]
        found.append(f"{kind}/{name}: {store} must run outside the cluster{HINTS.get(store, '')}")
    return found


def _routed_hosts(objects: Objects) -> dict[str, str]:
    hosts = {}
    for name, ingress in named(objects, "Ingress").items():
        for rule in ingress["spec"].get("rules", []):
            hosts[rule.get("host", "")] = name
    # The F5 controller serves the MFE host through a VirtualServer (its root redirect).
    for name, server in named(objects, "VirtualServer").items():
        hosts[server["spec"].get("host", "")] = name
    return hosts


def public_hosts_routed(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    expected = {"LMS_HOST": config["LMS_HOST"], "CMS_HOST": config["CMS_HOST"]}
    if "mfe" in config.get("PLUGINS", []):
        expected["MFE_HOST"] = config["MFE_HOST"]
    routed = _routed_hosts(objects)
    return [
        f"{key}={host}: no Ingress routes this host"
        for key, host in expected.items()
        if host not in routed
    ]


def ingress_backends_exist(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    services = named(objects, "Service")
    found = []
    for name, ingress in named(objects, "Ingress").items():
        for rule in ingress["spec"].get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                backend = path["backend"]["service"]
                service = services.get(backend["name"])
                if service is None:
                    found.append(
                        f"Ingress/{name}: backend Service {backend['name']} is not rendered"
                    )
                    continue
                ports = {p.get("port") for p in service["spec"].get("ports", [])}
                if backend["port"].get("number") not in ports:
                    found.append(
                        f"Ingress/{name}: Service {backend['name']} has no port "
                        f"{backend['port'].get('number')}"
                    )
    return found


def ingress_class_and_flavour(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    flavour = config["EKS_INGRESS_CONTROLLER"]
    own = ANNOTATION_PREFIX.get(flavour, F5_PREFIX)
    foreign = {F5_PREFIX, *ANNOTATION_PREFIX.values()} - {own}
    found = []
    for name, ingress in named(objects, "Ingress").items():
        if ingress["spec"].get("ingressClassName") != config["EKS_INGRESS_CLASS_NAME"]:
            found.append(
                f"Ingress/{name}: ingressClassName is {ingress['spec'].get('ingressClassName')!r}, "
                f"expected {config['EKS_INGRESS_CLASS_NAME']!r}"
            )
        keys = ingress["metadata"].get("annotations", {})
        if not any(k.startswith(own) for k in keys):
            found.append(f"Ingress/{name}: no {own}* annotation for the {flavour} controller")
        for key in keys:
            if any(key.startswith(p) for p in foreign):
                found.append(f"Ingress/{name}: annotation {key} is for another controller")
    return found


def services_select_pods(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    """A Service whose selector matches no pod template would route nowhere."""
    templates = [
        o["spec"]["template"]["metadata"].get("labels", {})
        for o in objects
        if o.get("kind") in ("Deployment", "StatefulSet", "DaemonSet")
    ]
    found = []
    for name, service in named(objects, "Service").items():
        selector = service["spec"].get("selector")
        if not selector:
            continue
        if not any(all(labels.get(k) == v for k, v in selector.items()) for labels in templates):
            found.append(f"Service/{name}: selector {selector} matches no pod template")
    return found


POLICIES = [
    no_caddy,
    no_data_store_pods,
    public_hosts_routed,
    ingress_backends_exist,
    ingress_class_and_flavour,
    services_select_pods,
]
