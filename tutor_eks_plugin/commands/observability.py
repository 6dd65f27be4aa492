"""`tutor eks grafana` and `tutor eks alerts test` (docs/observability.md).

grafana: Grafana has no public address; this forwards a local port to its Service through
kubectl (the user's kubeconfig and context) and says how to read the admin password from
its Secret, without reading the password itself.

alerts test: publishes one message to the alert topic (EKS_ALERTS_TOPIC_ARN, written by
`tutor eks infra apply`), so that every subscriber sees the path works end to end.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import typing as t

import click
from tutor import config as tutor_config
from tutor import exceptions, fmt

from .. import tools

# Fixed by terraform/stacks/cluster/monitoring.tf (grafana.fullnameOverride, namespace):
# the chart names its Service and its admin Secret after it.
GRAFANA_NAMESPACE = "monitoring"
GRAFANA_FULLNAME = "grafana"
GRAFANA_SERVICE_PORT = 80
TOPIC_ARN_RE = re.compile(r"^arn:aws[a-z-]*:sns:([a-z0-9-]+):[0-9]{12}:[A-Za-z0-9_-]+$")


def password_command(namespace: str = GRAFANA_NAMESPACE) -> str:
    return (
        f"kubectl get secret {GRAFANA_FULLNAME} --namespace {namespace} "
        "--output jsonpath='{.data.admin-password}' | base64 --decode; echo"
    )


@click.command(name="grafana", help="Open Grafana through a kubectl port-forward.")
@click.option("--port", type=click.IntRange(1024, 65535), default=3000, show_default=True,
              help="Local port on 127.0.0.1.")
@click.option("--namespace", default=GRAFANA_NAMESPACE, show_default=True,
              help="Namespace of the monitoring stack.")
def grafana(port: int, namespace: str) -> None:
    kubectl = tools.kubectl()
    found = subprocess.run(
        [kubectl, "get", "service", GRAFANA_FULLNAME, "--namespace", namespace, "--output", "name"],
        capture_output=True, text=True, check=False,
    )
    if found.returncode != 0:
        detail = found.stderr.strip().splitlines()[-1] if found.stderr.strip() else "not found"
        raise exceptions.TutorError(
            f"Grafana's Service {namespace}/{GRAFANA_FULLNAME} is not reachable ({detail}). "
            "Apply stage 2 first (`tutor eks infra apply --stage cluster`) and check that "
            "kubectl points at the cluster (`aws eks update-kubeconfig`)."
        )
    fmt.echo_info(f"Grafana: http://127.0.0.1:{port} (user admin; Ctrl-C stops the forward)")
    fmt.echo_info(f"Admin password: {password_command(namespace)}")
    try:
        forward = subprocess.run(
            [kubectl, "port-forward", "--namespace", namespace, "--address", "127.0.0.1",
             f"service/{GRAFANA_FULLNAME}", f"{port}:{GRAFANA_SERVICE_PORT}"],
            check=False,
        )
    except KeyboardInterrupt:
        return
    if forward.returncode not in (0, 130):
        raise exceptions.TutorError(
            f"kubectl port-forward to {namespace}/{GRAFANA_FULLNAME} ended with exit code "
            f"{forward.returncode}: is port {port} free? Choose another with --port."
        )


@click.group(name="alerts", help="Alert topic of the deployment.")
def alerts() -> None:
    """Group only."""


@alerts.command(name="test", help="Publish one test notification to the alert topic.")
@click.option("--topic-arn", default="", help="Topic to use instead of EKS_ALERTS_TOPIC_ARN.")
@click.pass_obj
def alerts_test(context: t.Any, topic_arn: str) -> None:
    config = tutor_config.load(context.root)
    topic_arn = topic_arn or str(config.get("EKS_ALERTS_TOPIC_ARN") or "")
    if not topic_arn:
        raise exceptions.TutorError(
            "EKS_ALERTS_TOPIC_ARN is empty: run `tutor eks infra apply` (it writes the "
            "stage-1 output alerts_topic_arn there) or pass --topic-arn."
        )
    match = TOPIC_ARN_RE.match(topic_arn)
    if not match:
        raise exceptions.TutorError(
            f"Alert topic {topic_arn!r} is not an SNS topic ARN "
            "(arn:aws:sns:<region>:<account>:<name>): fix EKS_ALERTS_TOPIC_ARN or --topic-arn."
        )
    message = publish_test(topic_arn, match.group(1), str(config.get("EKS_NAME", "")))
    fmt.echo_info(f"Test notification {message} published to {topic_arn}.")


def publish_test(topic_arn: str, region: str, name: str) -> str:
    import boto3  # imported late: only this command needs it
    from botocore.exceptions import BotoCoreError, ClientError

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    try:
        answer = boto3.client("sns", region_name=region).publish(
            TopicArn=topic_arn,
            Subject=f"[tutor-eks {name}] test notification",
            Message=(
                f"Test notification of the Open edX deployment {name}, sent by "
                f"`tutor eks alerts test` at {now}. Alarms and Prometheus alerts reach "
                "you the same way. Nothing needs doing."
            ),
        )
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        raise exceptions.TutorError(
            f"SNS refused the test message to {topic_arn} ({code}): check the AWS "
            "credentials and that they may sns:Publish and use the topic's KMS key."
        ) from exc
    except BotoCoreError as exc:
        raise exceptions.TutorError(
            f"Could not reach SNS for {topic_arn}: {exc.__class__.__name__}. Check the "
            "AWS credentials and network."
        ) from exc
    return str(answer["MessageId"])
