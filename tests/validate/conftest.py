"""Fixtures of the live checks: a real render of a site, the kubectl stand-in, outputs."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
from moto_server import moto_server
from tutor_cli import Rendered, render

from tutor_eks_plugin import config as eks_config
from tutor_eks_plugin.live.context import Target
from tutor_eks_plugin.live.resolve import Resolver

from . import kubectl_standin
from .pki import TestCa

LMS = "learn.test"
# An external Meilisearch (as stage 1 writes it) gets the public search host too.
SETTINGS = {"LMS_HOST": LMS, "CMS_HOST": f"studio.{LMS}",
            "MEILISEARCH_URL": "http://10.0.32.10:7700"}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, kubectl_bin: str) -> Rendered:
    """A Tutor root with eks + mfe for learn.test, rendered by tutor and kubectl kustomize."""
    return render(tmp_path_factory.mktemp("validate-site"), kubectl_bin, ("eks", "mfe"),
                  SETTINGS)


def stage_outputs(**aws: t.Any) -> dict[str, dict[str, t.Any]]:
    """Outputs of both stages as `tutor eks infra output` reads them (values only)."""
    base = {
        "region": "us-east-1", "cluster_name": "openedx", "profile": "small",
        "private_subnet_ids": ["subnet-a", "subnet-b", "subnet-c"],
        "mysql_host": "openedx.abc.us-east-1.rds.amazonaws.com",
        "redis_host": "master.openedx.abc.use1.cache.amazonaws.com",
        "meilisearch_url": "http://10.0.32.10:7700",
        "alb_target_group_arn": kubectl_standin.TG_ARN,
        "alb_dns_name": "edge-123.us-east-1.elb.amazonaws.com",
        "cloudfront_distribution_id": "E2EXAMPLE", "cloudfront_domain_name": "d1.cloudfront.net",
        "web_acl_arn": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1",
    }
    base.update(aws)
    return {"aws": base, "cluster": {"ingress_class_name": "nginx",
                                     "nginx_namespace": kubectl_standin.NGINX_NS,
                                     "nginx_service_name": "nginx-ingress-controller"}}


@pytest.fixture
def standin(tmp_path: Path, kubectl_bin: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The recording kubectl stand-in, used by the plugin through EKS_KUBECTL."""
    folder = tmp_path / "kubectl"
    for key, value in kubectl_standin.install(folder, kubectl_bin).items():
        monkeypatch.setenv(key, value)
    return folder


def make_target(site: Rendered, outputs: dict[str, dict[str, t.Any]] | None = None,
                **kw: t.Any) -> Target:
    # config.yml holds only what differs from the defaults; the CLI sees the defaults too.
    config = {**dict(eks_config.defaults()), **site.config}
    config.setdefault("K8S_NAMESPACE", "openedx")
    return Target(config=config, outputs=outputs or stage_outputs(),
                  render=lambda: site.objects, resolver=kw.pop("resolver", Resolver()), **kw)


MOTO_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}


@pytest.fixture(scope="session")
def moto() -> t.Iterator[str]:
    """moto in server mode on 127.0.0.1; boto3 reaches it through AWS_ENDPOINT_URL."""
    with moto_server() as endpoint, pytest.MonkeyPatch.context() as patch:
        for key, value in {"AWS_ENDPOINT_URL": endpoint, **MOTO_ENV}.items():
            patch.setenv(key, value)
        yield endpoint


@pytest.fixture(scope="session")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCa:
    return TestCa(tmp_path_factory.mktemp("validate-ca"))
