"""HTTP checks against local HTTPS servers with a test CA, reached through --resolve."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
from tutor_cli import Rendered

from tutor_eks_plugin.live import checks, front_door
from tutor_eks_plugin.live.resolve import BadResolve, Resolver

from .conftest import LMS, make_target, stage_outputs
from .http_standin import FrontDoor
from .pki import TestCa

ALB = stage_outputs()["aws"]["alb_dns_name"]


@pytest.fixture
def door(site: Rendered, ca: TestCa) -> t.Iterator[FrontDoor]:
    hosts = [h for h, _ in front_door.public_hosts(make_target(site))]
    made = FrontDoor(ca, hosts, ALB)
    yield made
    made.close()


def _run(site: Rendered, door: FrontDoor, ca: TestCa) -> dict[tuple[str, str], t.Any]:
    target = make_target(site, resolver=Resolver.parse(door.resolve), cacert=str(ca.path),
                         timeout=5)
    return {(r.check, r.subject): r for r in checks.run(target, ["http"])}


def test_public_hosts_are_the_rendered_ingress_hosts(site: Rendered) -> None:
    hosts = dict(front_door.public_hosts(make_target(site)))
    assert hosts[LMS] == "lms" and hosts[f"studio.{LMS}"] == "cms"
    assert hosts[f"apps.{LMS}"] == "mfe"
    assert site.config.get("MEILISEARCH_HOST", f"meilisearch.{LMS}") in hosts
    assert set(hosts) == {r["host"] for i in site.objects if i["kind"] == "Ingress"
                          for r in i["spec"]["rules"]} | {
        v["spec"]["host"] for v in site.objects if v["kind"] == "VirtualServer"}


def test_a_working_front_door_passes(site: Rendered, door: FrontDoor, ca: TestCa) -> None:
    results = _run(site, door, ca)
    assert [r for r in results.values() if r.status != "ok"] == []
    assert results[("http.hosts", LMS)].seen == "GET /heartbeat -> 200"
    assert results[("http.hosts", f"apps.{LMS}")].seen == "GET / -> 200"
    assert results[("http.hosts", f"meilisearch.{LMS}")].seen == "GET /health -> 200"
    assert results[("http.origin-lock", ALB)].status == "ok"
    # The ALB was asked with the LMS name and no origin header; every host got its probe.
    assert door.alb.seen[0][0] == LMS
    assert (LMS, "/heartbeat") in {(h, p) for h, p, _ in door.cloudfront.seen}


@pytest.mark.parametrize("host, path, status", [
    (f"studio.{LMS}", "/heartbeat", 500), (f"studio.{LMS}", "/heartbeat", 503),
    (LMS, "/heartbeat", 502), (f"apps.{LMS}", "/", 404), (f"meilisearch.{LMS}", "/health", 503),
])
def test_each_bad_status_fails_its_host(
    site: Rendered, door: FrontDoor, ca: TestCa, host: str, path: str, status: int
) -> None:
    door.cloudfront.statuses[(host, path)] = status
    results = _run(site, door, ca)
    bad = results[("http.hosts", host)]
    assert bad.status == "fail" and f"GET {path} -> {status}, expected" in bad.seen
    others = [r for (c, h), r in results.items() if c == "http.hosts" and h != host]
    assert others and all(r.status == "ok" for r in others)


def test_an_alb_that_lets_requests_in_without_the_header_fails(
    site: Rendered, door: FrontDoor, ca: TestCa
) -> None:
    door.alb.alb = False
    result = _run(site, door, ca)[("http.origin-lock", ALB)]
    assert result.status == "fail" and "-> 200" in result.seen


def test_a_missing_waf_and_a_missing_redirect_fail(
    site: Rendered, door: FrontDoor, ca: TestCa
) -> None:
    door.cloudfront.waf_blocks = False
    door.cloudfront.redirect = False
    results = _run(site, door, ca)
    assert results[("http.waf", LMS)].status == "fail"
    assert results[("http.redirect", LMS)].status == "fail"


def test_an_expiring_certificate_fails(site: Rendered, ca: TestCa) -> None:
    hosts = [h for h, _ in front_door.public_hosts(make_target(site))]
    door = FrontDoor(ca, hosts, ALB, days=5)
    try:
        results = _run(site, door, ca)
    finally:
        door.close()
    cert = results[("http.certificates", LMS)]
    assert cert.status == "fail" and "valid 4 more day(s)" in cert.seen
    assert results[("http.hosts", LMS)].status == "ok"  # still serving


def test_an_untrusted_certificate_fails_every_host(
    site: Rendered, door: FrontDoor, tmp_path: Path
) -> None:
    other = TestCa(tmp_path / "other")
    results = _run(site, door, other)
    assert results[("http.hosts", LMS)].status == "fail"
    assert "TLS certificate refused" in results[("http.hosts", LMS)].seen


@pytest.mark.parametrize("bad", ["learn.test", "=1.2.3.4", "learn.test=", "a:99999=1.2.3.4"])
def test_a_malformed_resolve_is_refused(bad: str) -> None:
    with pytest.raises(BadResolve, match="--resolve"):
        Resolver.parse([bad])
