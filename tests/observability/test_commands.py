"""`tutor eks grafana` and `tutor eks alerts test`, run as the real `tutor` CLI.

- grafana: no cluster runs here, so EKS_KUBECTL points at a recording stand-in for
  kubectl (written below) that hands `kubectl version` to the real kubectl, answers
  `get service` like a cluster with or without Grafana, and `port-forward` like kubectl
  does once the forward ends.
- alerts test: boto3 talks to moto's SNS on 127.0.0.1 (AWS_ENDPOINT_URL); the topic has
  an SQS subscriber, and the test reads the delivered notification from the queue.
"""

from __future__ import annotations

import json
import sys
import typing as t
from pathlib import Path

import boto3
import pytest
from eks_in_process import config_save_set
from moto_server import moto_server
from tutor_cli import new_root, run_tutor

REGION = "eu-west-1"
TRACEBACK = "Traceback (most recent call last)"

STAND_IN = r'''#!{python}
import json, os, sys
args = sys.argv[1:]
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(args) + "\n")
if args[:1] == ["version"]:
    os.execv({real!r}, [{real!r}, *args])
if args[:2] == ["get", "service"]:
    if {has_grafana!r}:
        print("service/" + args[2])
        sys.exit(0)
    print('Error from server (NotFound): services "' + args[2] + '" not found', file=sys.stderr)
    sys.exit(1)
if args[:1] == ["port-forward"]:
    local = args[-1].split(":")[0]
    print("Forwarding from 127.0.0.1:" + local + " -> 3000")
    sys.exit(0)
print("kubectl stand-in: unexpected call " + " ".join(args), file=sys.stderr)
sys.exit(2)
'''


def stand_in_kubectl(folder: Path, real: str, has_grafana: bool) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "calls.jsonl"
    log.write_text("")
    script = folder / "kubectl"
    script.write_text(STAND_IN.format(python=sys.executable, real=real, log=str(log),
                                      has_grafana=has_grafana))
    script.chmod(0o755)
    return script, log


def calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("observability-root")
    new_root(path, settings={"EKS_NAME": "demo", "EKS_AWS_REGION": REGION})
    return path


@pytest.fixture(scope="module")
def moto_env() -> t.Iterator[dict[str, str]]:
    with moto_server() as endpoint:
        yield {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
        }


def test_grafana_forwards_on_localhost_and_says_how_to_read_the_password(
    root: Path, tmp_path: Path, kubectl_bin: str
) -> None:
    script, log = stand_in_kubectl(tmp_path / "bin", kubectl_bin, has_grafana=True)
    result = run_tutor(root, "eks", "grafana", "--port", "3300",
                       env={"EKS_KUBECTL": str(script)}, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "http://127.0.0.1:3300" in output
    assert ("kubectl get secret grafana --namespace monitoring "
            "--output jsonpath='{.data.admin-password}' | base64 --decode") in output
    recorded = [c for c in calls(log) if c[:1] != ["version"]]
    assert recorded[0] == ["get", "service", "grafana", "--namespace", "monitoring",
                           "--output", "name"]
    assert recorded[1] == ["port-forward", "--namespace", "monitoring", "--address", "127.0.0.1",
                           "service/grafana", "3300:80"]
    assert not any(c[:2] == ["get", "secret"] for c in recorded), "the password is never read"


def test_grafana_without_stage_two_says_what_to_do(
    root: Path, tmp_path: Path, kubectl_bin: str
) -> None:
    script, log = stand_in_kubectl(tmp_path / "bin", kubectl_bin, has_grafana=False)
    result = run_tutor(root, "eks", "grafana", env={"EKS_KUBECTL": str(script)}, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "monitoring/grafana is not reachable" in output and "--stage cluster" in output
    assert TRACEBACK not in output
    assert not any(c[:1] == ["port-forward"] for c in calls(log))


def test_alerts_test_publishes_one_message_to_the_topic(
    root: Path, moto_env: dict[str, str]
) -> None:
    session = dict(endpoint_url=moto_env["AWS_ENDPOINT_URL"], region_name=REGION,
                   aws_access_key_id="testing", aws_secret_access_key="testing")
    sns = boto3.client("sns", **session)
    sqs = boto3.client("sqs", **session)
    topic = sns.create_topic(Name="demo-alerts")["TopicArn"]
    queue = sqs.create_queue(QueueName="demo-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    # Saved as `tutor config save --set` saves it, in this process (the command under
    # test reads config.yml; the env the CLI's save would render is not used).
    assert config_save_set(root, {"EKS_ALERTS_TOPIC_ARN": topic}) == ""

    result = run_tutor(root, "eks", "alerts", "test", env=moto_env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"published to {topic}" in result.stdout + result.stderr

    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10,
                                   WaitTimeSeconds=2)["Messages"]
    assert len(messages) == 1
    envelope = json.loads(messages[0]["Body"])
    assert envelope["Subject"] == "[tutor-eks demo] test notification"
    assert "Open edX deployment demo" in envelope["Message"]


def test_alerts_test_names_the_problem_without_a_traceback(
    root: Path, moto_env: dict[str, str]
) -> None:
    missing = f"arn:aws:sns:{REGION}:123456789012:no-such-topic"
    result = run_tutor(root, "eks", "alerts", "test", "--topic-arn", missing, env=moto_env,
                       check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and TRACEBACK not in output
    assert f"SNS refused the test message to {missing} (NotFound)" in output

    result = run_tutor(root, "eks", "alerts", "test", "--topic-arn", "demo-alerts",
                       env=moto_env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and TRACEBACK not in output
    assert "'demo-alerts' is not an SNS topic ARN" in output


def test_alerts_test_without_a_topic_says_where_it_comes_from(tmp_path: Path) -> None:
    new_root(tmp_path)
    before = (tmp_path / "config.yml").read_text()
    result = run_tutor(tmp_path, "eks", "alerts", "test", check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and TRACEBACK not in output
    assert "EKS_ALERTS_TOPIC_ARN is empty: run `tutor eks infra apply`" in output
    assert (tmp_path / "config.yml").read_text() == before
