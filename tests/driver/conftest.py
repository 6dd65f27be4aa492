"""Driver fixtures: the real `tutor` CLI, the real terraform binary, moto on 127.0.0.1.

The fixture stacks (tests/driver/fixtures) use built-in resources only, so terraform
init/plan/apply/destroy run offline; their secret ARNs point at secrets created in a
local moto server, which boto3 reaches through AWS_ENDPOINT_URL.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import typing as t
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto_server import moto_server
from tutor_cli import new_root, run_tutor

FIXTURES = Path(__file__).parent / "fixtures"
REGION = "us-east-1"
TRACEBACK = "Traceback (most recent call last)"


@pytest.fixture(scope="session")
def moto_endpoint() -> t.Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def aws_env(moto_endpoint: str) -> dict[str, str]:
    """What a subprocess needs to talk to moto (and never to AWS)."""
    return {
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }


@dataclass(frozen=True)
class Secrets:
    arns: dict[str, str]  # stack variable -> ARN
    values: dict[str, str]  # Tutor key -> the value it must receive

    def leaked_in(self, text: str) -> list[str]:
        return [key for key, value in self.values.items() if value in text]


@pytest.fixture(scope="session")
def fixture_secrets(aws_env: dict[str, str]) -> Secrets:
    """Random secret values, created in moto the way the real stack stores them."""
    client = boto3.client(
        "secretsmanager",
        region_name=REGION,
        endpoint_url=aws_env["AWS_ENDPOINT_URL"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 (moto's dummy credentials)
    )
    values = {
        "MYSQL_ROOT_PASSWORD": "mysql-" + secrets.token_urlsafe(18),
        "OPENEDX_MYSQL_PASSWORD": "openedx-" + secrets.token_hex(16),
        "MONGODB_PASSWORD": "mongo-" + secrets.token_urlsafe(18),
        "REDIS_PASSWORD": "redis-" + secrets.token_urlsafe(24),
        "MEILISEARCH_MASTER_KEY": "meili-" + secrets.token_urlsafe(24),
    }
    documents = {
        "mysql_admin_secret_arn": json.dumps(
            {"username": "admin", "password": values["MYSQL_ROOT_PASSWORD"]}
        ),
        "mongodb_admin_secret_arn": json.dumps(
            {"username": "docdbadmin", "password": values["MONGODB_PASSWORD"]}
        ),
        "mysql_app_secret_arn": values["OPENEDX_MYSQL_PASSWORD"],
        "redis_auth_secret_arn": values["REDIS_PASSWORD"],
        "meilisearch_master_key_secret_arn": values["MEILISEARCH_MASTER_KEY"],
    }
    arns = {}
    for variable, document in documents.items():
        name = f"driver-tests/{variable}-{secrets.token_hex(4)}"
        arns[variable] = client.create_secret(Name=name, SecretString=document)["ARN"]
    return Secrets(arns, values)


@pytest.fixture(scope="session")
def fixture_source(tmp_path_factory: pytest.TempPathFactory, fixture_secrets: Secrets) -> Path:
    """The fixture stacks, with the moto secret ARNs as stage-1 inputs."""
    source = tmp_path_factory.mktemp("tf-source") / "terraform"
    shutil.copytree(FIXTURES, source)
    (source / "stacks" / "aws" / "fixture.auto.tfvars.json").write_text(
        json.dumps(fixture_secrets.arns, indent=2)
    )
    return source


def broken_source(base: Path, dest: Path, extra: dict[str, str]) -> Path:
    """A copy of the fixture source with extra files in stacks/aws."""
    shutil.copytree(base, dest)
    for name, text in extra.items():
        (dest / "stacks" / "aws" / name).write_text(text)
    return dest


@pytest.fixture(scope="session")
def template_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Tutor root with the eks plugin on and a local state backend (copied per test)."""
    root = tmp_path_factory.mktemp("tutor-template")
    settings = {
        "EKS_STATE_BACKEND": "local",
        "EKS_PROFILE": "small",
        "EKS_NAME": "drvtest",
        # Once apply writes real data-store hosts, the plugin requires the RDS CA
        # bundle for TLS: name an (assumed) existing ConfigMap, as an operator would.
        "EKS_CA_BUNDLE_CONFIGMAP": "rds-ca-bundle",
    }
    return new_root(root, settings=settings)


@dataclass
class Instance:
    """One Tutor root driven through the real `tutor eks infra` commands."""

    root: Path
    env: dict[str, str]
    outputs: list[str]

    def tutor(
        self, *args: str, stdin: t.Optional[str] = None, env: t.Optional[dict[str, str]] = None
    ) -> subprocess.CompletedProcess[str]:
        result = run_tutor(
            self.root, *args, check=False, stdin=stdin, env={**self.env, **(env or {})}
        )
        self.outputs.append(result.stdout + result.stderr)
        assert TRACEBACK not in result.stdout + result.stderr, result.stdout + result.stderr
        return result

    def infra(self, *args: str, **kwargs: t.Any) -> subprocess.CompletedProcess[str]:
        return self.tutor("eks", "infra", *args, **kwargs)

    def config_bytes(self) -> bytes:
        return (self.root / "config.yml").read_bytes()


@pytest.fixture
def instance(
    tmp_path: Path,
    template_root: Path,
    fixture_source: Path,
    aws_env: dict[str, str],
    terraform_bin: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Instance:
    root = tmp_path / "root"
    shutil.copytree(template_root, root)
    env = {**aws_env, "EKS_TERRAFORM_SOURCE": str(fixture_source)}
    # Nothing of the developer's own set-up leaks in.
    for variable in ("EKS_TERRAFORM", "TF_DATA_DIR", "TF_WORKSPACE"):
        monkeypatch.delenv(variable, raising=False)
    return Instance(root, env, [])


def path_without_terraform() -> str:
    """PATH minus every folder that holds a terraform binary."""
    kept = [
        folder
        for folder in os.environ.get("PATH", "").split(os.pathsep)
        if folder and not (Path(folder) / "terraform").exists()
    ]
    return os.pathsep.join(kept)
