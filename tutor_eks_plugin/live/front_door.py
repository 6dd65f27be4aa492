"""HTTP checks through the front door: the public hosts, the ALB lock, WAF, redirects.

The public hosts are the hosts of the rendered Ingresses (one truth: the routes the
plugin publishes), each probed on the path that proves its backend answers.
"""

from __future__ import annotations

import datetime
import http.client
import ssl
import typing as t

from ..settings import search
from .aws import AWS, CERT_MIN_DAYS
from .context import Target
from .report import Result, fail, ok, warn
from .resolve import Response, request

# Backend service of a host's root path -> (path to probe, statuses that prove it works).
# Any other service (MFE, notes, ...) must answer its root with a non-error status.
PROBES: dict[str, tuple[str, tuple[int, ...]]] = {
    "lms": ("/heartbeat", (200,)),
    "cms": ("/heartbeat", (200,)),
    search.SERVICE_NAME: ("/health", (200,)),  # the external Meilisearch's route
}
DEFAULT_PROBE = ("/", tuple(range(200, 400)))
# A harmless SQL-injection pattern the AWS managed rule set (SQLi) blocks.
SQLI_PROBE_PATH = "/courses?search=1%27%20OR%20%271%27%3D%271"
REDIRECT_STATUSES = (301, 302, 307, 308)


def public_hosts(target: Target) -> list[tuple[str, str]]:
    """(host, backend service of its root path) of every rendered Ingress/VirtualServer."""
    hosts: dict[str, str] = {}
    for ingress in target.rendered("Ingress"):
        for rule in ingress["spec"].get("rules", []):
            paths = rule.get("http", {}).get("paths", [])
            root = next((p for p in paths if p.get("path") == "/"), paths[0] if paths else None)
            service = (root or {}).get("backend", {}).get("service", {}).get("name", "")
            hosts.setdefault(rule["host"], service)
    # The F5 controller serves the MFE host through a VirtualServer (its root redirect).
    for server in target.rendered("VirtualServer"):
        upstreams = {u["name"]: u["service"] for u in server["spec"].get("upstreams", [])}
        root = next((r for r in server["spec"].get("routes", []) if r.get("path") == "/"), {})
        hosts.setdefault(server["spec"]["host"],
                         upstreams.get(root.get("action", {}).get("pass", ""), ""))
    return sorted(hosts.items())


def _get(target: Target, scheme: str, host: str, path: str, **kw: t.Any) -> t.Union[Response, str]:
    try:
        return request(target.resolver, scheme, host, path, cacert=target.cacert,
                       timeout=target.timeout, **kw)
    except ssl.SSLCertVerificationError as exc:
        return f"TLS certificate refused: {exc.verify_message}"
    except (OSError, ssl.SSLError, http.client.HTTPException) as exc:
        return f"{type(exc).__name__}: {exc}"


def hosts(target: Target) -> list[Result]:
    results = []
    for host, service in public_hosts(target):
        path, expected = PROBES.get(service, DEFAULT_PROBE)
        got = _get(target, "https", host, path)
        if isinstance(got, str):
            results.append(fail(f"GET {path}: {got}", "check DNS (or --resolve), CloudFront and "
                                "the certificate", host))
        elif got.status in expected:
            results.append(ok(f"GET {path} -> {got.status}", host))
        else:
            results.append(fail(
                f"GET {path} -> {got.status}, expected {_statuses(expected)}",
                f"kubectl -n {target.namespace} logs deployment/{service}" if service else
                "look at the ingress controller's logs", host))
    return results or [fail("no Ingress rendered", "run `tutor config save`")]


def certificates(target: Target) -> list[Result]:
    results = []
    now = datetime.datetime.now(datetime.timezone.utc)
    for host, _service in public_hosts(target):
        got = _get(target, "https", host, "/")
        if isinstance(got, str):
            results.append(fail(got, "fix the certificate CloudFront serves for this host", host))
            continue
        days = (got.cert_not_after - now).days if got.cert_not_after else -1
        seen = f"served certificate valid {days} more day(s)"
        if days <= CERT_MIN_DAYS:
            results.append(fail(seen, "ACM renewal is stuck: check the validation CNAME records",
                                host))
        else:
            results.append(ok(seen, host))
    return results


def origin_lock(target: Target) -> list[Result]:
    alb = target.output(AWS, "alb_dns_name")
    lms = str(target.config["LMS_HOST"])
    if not alb:
        return [fail("no alb_dns_name output", "apply stage aws")]
    got = _get(target, "https", alb, "/heartbeat", sni_host=lms)
    if isinstance(got, str):
        # Unreachable from here is as locked as a 403 (security group: CloudFront only).
        if "timed out" in got or "refused" in got:
            return [ok(f"{alb} does not answer this machine ({got})", alb)]
        return [fail(got, "check the ALB listener certificate", alb)]
    if got.status == 403:
        return [ok(f"GET /heartbeat as {lms} without the origin header -> 403", alb)]
    return [fail(f"GET /heartbeat as {lms} without the origin header -> {got.status}",
                 "the ALB must answer 403 without CloudFront's header: re-apply stage aws "
                 "(listener rules)", alb)]


def waf(target: Target) -> list[Result]:
    lms = str(target.config["LMS_HOST"])
    got = _get(target, "https", lms, SQLI_PROBE_PATH)
    if isinstance(got, str):
        return [fail(got, "check DNS (or --resolve) and CloudFront", lms)]
    if got.status == 403:
        return [ok("SQL-injection probe -> 403 (blocked)", lms)]
    return [fail(f"SQL-injection probe -> {got.status}, not blocked",
                 "attach the WAF web ACL (aws.cloudfront) and keep the SQLi rule set on", lms)]


def https_redirect(target: Target) -> list[Result]:
    results = []
    for host, _service in public_hosts(target):
        got = _get(target, "http", host, "/")
        if isinstance(got, str):
            results.append(fail(f"http://{host}/: {got}", "check CloudFront's port 80", host))
            continue
        location = got.headers.get("location", "")
        seen = f"http:// -> {got.status} {location}".rstrip()
        if got.status in REDIRECT_STATUSES and location.startswith(f"https://{host}"):
            results.append(ok(seen, host))
        elif got.status in REDIRECT_STATUSES:
            results.append(warn(seen, "redirects, but not to the same host over https", host))
        else:
            results.append(fail(seen, "set the viewer protocol policy to redirect-to-https", host))
    return results


def _statuses(expected: tuple[int, ...]) -> str:
    if len(expected) > 3:
        return f"{expected[0]}-{expected[-1]}"
    return "/".join(map(str, expected))
