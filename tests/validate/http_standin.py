"""Local stand-ins for CloudFront and the ALB: HTTPS (and HTTP) servers on 127.0.0.1.

They stand for the public front door, which cannot be reached from here. Each answers
by Host header and path with the statuses a real deployment gives (LMS/CMS /heartbeat,
Meilisearch /health, MFE /), blocks a SQL-injection query with 403 as AWS WAF does,
redirects plain HTTP to HTTPS as CloudFront's viewer policy does, and (as the ALB)
answers 403 without the secret origin header. `statuses` overrides any answer.
"""

from __future__ import annotations

import http.server
import ssl
import threading
import typing as t
from dataclasses import dataclass, field
from urllib.parse import unquote

from .pki import TestCa

ORIGIN_HEADER = "X-Origin-Verify"


@dataclass
class Behaviour:
    statuses: dict[tuple[str, str], int] = field(default_factory=dict)  # (host, path) -> status
    waf_blocks: bool = True
    redirect: bool = True
    alb: bool = False  # act as the ALB: 403 without the origin header
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


def _handler(behaviour: Behaviour, https: bool) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: t.Any) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            host = (self.headers.get("Host") or "").split(":")[0]
            behaviour.seen.append((host, self.path, dict(self.headers)))
            status, headers = self._answer(host)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            body = b"{}" if status < 300 else b"<html>%d</html>" % status
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _answer(self, host: str) -> tuple[int, dict[str, str]]:
            path = self.path.split("?")[0]
            if not https and behaviour.redirect:
                return 301, {"Location": f"https://{host}{self.path}"}
            if behaviour.alb and ORIGIN_HEADER not in self.headers:
                return 403, {}
            if behaviour.waf_blocks and "' OR '" in unquote(self.path):
                return 403, {"Server": "CloudFront"}
            if (host, path) in behaviour.statuses:
                return behaviour.statuses[(host, path)], {}
            if path in ("/heartbeat", "/health", "/"):
                return 200, {}
            return 404, {}

    return Handler


class Server:
    def __init__(self, behaviour: Behaviour, cert: t.Optional[tuple[str, str]] = None) -> None:
        self.behaviour = behaviour
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     _handler(behaviour, cert is not None))
        if cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*cert)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class FrontDoor:
    """CloudFront (HTTPS + HTTP) and the ALB stand-ins, and the --resolve that reaches them."""

    def __init__(self, ca: TestCa, hosts: list[str], alb: str, days: int = 90) -> None:
        cert = ca.issue(f"front-{days}", [*hosts, alb], days)
        pair = (str(cert.cert), str(cert.key))
        self.cloudfront = Behaviour()
        self.alb = Behaviour(alb=True)
        self.servers = [Server(self.cloudfront, pair), Server(self.cloudfront),
                        Server(self.alb, pair)]
        https, plain, alb_port = (s.port for s in self.servers)
        self.resolve = [f"{h}:443=127.0.0.1:{https}" for h in hosts]
        self.resolve += [f"{h}:80=127.0.0.1:{plain}" for h in hosts]
        self.resolve += [f"{alb}=127.0.0.1:{alb_port}"]

    def close(self) -> None:
        for server in self.servers:
            server.close()
