"""Public routes -> one Ingress per host, annotated for the chosen NGINX controller.

Routes come from four places, later ones overriding earlier ones for the same host
and path: Tutor's core hosts (LMS, CMS), the Caddyfile patches of other plugins
(see caddyfile.py), the INGRESS_ROUTES hook, and EKS_INGRESS_EXTRA_ROUTES.
"""

from __future__ import annotations

import math
import re
import typing as t
from dataclasses import dataclass, field

import jinja2

from .. import hooks as eks_hooks
from ..settings.ingress import COMMUNITY_NGINX
from ..settings.validators import quantity_text
from . import caddyfile


@dataclass(frozen=True)
class Route:
    host: str
    path: str
    service: str
    port: int
    max_body_size: str
    source: str


@dataclass
class Ingress:
    name: str
    host: str
    routes: list[Route] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)
    # Caddy redirected the MFE host's bare `/` to the LMS; the Ingress does the same.
    root_redirect: str | None = None

    @property
    def max_body_size(self) -> str:
        # One Ingress is one NGINX server: the largest limit of its routes applies.
        return max((r.max_body_size for r in self.routes), key=_size_in_bytes)


_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def _size_in_bytes(size: str) -> float:
    number, unit = re.match(r"^(\d+)([kKmMgG]?)$", size).groups()  # type: ignore[union-attr]
    value = int(number) * _UNITS[unit.lower()]
    # 0 means "no limit" in NGINX: it outranks every number, however large.
    return value if value else math.inf


def collect_routes(config: dict[str, t.Any], caddy_patches: dict[str, str]) -> list[Route]:
    default_size = quantity_text(config["EKS_INGRESS_DEFAULT_MAX_BODY_SIZE"])
    lms, cms = config["LMS_HOST"], config["CMS_HOST"]
    found: dict[tuple[str, str], Route] = {}

    def add(route: Route) -> None:
        found[(route.host, route.path)] = route

    # Sizes may arrive as YAML numbers (`--set EKS_INGRESS_LMS_MAX_BODY_SIZE=0`): an
    # annotation value must be a string.
    lms_size = quantity_text(config["EKS_INGRESS_LMS_MAX_BODY_SIZE"])
    cms_size = quantity_text(config["EKS_INGRESS_CMS_MAX_BODY_SIZE"])
    add(Route(lms, "/", "lms", 8000, lms_size, "tutor"))
    add(Route(cms, "/", "cms", 8000, cms_size, "tutor"))

    if config["EKS_INGRESS_IMPORT_CADDY_ROUTES"]:
        parsed = caddyfile.parse_sites(caddy_patches.get("caddyfile", ""))
        for patch_name, host in (("caddyfile-lms", lms), ("caddyfile-cms", cms)):
            body = caddy_patches.get(patch_name, "")
            parsed += [r for r in caddyfile.parse_block_text(host, body) if r.path != "/"]
        for r in parsed:
            if (r.host, r.path) in found and found[(r.host, r.path)].source == "tutor":
                continue  # the core hosts keep their own limits
            add(Route(r.host, r.path, r.service, r.port, r.max_body_size or default_size, "caddy"))

    for source, items in (
        ("hook", eks_hooks.INGRESS_ROUTES.apply([], config)),
        ("config", config["EKS_INGRESS_EXTRA_ROUTES"]),
    ):
        for item in items:
            add(
                Route(
                    item["host"],
                    item.get("path", "/"),
                    item["service"],
                    int(item["port"]),
                    quantity_text(item.get("max_body_size", default_size)),
                    source,
                )
            )
    return list(found.values())


def annotations(config: dict[str, t.Any], ingress: Ingress) -> dict[str, str]:
    timeout = config["EKS_INGRESS_PROXY_TIMEOUT_SECONDS"]
    size = ingress.max_body_size
    if config["EKS_INGRESS_CONTROLLER"] == COMMUNITY_NGINX:
        # The community controller reads X-Forwarded-* only when its ConfigMap sets
        # use-forwarded-headers (the operator's job: stage 2 installs the F5 one).
        result = {
            "nginx.ingress.kubernetes.io/proxy-body-size": size,
            "nginx.ingress.kubernetes.io/proxy-read-timeout": str(timeout),
            "nginx.ingress.kubernetes.io/proxy-send-timeout": str(timeout),
        }
    else:
        result = {
            "nginx.org/client-max-body-size": size,
            "nginx.org/proxy-read-timeout": f"{timeout}s",
            "nginx.org/proxy-send-timeout": f"{timeout}s",
        }
        if config["EKS_INGRESS_FORCE_HTTPS"]:
            # TLS ends at the ALB: redirect on X-Forwarded-Proto=http, and pass
            # X-Forwarded-Proto=https upstream so Django builds https URLs.
            result["nginx.org/redirect-to-https"] = "true"
    result.update(config["EKS_INGRESS_EXTRA_ANNOTATIONS"])
    return result


def build_ingresses(config: dict[str, t.Any], caddy_patches: dict[str, str]) -> list[Ingress]:
    by_host: dict[str, Ingress] = {}
    for route in collect_routes(config, caddy_patches):
        by_host.setdefault(route.host, Ingress(name="", host=route.host)).routes.append(route)
    used: set[str] = set()
    for ingress in by_host.values():
        ingress.routes.sort(key=lambda r: (-len(r.path), r.path))
        root = next((r for r in ingress.routes if r.path == "/"), ingress.routes[-1])
        name = root.service
        suffix = 2
        while name in used:
            name, suffix = f"{root.service}-{suffix}", suffix + 1
        used.add(name)
        ingress.name = name
        ingress.annotations = annotations(config, ingress)
        if config.get("MFE_HOST") and ingress.host == config["MFE_HOST"]:
            scheme = "https" if config.get("ENABLE_HTTPS") else "http"
            ingress.root_redirect = f"{scheme}://{config['LMS_HOST']}/"
    return sorted(by_host.values(), key=lambda i: i.name)


CADDY_PATCHES = ("caddyfile", "caddyfile-lms", "caddyfile-cms")


@jinja2.pass_context
def ingresses_for_template(context: jinja2.runtime.Context) -> list[Ingress]:
    """Template variable `eks_ingresses()`: the Ingress specs of the current render."""
    patch = context["patch"]
    config = {k: v for k, v in context.get_all().items() if k.isupper()}
    return build_ingresses(config, {name: patch(name) for name in CADDY_PATCHES})


TEMPLATE_VARIABLES: list[tuple[str, t.Any]] = [("eks_ingresses", ingresses_for_template)]
