"""`--resolve HOST[:PORT]=ADDR[:PORT]` and the HTTP(S) requests that honour it.

Like curl's --resolve: the request keeps its host name (Host header, TLS SNI and
certificate check) but the TCP connection goes to ADDR. A mapping without a port
applies to every port of the host; ADDR may carry a port of its own (local tests map
443 to an unprivileged port).
"""

from __future__ import annotations

import datetime
import http.client
import socket
import ssl
import typing as t
from dataclasses import dataclass, field


class BadResolve(ValueError):
    pass


def _split(text: str, what: str, raw: str) -> tuple[str, t.Optional[int]]:
    host, sep, port = text.rpartition(":") if text.count(":") == 1 else (text, "", "")
    if not sep:
        return text, None
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise BadResolve(f"--resolve {raw!r}: {what} port {port!r} is not a TCP port")
    return host, int(port)


@dataclass
class Resolver:
    # (host, port or None) -> (address, port or None)
    entries: dict[tuple[str, t.Optional[int]], tuple[str, t.Optional[int]]] = field(
        default_factory=dict
    )

    @classmethod
    def parse(cls, values: t.Iterable[str]) -> Resolver:
        resolver = cls()
        for raw in values:
            left, sep, right = raw.partition("=")
            if not sep or not left or not right:
                raise BadResolve(
                    f"--resolve {raw!r}: expected HOST[:PORT]=ADDR[:PORT], "
                    "e.g. learn.example.com=203.0.113.10"
                )
            host, port = _split(left.lower(), "host", raw)
            addr, addr_port = _split(right, "address", raw)
            resolver.entries[(host, port)] = (addr, addr_port)
        return resolver

    def address(self, host: str, port: int) -> tuple[str, int]:
        for key in ((host.lower(), port), (host.lower(), None)):
            if key in self.entries:
                addr, addr_port = self.entries[key]
                return addr, addr_port or port
        return host, port


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    cert_not_after: t.Optional[datetime.datetime] = None  # served certificate (HTTPS)


def request(
    resolver: Resolver,
    url_scheme: str,
    host: str,
    path: str,
    *,
    headers: t.Optional[dict[str, str]] = None,
    cacert: t.Optional[str] = None,
    timeout: float = 10.0,
    sni_host: t.Optional[str] = None,
) -> Response:
    """One GET, no redirects followed. `sni_host` sends the TLS name and Host header
    of one host to the address of another (the ALB checked with the LMS name)."""
    name = sni_host or host
    port = 443 if url_scheme == "https" else 80
    addr, addr_port = resolver.address(host, port)
    sock = socket.create_connection((addr, addr_port), timeout=timeout)
    conn: http.client.HTTPConnection
    not_after = None
    try:
        if url_scheme == "https":
            context = ssl.create_default_context(cafile=cacert)
            sock = context.wrap_socket(sock, server_hostname=name)
            peer = sock.getpeercert()
            if peer and "notAfter" in peer:
                not_after = datetime.datetime.fromtimestamp(
                    ssl.cert_time_to_seconds(str(peer["notAfter"])), datetime.timezone.utc
                )
            conn = http.client.HTTPSConnection(name, port, timeout=timeout, context=context)
        else:
            conn = http.client.HTTPConnection(name, port, timeout=timeout)
        conn.sock = sock  # already connected to the resolved address
        conn.request("GET", path, headers={"User-Agent": "tutor-eks-validate", **(headers or {})})
        reply = conn.getresponse()
        body = reply.read(65536)
        headers = {k.lower(): v for k, v in reply.getheaders()}
        return Response(reply.status, headers, body, not_after)
    finally:
        sock.close()
