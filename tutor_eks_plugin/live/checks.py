"""THE list of live checks behind `tutor eks validate`: one entry per check, in order.

The docs table (docs/validate-and-loadtest.md) is generated from this list
(`python -m tutor_eks_plugin.live.checks --write docs/validate-and-loadtest.md`) and a
test keeps the README's sample report in step with it.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import typing as t
from dataclasses import dataclass

from .. import docs_block
from . import aws, cluster, front_door, inside
from .context import KubectlError, Target
from .report import Result, fail

AREAS = ("aws", "cluster", "http", "inside")


@dataclass(frozen=True)
class Check:
    name: str
    area: str
    what: str  # what a passing check proves
    run: t.Callable[[Target], list[Result]]


CHECKS: tuple[Check, ...] = (
    Check("aws.outputs", "aws", "both stages' Terraform outputs are present", aws.outputs_present),
    Check("aws.cloudfront", "aws", "CloudFront is enabled and deployed with the WAF web ACL "
          "attached", aws.cloudfront_waf),
    Check("aws.targets", "aws", "the ALB target group has healthy targets (the NGINX pods)",
          aws.target_health),
    Check("aws.rds", "aws", "RDS MySQL is available (Multi-AZ in production)", aws.rds),
    Check("aws.documentdb", "aws", "DocumentDB is available (Multi-AZ in production), when used",
          aws.documentdb),
    Check("aws.elasticache", "aws", "ElastiCache is available with TLS and AUTH (Multi-AZ in "
          "production)", aws.elasticache),
    Check("aws.meilisearch", "aws", "the Meilisearch EC2 host runs, status checks passing",
          aws.meilisearch_host),
    Check("aws.certificates", "aws", f"the CloudFront and ALB ACM certificates are valid for "
          f"more than {aws.CERT_MIN_DAYS} days", aws.certificates),
    Check("aws.backups", "aws", f"the latest completed backup is under "
          f"{aws.BACKUP_MAX_AGE_HOURS} h old, when a backup plan exists", aws.backups),
    Check("cluster.nodes", "cluster", "nodes are ready in every zone of the profile",
          cluster.nodes),
    Check("cluster.deployments", "cluster", "every rendered Deployment is available",
          cluster.deployments),
    Check("cluster.hpa", "cluster", "every HorizontalPodAutoscaler reads its CPU metric "
          "(not `<unknown>`)", cluster.autoscalers),
    Check("cluster.volumes", "cluster", "the media PersistentVolumeClaim is bound",
          cluster.volumes),
    Check("cluster.ingress-controller", "cluster", "the NGINX Ingress Controller is ready",
          cluster.ingress_controller),
    Check("cluster.targetgroupbinding", "cluster", "the TargetGroupBinding to the ALB target "
          "group is reconciled", cluster.target_group_binding),
    Check("cluster.crashloops", "cluster", "no pod is in CrashLoopBackOff", cluster.crash_loops),
    Check("cluster.images", "cluster", "the Deployments run the images the config renders",
          cluster.images),
    Check("http.hosts", "http", "every public host answers through the front door (LMS/CMS "
          "/heartbeat 200, Meilisearch /health 200, others < 400)", front_door.hosts),
    Check("http.certificates", "http", f"every public host serves a certificate valid for more "
          f"than {aws.CERT_MIN_DAYS} days", front_door.certificates),
    Check("http.origin-lock", "http", "the ALB answers 403 to a request without the origin "
          "header", front_door.origin_lock),
    Check("http.waf", "http", "a harmless SQL-injection probe is blocked (403)", front_door.waf),
    Check("http.redirect", "http", "plain HTTP redirects to HTTPS on every public host",
          front_door.https_redirect),
    Check("inside.connectivity", "inside", "a Job with the openedx image and the LMS settings "
          "reaches MySQL, MongoDB, Redis and Meilisearch (then is deleted)", inside.connectivity),
)


def _expected_errors() -> tuple[type[BaseException], ...]:
    """What a check may raise when the thing it looks at is missing or unreachable."""
    errors: list[type[BaseException]] = [
        KubectlError, subprocess.SubprocessError, OSError, LookupError, ValueError,
    ]
    if "botocore" in sys.modules:  # imported by the first AWS check, if any ran
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    return tuple(errors)


def run(target: Target, areas: t.Collection[str] = AREAS) -> list[Result]:
    results: list[Result] = []
    for check in CHECKS:
        if check.area not in areas:
            continue
        try:
            found = check.run(target)
        except Exception as exc:  # noqa: BLE001 -- narrowed below, re-raised if unexpected
            if not isinstance(exc, _expected_errors()):
                raise
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            found = [fail(f"{type(exc).__name__}: {message}"[:300],
                          "fix access to the resource (credentials, kubeconfig, network) "
                          "and run again")]
        results += [dataclasses.replace(r, check=check.name) for r in found]
    return results


BEGIN, END = docs_block.markers("checks-table", "tutor_eks_plugin.live.checks")


def markdown_table() -> str:
    rows = ["| check | area | passes when |", "|---|---|---|"]
    rows += [f"| `{c.name}` | {c.area} | {c.what} |" for c in CHECKS]
    return "\n".join(rows)


def splice(text: str) -> str:
    return docs_block.splice(text, BEGIN, END, markdown_table())


def main(argv: list[str] | None = None) -> int:
    return docs_block.main(argv, description="docs/validate-and-loadtest.md's table of checks",
                           render=markdown_table, target="docs/validate-and-loadtest.md",
                           block=(BEGIN, END))


if __name__ == "__main__":
    raise SystemExit(main())
