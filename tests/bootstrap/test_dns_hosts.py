"""Which hosts the final DNS-records line names when ACM holds more than one certificate
with the edge's Name tag (a host change: Terraform makes the new certificate before it
deletes the old one). The ACM reads themselves run against moto in test_dns_records.py;
here the Watcher is given DescribeCertificate results directly."""

from __future__ import annotations

import datetime as dt
import typing as t

from tutor_eks_plugin.infra import dns_records

CONFIG = {"EKS_NAME": "demo", "EKS_AWS_REGION": "eu-west-1"}


def _cert(arn: str, hosts: list[str], status: str, created: dt.datetime) -> dict[str, t.Any]:
    return {"CertificateArn": arn, "DomainName": hosts[0], "SubjectAlternativeNames": hosts,
            "Status": status, "CreatedAt": created, "DomainValidationOptions": []}


def test_the_certificate_this_apply_waited_for_names_the_hosts() -> None:
    watcher = dns_records.Watcher(CONFIG, poll=1, reprint=1)
    target = watcher.targets[0]
    new = _cert("arn:new", ["new.example.org", "studio.new.example.org"],
                dns_records.PENDING, dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    old = _cert("arn:old", ["old.example.org"], "ISSUED",
                dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))  # even if it sorts later
    for cert in (old, new):
        watcher._update(target, cert)
    assert watcher.hosts() == ["new.example.org", "studio.new.example.org"]


def test_without_a_pending_certificate_the_newest_names_the_hosts() -> None:
    watcher = dns_records.Watcher(CONFIG, poll=1, reprint=1)
    target = watcher.targets[0]
    for arn, hosts, day in (("arn:b", ["b.example.org"], 20), ("arn:a", ["a.example.org"], 5)):
        watcher._update(target, _cert(arn, hosts, "ISSUED",
                                      dt.datetime(2026, 11, day, tzinfo=dt.timezone.utc)))
    assert watcher.hosts() == ["b.example.org"]
    assert dns_records.Watcher(CONFIG, poll=1, reprint=1).hosts() == []
