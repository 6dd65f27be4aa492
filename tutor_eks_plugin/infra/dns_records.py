"""The DNS records a user must create when there is no Route53 zone, shown while apply waits.

Without EKS_ROUTE53_ZONE_ID, stage 1's ``aws_acm_certificate_validation`` resources wait
(up to ``certificate_validation_timeout``) for validation CNAMEs that only the user can
create, and Terraform prints nothing about them. So while stage 1 applies, a thread
reads the two edge certificates with boto3 (the regional one of the ALB, the us-east-1
one of CloudFront; found by the ``Name`` tag that terraform/modules/edge/acm.tf gives
them), prints their validation records as soon as ACM knows them, prints them again
every few minutes while they are pending, and says when each certificate is issued.
After the apply it prints the records that point each public host at CloudFront.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import typing as t
from dataclasses import dataclass, field

import click
from tutor import fmt

from .terraform import _ECHO_LOCK

CLOUDFRONT_REGION = "us-east-1"  # CloudFront takes certificates from us-east-1 only
# Tuning for tests (and impatient users): how often ACM is read, how often pending
# records are printed again.
POLL_ENV = "EKS_ACM_POLL_SECONDS"
REPRINT_ENV = "EKS_ACM_REPRINT_SECONDS"
POLL_SECONDS = 15.0
REPRINT_SECONDS = 300.0
PENDING = "PENDING_VALIDATION"
FAILED = ("FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED")


@dataclass(frozen=True)
class Target:
    """One edge certificate: where it lives and the Name tag the edge module gives it."""

    label: str
    region: str
    tag_name: str


def targets(config: dict[str, t.Any]) -> list[Target]:
    name = config["EKS_NAME"]
    return [
        Target("ALB certificate", str(config["EKS_AWS_REGION"]), f"{name}-edge-alb"),
        Target("CloudFront certificate", CLOUDFRONT_REGION, f"{name}-edge-cloudfront"),
    ]


@dataclass
class _Seen:
    status: str = ""
    printed_at: float = 0.0
    was_pending: bool = False
    domains: list[str] = field(default_factory=list)
    created: float = 0.0  # CreatedAt, as a POSIX time (0 when ACM gives none)


def _say(line: str, alert: bool = False) -> None:
    # Whole lines, never cut into terraform's streamed output.
    with _ECHO_LOCK:
        click.echo(fmt.alert(line) if alert else fmt.info(line))


class Watcher(threading.Thread):
    def __init__(
        self,
        config: dict[str, t.Any],
        poll: t.Optional[float] = None,
        reprint: t.Optional[float] = None,
    ) -> None:
        super().__init__(name="acm-dns-records", daemon=True)
        self.targets = targets(config)
        self.poll = poll if poll is not None else float(os.environ.get(POLL_ENV, POLL_SECONDS))
        self.reprint = (
            reprint if reprint is not None else float(os.environ.get(REPRINT_ENV, REPRINT_SECONDS))
        )
        self.stopped = threading.Event()
        self.seen: dict[str, _Seen] = {}
        self._names: dict[str, str] = {}  # ARN -> its Name tag (one list call per ARN)
        self._clients: dict[str, t.Any] = {}
        self._error_said = False

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                for target in self.targets:
                    self._check(target)
            except Exception as exc:  # noqa: BLE001 (a helper thread must not kill apply)
                if not self._error_said:
                    _say(
                        f"Cannot read the ACM certificates ({exc}); the validation records "
                        "are also in the ACM console.",
                        alert=True,
                    )
                    self._error_said = True
            self.stopped.wait(self.poll)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)

    def _client(self, region: str) -> t.Any:
        if region not in self._clients:
            import boto3
            from botocore.config import Config

            # Short timeouts: a slow endpoint must not hold the end of the apply.
            quick = Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 2})
            self._clients[region] = boto3.client("acm", region_name=region, config=quick)
        return self._clients[region]

    def _ours(self, acm: t.Any, arn: str, target: Target) -> bool:
        if arn not in self._names:
            tags = acm.list_tags_for_certificate(CertificateArn=arn).get("Tags", [])
            self._names[arn] = next((x.get("Value", "") for x in tags if x["Key"] == "Name"), "")
        return self._names[arn] == target.tag_name

    def _check(self, target: Target) -> None:
        acm = self._client(target.region)
        for page in acm.get_paginator("list_certificates").paginate():
            for summary in page.get("CertificateSummaryList", []):
                arn = summary["CertificateArn"]
                if self._ours(acm, arn, target):
                    found = acm.describe_certificate(CertificateArn=arn)["Certificate"]
                    self._update(target, found)

    def _update(self, target: Target, cert: dict[str, t.Any]) -> None:
        arn = cert["CertificateArn"]
        seen = self.seen.setdefault(arn, _Seen())
        status = cert.get("Status", "")
        created = cert.get("CreatedAt")
        seen.created = created.timestamp() if hasattr(created, "timestamp") else 0.0
        seen.domains = [cert["DomainName"], *[
            d for d in cert.get("SubjectAlternativeNames", []) if d != cert["DomainName"]
        ]]
        where = f"{target.label} {target.tag_name} ({target.region}, {arn})"
        if status == PENDING:
            seen.was_pending = True
            records = validation_records(cert)
            due = not seen.printed_at or time.monotonic() - seen.printed_at >= self.reprint
            if records and due:
                again = " still" if seen.printed_at else ""
                lines = [
                    f"ACM is{again} waiting for DNS validation of the {where}. "
                    "Create these records in the DNS of your domain:",
                    *[f"    {name}  {rtype}  {value}" for name, rtype, value in records],
                ]
                _say("\n".join(lines))
                seen.printed_at = time.monotonic()
        elif status != seen.status:
            if status == "ISSUED" and seen.was_pending:
                _say(f"The {where} is ISSUED: its DNS validation succeeded (valid).")
            elif status in FAILED:
                _say(f"The {where} is {status}: see the ACM console.", alert=True)
        seen.status = status

    def hosts(self) -> list[str]:
        """The hosts of this apply's certificate: one that waited for validation while
        it ran, else the newest. An older certificate with the same Name tag (the one a
        host change replaces, kept until the new one is issued) names the old hosts."""
        known = [s for s in self.seen.values() if s.domains]
        candidates = [s for s in known if s.was_pending] or known
        if not candidates:
            return []
        return max(candidates, key=lambda s: s.created).domains


def validation_records(cert: dict[str, t.Any]) -> list[tuple[str, str, str]]:
    """(name, type, value) of each validation record, once; ACM gives the same record for
    two names of one domain, and (per account) the same for both certificates."""
    found: list[tuple[str, str, str]] = []
    for option in cert.get("DomainValidationOptions", []):
        record = option.get("ResourceRecord")
        if option.get("ValidationMethod", "DNS") != "DNS" or not record:
            continue
        item = (record["Name"], record["Type"], record["Value"])
        if item not in found:
            found.append(item)
    return found


@contextlib.contextmanager
def watching(config: dict[str, t.Any]) -> t.Iterator[t.Optional[Watcher]]:
    """Run the watcher for the duration of a stage-1 apply, without a Route53 zone only."""
    if config.get("EKS_ROUTE53_ZONE_ID"):
        yield None
        return
    watcher = Watcher(config)
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.stop()


def final(config: dict[str, t.Any], outputs: dict[str, t.Any], hosts: list[str]) -> None:
    """After stage 1: the records that point the hosts at CloudFront (or that were made)."""
    domain = (outputs.get("cloudfront_domain_name") or {}).get("value")
    zone = config.get("EKS_ROUTE53_ZONE_ID")
    if zone:
        fmt.echo_info(
            f"Route53 zone {zone}: Terraform made the certificate validation records and "
            f"the alias records (A and AAAA) of each public host to {domain or 'CloudFront'}."
        )
        return
    if not domain:
        return
    lines = ["DNS records to create (each public host -> the CloudFront distribution):"]
    if hosts:
        lines += [f"    {host}.  CNAME  {domain}." for host in hosts]
    else:
        lines.append(f"    <each public host>.  CNAME  {domain}.")
    lines.append(
        "(At a zone apex, where a CNAME is not allowed, use your DNS provider's ALIAS/ANAME "
        "record to the same name.)"
    )
    fmt.echo_info("\n".join(lines))
