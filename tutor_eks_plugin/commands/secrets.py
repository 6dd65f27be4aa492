"""`tutor eks secrets rollout`: restart the Open edX Deployments whose pods started with
data-store secrets older than the Kubernetes Secret (docs/secrets.md, "Rotation").

The pods read the values as environment variables when they start, so a value the
External Secrets Operator refreshed (a rotated RDS password) only reaches them through
a restart. The operator stamps the Secret it writes with the hash of its data
(annotation ``reconcile.external-secrets.io/data-hash``); this command copies that hash
into each Deployment's pod template (annotation ``tutor-eks/secrets-hash``), which makes
Kubernetes roll the pods, and leaves Deployments already on the current hash alone. No
value is read: only the annotations. Run it after a rotation, or from a schedule.
"""

from __future__ import annotations

import json
import subprocess
import typing as t

import click
from tutor import config as tutor_config
from tutor import exceptions, fmt

from .. import tools
from ..render.secrets import DEPLOYMENTS
from ..settings import secrets

DATA_HASH = "reconcile.external-secrets.io/data-hash"
TEMPLATE_HASH = "tutor-eks/secrets-hash"


def _kubectl(*args: str) -> str:
    result = subprocess.run([tools.kubectl(), *args], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        lines = (result.stderr.strip() or result.stdout.strip()).splitlines() or ["no output"]
        raise exceptions.TutorError(
            f"kubectl {' '.join(args[:3])} failed: {lines[-1]} Check that kubectl reaches "
            "the cluster (`tutor eks secrets rollout` changes nothing until it does)."
        )
    return result.stdout.strip()


def _jsonpath(where: str, annotation: str) -> str:
    """kubectl's JSONPath of an annotation (dots in its key escaped, '/' as it is)."""
    return "jsonpath={" + where + ".annotations." + annotation.replace(".", "\\.") + "}"


def rollout(namespace: str, dry_run: bool = False) -> list[str]:
    """Patch the Deployments whose pod template carries another hash; returns their names."""
    current = _kubectl("get", "secret", secrets.KUBERNETES_SECRET, "--namespace", namespace,
                       "-o", _jsonpath(".metadata", DATA_HASH))
    if not current:
        raise exceptions.TutorError(
            f"Secret {secrets.KUBERNETES_SECRET} in namespace {namespace} has no {DATA_HASH} "
            f"annotation: the External Secrets Operator has not synced it yet (`kubectl get "
            f"externalsecret {secrets.EXTERNAL_SECRET} -n {namespace}`). Nothing was restarted."
        )
    restarted = []
    for name in DEPLOYMENTS:
        template = _kubectl("get", "deployment", name, "--namespace", namespace, "-o",
                            _jsonpath(".spec.template.metadata", TEMPLATE_HASH))
        if template == current:
            fmt.echo_info(f"deployment/{name}: already runs with the current secrets")
            continue
        restarted.append(name)
        if dry_run:
            fmt.echo_info(f"deployment/{name}: would restart (secrets changed)")
            continue
        patch = {"spec": {"template": {"metadata": {"annotations": {TEMPLATE_HASH: current}}}}}
        _kubectl("patch", "deployment", name, "--namespace", namespace, "--type", "merge",
                 "--patch", json.dumps(patch))
        fmt.echo_info(f"deployment/{name}: rolling restart (secrets changed)")
    return restarted


@click.group(name="secrets", help="Data-store secrets from Secrets Manager (docs/secrets.md).")
def secrets_group() -> None:
    """Group only."""


@secrets_group.command(
    name="rollout",
    help="Restart the Open edX Deployments whose pods predate the data in the Kubernetes "
    "Secret (after a rotation reached it). Deployments already current are left alone.",
)
@click.option("--dry-run", is_flag=True, help="Say what would restart; change nothing.")
@click.pass_obj
def rollout_command(context: t.Any, dry_run: bool) -> None:
    config = tutor_config.load(context.root)
    if secrets.source(config) != secrets.SECRETSMANAGER:
        raise exceptions.TutorError(
            "EKS_SECRETS_SOURCE is 'config': the pods get their passwords from the "
            "rendered settings, not from a synced Secret; after changing one run "
            "`tutor k8s start` (docs/secrets.md)."
        )
    rollout(str(config["K8S_NAMESPACE"]), dry_run)
