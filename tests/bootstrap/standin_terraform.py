"""Stand-in for the terraform binary during a stage-1 apply that waits for ACM validation.

It stands for what the real stack does and cannot do here (no AWS account): on `apply`
it requests the edge module's two certificates, as terraform/modules/edge/acm.tf's
``aws_acm_certificate`` resources would (DNS validation, the stack's hosts, the same
``Name`` tags), in moto on 127.0.0.1, then waits STANDIN_WAIT seconds as
``aws_acm_certificate_validation`` waits for the records, then hands over to the real
terraform (REAL_TERRAFORM) to apply the fixture stack. Every other command goes to the
real terraform unchanged.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

TFVARS = "tutor.auto.tfvars.json"


def request_certificates() -> None:
    # Imported here, not at the top: every terraform command of the run goes through this
    # stand-in (init, version, output, ...), and importing boto3 costs about 0.4 CPU-s.
    import boto3

    values = json.loads(Path(TFVARS).read_text())
    hosts = list(dict.fromkeys(
        values[key] for key in ("lms_host", "cms_host", "mfe_host", "meilisearch_host")
    ))
    for region, suffix in ((values["region"], "edge-alb"), ("us-east-1", "edge-cloudfront")):
        arn = boto3.client("acm", region_name=region).request_certificate(
            DomainName=hosts[0],
            SubjectAlternativeNames=hosts[1:],
            ValidationMethod="DNS",
            Tags=[{"Key": "Name", "Value": f"{values['name']}-{suffix}"}],
        )["CertificateArn"]
        print(f"stand-in terraform: requested {arn}", flush=True)


def main() -> None:
    # Terraform (Go, signal.Notify) handles SIGINT and SIGTERM even when started with them
    # ignored; a Python process keeps an inherited SIG_IGN. Under pytest-xdist an earlier
    # test can leave the worker ignoring SIGINT (seen: SIGHUP, SIGINT and SIGQUIT ignored),
    # and the interrupted-apply test then waited the whole STANDIN_WAIT instead of being
    # stopped. Take the signals back, as terraform does.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    real = os.environ["REAL_TERRAFORM"]
    if "apply" in sys.argv[1:]:
        request_certificates()
        print("stand-in terraform: waiting for certificate validation", flush=True)
        time.sleep(float(os.environ["STANDIN_WAIT"]))
        print("stand-in terraform: validation wait over", flush=True)
    os.execv(real, [real, *sys.argv[1:]])


if __name__ == "__main__":
    main()
