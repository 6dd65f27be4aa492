"""Data store renders (real tutor + kubectl kustomize): the CA bundle reaches every Open
edX pod and job, the external Meilisearch is published, and each mode passes the strict
schemas and `tutor eks check`.

DATASTORE_CASES are static (the CA bundle comes from an existing ConfigMap), so the
lead's gates (tests/render/cases.py: schemas, checkov) can include them.
"""

from __future__ import annotations

import importlib.util
import sys
import typing as t
from pathlib import Path

import pytest
from cases import AWS, DATASTORE_CASES, DOCDB  # noqa: E402,F401
from tutor_cli import Rendered

WORKLOADS = [
    ("Deployment", "lms", "lms"),
    ("Deployment", "cms", "cms"),
    ("Deployment", "lms-worker", "lms-worker"),
    ("Deployment", "cms-worker", "cms-worker"),
    ("Job", "lms-job", "lms"),
    ("Job", "cms-job", "cms"),
    ("Job", "mysql-job", "mysql"),
]


@pytest.fixture(scope="module")
def aws(render_case) -> Rendered:
    plugins, settings = DATASTORE_CASES["datastores-aws"]
    return render_case("datastores-aws", plugins=plugins, settings=settings)


@pytest.fixture(scope="module")
def byo(render_case) -> Rendered:
    plugins, settings = DATASTORE_CASES["datastores-byo-community"]
    return render_case("datastores-byo-community", plugins=plugins, settings=settings)


@pytest.fixture(scope="module")
def file_bundle(render_case, tmp_path_factory) -> tuple[Rendered, str]:
    pem = tmp_path_factory.mktemp("bundle") / "global-bundle.pem"
    pki = _pki_module().make_pki(pem.parent / "pki")
    pem.write_text(pki.ca.read_text() + pki.wrong_ca.read_text())
    rendered = render_case(
        "datastores-file-bundle",
        plugins=("eks", "mfe"),
        settings={
            **AWS,
            "EKS_CA_BUNDLE_CONFIGMAP": "",
            "EKS_CA_BUNDLE_PATH": str(pem),
            "EKS_OPENSEARCH_FORUM_SEARCH": False,
        },
    )
    return rendered, pem.read_text()


def _pki_module():
    """tests/datastores/datastore_pki.py (a sibling test folder, not on sys.path here)."""
    path = Path(__file__).parents[1] / "datastores" / "datastore_pki.py"
    spec = importlib.util.spec_from_file_location("datastore_pki", path)
    module = sys.modules.get("datastore_pki") or importlib.util.module_from_spec(spec)
    sys.modules["datastore_pki"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _volume_configmap(obj: dict[str, t.Any], volume: str) -> str | None:
    for item in obj["spec"]["template"]["spec"].get("volumes", []):
        if item["name"] == volume:
            return item["configMap"]["name"]
    return None


def _mount(obj: dict[str, t.Any], container: str, volume: str) -> dict[str, t.Any] | None:
    spec = obj["spec"]["template"]["spec"]
    found = next(c for c in spec["containers"] if c["name"] == container)
    return next((m for m in found.get("volumeMounts", []) if m["name"] == volume), None)


@pytest.mark.parametrize("case", sorted(DATASTORE_CASES))
def test_case_passes_strict_schemas_and_check(render_case, strict_schemas, eks_check,
                                              case: str) -> None:
    """The same passes as tests/render/test_gates.py on this case: run once per test
    process and shared (tests/render/conftest.py)."""
    plugins, settings = DATASTORE_CASES[case]
    rendered = render_case(case, plugins=plugins, settings=settings)
    for version in ("1.34", "1.37"):
        result = strict_schemas(case, rendered, version)
        assert not result.failures, "\n".join(result.failures)
    check = eks_check(case, rendered)
    assert check.returncode == 0, check.stdout + check.stderr
    assert ", 0 failed." in check.stdout


def test_ca_bundle_from_configmap_in_every_openedx_pod_and_job(aws: Rendered) -> None:
    for kind, name, container in WORKLOADS:
        obj = aws.get(kind, name)
        assert _volume_configmap(obj, "eks-ca-bundle") == "rds-ca-bundle", name
        mount = _mount(obj, container, "eks-ca-bundle")
        assert mount == {"name": "eks-ca-bundle", "mountPath": "/etc/ssl/eks-ca", "readOnly": True}
    assert not [n for n in aws.names("ConfigMap") if n.startswith("eks-ca-bundle")]


def test_mysql_job_reads_tls_options_from_home(aws: Rendered) -> None:
    job = aws.get("Job", "mysql-job")
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert {"name": "HOME", "value": "/etc/eks-mysql-client"} in container["env"]
    configmap = _volume_configmap(job, "eks-mysql-client")
    cnf = aws.get("ConfigMap", configmap)["data"]["mysql-client.cnf"]
    assert "[client]\nssl-ca=/etc/ssl/eks-ca/ca-bundle.pem\nssl-mode=VERIFY_IDENTITY" in cnf
    assert not [line for line in cnf.splitlines() if line.startswith(("password", "user"))]


def test_generated_ca_configmap_holds_the_file(file_bundle) -> None:
    rendered, pem = file_bundle
    generated = [n for n in rendered.names("ConfigMap") if n.startswith("eks-ca-bundle-")]
    assert len(generated) == 1
    assert rendered.get("ConfigMap", generated[0])["data"]["ca-bundle.pem"] == pem
    for kind, name, _ in WORKLOADS:
        assert _volume_configmap(rendered.get(kind, name), "eks-ca-bundle") == generated[0]


def test_external_meilisearch_by_ip(aws: Rendered) -> None:
    service = aws.get("Service", "meilisearch-external")
    assert "selector" not in service["spec"], "kustomize labels added a selector"
    assert service["spec"]["type"] == "ClusterIP"
    slices = aws.of_kind("EndpointSlice")
    assert slices["meilisearch-external"]["endpoints"][0]["addresses"] == ["10.0.3.12"]
    assert slices["meilisearch-external"]["metadata"]["labels"]["kubernetes.io/service-name"] == (
        "meilisearch-external"
    )
    ingress = aws.get("Ingress", "meilisearch-external")
    rule = ingress["spec"]["rules"][0]
    assert rule["host"] == aws.config.get("MEILISEARCH_HOST", "meilisearch.local.openedx.io")
    assert rule["http"]["paths"][0]["backend"]["service"] == {
        "name": "meilisearch-external",
        "port": {"number": 7700},
    }


def test_external_meilisearch_by_name_with_community_nginx(byo: Rendered) -> None:
    service = byo.get("Service", "meilisearch-external")
    assert service["spec"]["type"] == "ExternalName"
    assert service["spec"]["externalName"] == "search.internal.example.com"
    assert "selector" not in service["spec"]
    assert "EndpointSlice" not in {o["kind"] for o in byo.objects}
    # byo + srv: public CAs, no CA bundle configured, so nothing is mounted.
    assert _volume_configmap(byo.get("Deployment", "lms"), "eks-ca-bundle") is None


def test_default_render_adds_nothing(default_render: Rendered) -> None:
    assert "meilisearch-external" not in default_render.names("Service")
    assert _volume_configmap(default_render.get("Deployment", "lms"), "eks-ca-bundle") is None


def test_settings_block_runs_after_forum_and_in_both_services(aws: Rendered) -> None:
    for variant in ("lms", "cms"):
        text = (
            Path(aws.root) / "env/apps/openedx/settings" / variant / "production.py"
        ).read_text()
        block = text.index("tutor-contrib-eks: external data stores (begin)")
        assert text.index('FORUM_SEARCH_BACKEND = "forum.search.meilisearch') < block
        assert 'FORUM_SEARCH_BACKEND = "forum.search.es.ElasticsearchBackend"' in text[block:]
        assert 'SEARCH_ENGINE = "search.elastic.ElasticSearchEngine"' in text[block:]
        assert "'retryWrites': False" in text[block:] and "'replicaSet': 'rs0'" in text[block:]
