"""Without a Route53 zone, stage-1 apply prints the ACM validation records while it waits.

Real `tutor eks infra apply` and the real terraform on the fixture stack, with a
stand-in in front of terraform (standin_terraform.py says what it stands for) that
requests the two edge certificates in moto ACM on 127.0.0.1 and then waits, as the real
apply waits for validation. moto turns a DNS-validated certificate ISSUED after
MOTO_ACM_VALIDATION_WAIT seconds: the server runs in this process, so the test sets
that setting's value (moto.settings.ACM_VALIDATION_WAIT) directly.
"""

from __future__ import annotations

import re
import sys
import typing as t
from pathlib import Path

import boto3
import moto.settings
import pytest

from tests.driver.conftest import REGION, Instance

STANDIN = Path(__file__).parent / "standin_terraform.py"
WAIT = 14  # seconds the stand-in "waits for validation"
ISSUED_AFTER = 8  # moto: PENDING_VALIDATION -> ISSUED


@pytest.fixture
def standin(tmp_path: Path, terraform_bin: str, aws_env: dict[str, str]) -> dict[str, str]:
    wrapper = tmp_path / "terraform"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{STANDIN}" "$@"\n')
    wrapper.chmod(0o755)
    return {
        "EKS_TERRAFORM": str(wrapper),
        "REAL_TERRAFORM": terraform_bin,
        "STANDIN_WAIT": str(WAIT),
        "EKS_ACM_POLL_SECONDS": "1",
        "EKS_ACM_REPRINT_SECONDS": "3",
    }


def _ours(name: str) -> dict[str, dict[str, t.Any]]:
    acm = boto3.client("acm", region_name=REGION)
    found = {}
    for summary in acm.list_certificates()["CertificateSummaryList"]:
        arn = summary["CertificateArn"]
        tags = acm.list_tags_for_certificate(CertificateArn=arn)["Tags"]
        if {"Key": "Name", "Value": name} in tags:
            found[arn] = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    return found


def test_records_printed_while_apply_waits(
    instance: Instance,
    standin: dict[str, str],
    aws_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in aws_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(moto.settings, "ACM_VALIDATION_WAIT", ISSUED_AFTER)
    hosts = {"LMS_HOST": "learn.dnstest.example", "CMS_HOST": "studio.dnstest.example"}
    args = [a for k, v in hosts.items() for a in ("--set", f"{k}={v}")]
    assert instance.tutor("config", "save", *args).returncode == 0

    # The moto server lives for the session: another test of this worker may have left
    # certificates with the same names. Only the ones this apply requests count.
    earlier = {arn for tag in ("drvtest-edge-alb", "drvtest-edge-cloudfront")
               for arn in _ours(tag)}
    result = instance.infra("apply", "--stage", "aws", env=standin)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    print(out)  # shown when the test fails
    end = out.index("stand-in terraform: validation wait over")
    started = out.index("stand-in terraform: waiting for certificate validation")
    applying = out.index("Stage aws: terraform apply")

    certs = {tag: {arn: cert for arn, cert in _ours(tag).items() if arn not in earlier}
             for tag in ("drvtest-edge-alb", "drvtest-edge-cloudfront")}
    all_hosts = ["learn.dnstest.example", "studio.dnstest.example",
                 "apps.learn.dnstest.example", "meilisearch.learn.dnstest.example"]
    for tag, found in certs.items():
        ((arn, cert),) = found.items()
        assert cert["Status"] == "ISSUED"
        heading = f"waiting for DNS validation of the {'ALB' if 'alb' in tag else 'CloudFront'} "
        # This apply's certificate, by ARN: an earlier test's pending one may be told too.
        first = out.index(f", {arn}). Create these records")
        # Told during this apply (the ARN is this apply's certificate) and before the wait
        # is over. Not necessarily after the stand-in's "waiting" line: the watcher may
        # tell the first certificate before the second is requested, as it would while
        # terraform creates both.
        assert out.rindex(f"{heading}certificate {tag} (", 0, first) > applying
        assert applying < first < end, "records printed while the apply waits"
        records = {
            (o["ResourceRecord"]["Name"], o["ResourceRecord"]["Type"], o["ResourceRecord"]["Value"])
            for o in cert["DomainValidationOptions"]
        }
        assert records, "moto exposes the validation records"
        for name, rtype, value in records:
            assert f"    {name}  {rtype}  {value}" in out[first:end]
        valid = out.index(f", {arn}) is ISSUED")
        assert "is ISSUED" in out[valid : valid + 300] and "(valid)" in out[valid : valid + 300]
        assert first < valid < end, "the status change is told while the apply waits"
    # Pending longer than the re-print interval: printed again.
    assert "ACM is still waiting for DNS validation" in out[started:end]

    final = out.index("DNS records to create (each public host -> the CloudFront distribution):")
    assert final > end
    domain = re.search(r"CNAME  (\S+)\.", out[final:]).group(1)
    assert domain.endswith("cloudfront.net")
    for host in all_hosts:
        assert f"    {host}.  CNAME  {domain}." in out[final:]


def test_with_a_zone_says_the_records_were_made(
    instance: Instance, standin: dict[str, str], aws_env: dict[str, str]
) -> None:
    settings = ["--set", "EKS_ROUTE53_ZONE_ID=Z0123456789ABCDEFGHIJ"]
    assert instance.tutor("config", "save", *settings).returncode == 0
    result = instance.infra("apply", "--stage", "aws", env={**standin, "STANDIN_WAIT": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "waiting for DNS validation" not in result.stdout
    assert "Route53 zone Z0123456789ABCDEFGHIJ: Terraform made the certificate validation" in (
        result.stdout
    )
    assert "DNS records to create" not in result.stdout
