"""Read the routes other plugins publish through Tutor's Caddyfile patches.

Official plugins (notes, credentials, discovery, xqueue, ...) publish their host by
adding a site block to the `caddyfile` patch, e.g.::

    notes.example.com{$default_site_port} {
        import proxy "notes:8000"
    }

With Caddy gone those hosts would lose their route. Instead of a list of special
cases, the plugin reads the rendered patch: every site block that proxies to
`service:port` becomes a route, `handle`/`handle_path`/`route` blocks with a path
become path routes, and `request_body { max_size N }` becomes the body limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SITE_PORT = "{$default_site_port}"
_PROXY_RE = re.compile(r'^(?:import\s+proxy\s+"?([^"\s]+)"?|reverse_proxy\s+(\S+))')
_MAX_SIZE_RE = re.compile(r"^max_size\s+(\d+)\s*([KMGkmg]?)[Bb]?$")
_PATH_BLOCK_RE = re.compile(r"^(?:handle|handle_path|route)\s+(/\S*)\s*\{$")


@dataclass(frozen=True)
class CaddyRoute:
    host: str
    path: str
    service: str
    port: int
    max_body_size: str | None


def _lines(text: str) -> list[str]:
    out = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.strip().startswith("#") else ""
        if line:
            out.append(line)
    return out


def _nginx_size(number: str, unit: str) -> str:
    return f"{number}{unit.lower()}" if unit else number


def _target(line: str) -> tuple[str, int] | None:
    match = _PROXY_RE.match(line)
    if not match:
        return None
    target = (match.group(1) or match.group(2)).removeprefix("http://")
    service, _, port = target.partition(":")
    if not port.isdigit():
        return None
    return service, int(port)


def _caddy_path_prefix(path: str) -> str:
    """Caddy matchers like `/api/*` or `/api*` become the Ingress prefix `/api`."""
    prefix = path.rstrip("*").rstrip("/")
    return prefix or "/"


def parse_block_body(host: str, lines: list[str]) -> list[CaddyRoute]:
    """Routes inside one site block's body (the lines between its braces)."""
    routes: list[CaddyRoute] = []
    host_limit: str | None = None
    root_target: tuple[str, int] | None = None
    depth = 0
    path: str | None = None
    path_target: tuple[str, int] | None = None
    in_request_body = False
    for line in lines:
        if depth == 0:
            path_match = _PATH_BLOCK_RE.match(line)
            if path_match:
                path, path_target, depth = _caddy_path_prefix(path_match.group(1)), None, 1
                continue
            if line.startswith("request_body") and line.endswith("{"):
                in_request_body, depth = True, 1
                continue
            if line.endswith("{"):
                depth = 1
                continue
            target = _target(line)
            if target:
                root_target = target
            continue
        # Inside a nested block.
        if in_request_body:
            size = _MAX_SIZE_RE.match(line)
            if size:
                host_limit = _nginx_size(*size.groups())
        elif path is not None:
            target = _target(line)
            if target:
                path_target = target
        depth += line.count("{") - line.count("}")
        if depth == 0:
            if path is not None and path_target and path != "/":
                routes.append(CaddyRoute(host, path, *path_target, None))
            path, in_request_body = None, False
    if root_target:
        routes.insert(0, CaddyRoute(host, "/", *root_target, host_limit))
    return routes


def parse_block_text(host: str, text: str) -> list[CaddyRoute]:
    """Routes of a site block's body given as text (the `caddyfile-lms` patch, say)."""
    return parse_block_body(host, _lines(text))


def parse_sites(text: str) -> list[CaddyRoute]:
    """Routes of every top-level site block in a rendered Caddyfile fragment."""
    routes: list[CaddyRoute] = []
    lines = _lines(text)
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.endswith("{"):
            continue
        address = line[:-1].strip()
        body: list[str] = []
        depth = 1
        while index < len(lines) and depth > 0:
            inner = lines[index]
            index += 1
            depth += inner.count("{") - inner.count("}")
            if depth > 0:
                body.append(inner)
        host = _site_host(address)
        if host:
            routes.extend(parse_block_body(host, body))
    return routes


def _site_host(address: str) -> str | None:
    """`notes.example.com{$default_site_port}` -> `notes.example.com`."""
    address = address.replace(_SITE_PORT, "").strip()
    if not address or address.startswith("(") or " " in address:
        # Snippets such as `(proxy)` and multi-address blocks are not hosts we route.
        return None
    address = re.sub(r"^https?://", "", address)
    host = address.split(":", 1)[0].strip().lower()
    return host or None
