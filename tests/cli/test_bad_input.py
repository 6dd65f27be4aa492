"""Bad config values: one clear error naming key, value and what is allowed; exit
non-zero; no traceback; config.yml byte-identical afterwards (real tutor CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tutor_cli import run_tutor

BAD_VALUES = [
    ("EKS_INGRESS_CONTROLLER", "traefik", "one of 'f5-nginx', 'community-nginx'"),
    ("EKS_INGRESS_CLASS_NAME", "Nginx Class", "a Kubernetes object name"),
    ("EKS_INGRESS_TLS_SECRET_NAME", "tls_secret!", "a Kubernetes object name"),
    ("EKS_INGRESS_FORCE_HTTPS", "yes", "true or false"),
    ("EKS_INGRESS_LMS_MAX_BODY_SIZE", "4MB", "an NGINX size such as '4m'"),
    ("EKS_INGRESS_CMS_MAX_BODY_SIZE", -1, "an NGINX size"),
    ("EKS_INGRESS_PROXY_TIMEOUT_SECONDS", 5, "a whole number from 10 to 3600"),
    ("EKS_INGRESS_PROXY_TIMEOUT_SECONDS", "300s", "a whole number from 10 to 3600"),
    ("EKS_INGRESS_EXTRA_ROUTES", [{"host": "x.example.com"}], "a list whose items are each"),
    (
        "EKS_INGRESS_EXTRA_ROUTES",
        [{"host": "Bad Host", "service": "a", "port": 80}],
        "a lower-case DNS host name",
    ),
    ("EKS_INGRESS_EXTRA_ANNOTATIONS", {"a": 1}, "annotation names to string values"),
    ("EKS_CHECK_KUBERNETES_VERSIONS", ["1.x"], "a Kubernetes minor version"),
    ("LMS_HOST", "https://learn.example.com", "a lower-case DNS host name"),
    ("CMS_HOST", "studio_example.com", "a lower-case DNS host name"),
    ("MFE_HOST", "", "a lower-case DNS host name"),
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad-input")
    run_tutor(root, "plugins", "enable", "eks")
    run_tutor(root, "config", "save")
    return root


@pytest.mark.parametrize(("key", "value", "allowed"), BAD_VALUES, ids=lambda v: str(v)[:30])
def test_bad_value_is_refused(root: Path, key: str, value: object, allowed: str) -> None:
    before = (root / "config.yml").read_bytes()
    env_before = (root / "env" / "kustomization.yml").read_bytes()
    result = run_tutor(root, "config", "save", "--set", f"{key}={json.dumps(value)}", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"{key}=" in output and "is not valid: expected" in output, output
    assert allowed in output, output
    assert "Traceback" not in output, output
    assert (root / "config.yml").read_bytes() == before
    assert (root / "env" / "kustomization.yml").read_bytes() == env_before


def test_hand_edited_config_is_refused_on_load(root: Path) -> None:
    """A bad value written into config.yml by hand stops the next command clearly."""
    path = root / "config.yml"
    before = path.read_bytes()
    try:
        path.write_text(before.decode() + "EKS_INGRESS_CONTROLLER: haproxy\n")
        result = run_tutor(root, "eks", "check", check=False)
        output = result.stdout + result.stderr
        assert result.returncode != 0
        assert "EKS_INGRESS_CONTROLLER='haproxy' is not valid" in output
        assert "Traceback" not in output
    finally:
        path.write_bytes(before)


def test_secret_values_are_never_echoed() -> None:
    from tutor_eks_plugin import config

    assert config.show("EKS_SOME_PASSWORD", "hunter2") == "(hidden)"
    assert config.show("REDIS_AUTH_TOKEN", "x") == "(hidden)"
    assert config.show("EKS_INGRESS_CLASS_NAME", "nginx") == "'nginx'"


def test_good_value_is_saved(root: Path) -> None:
    run_tutor(root, "config", "save", "--set", "EKS_INGRESS_PROXY_TIMEOUT_SECONDS=600")
    assert "EKS_INGRESS_PROXY_TIMEOUT_SECONDS: 600" in (root / "config.yml").read_text()


@pytest.mark.parametrize("value", [["0.0.0.0/0"], ["10.0.0.1"], ["203.0.113.0/33"], "203.0.113.0/24"])
def test_api_allow_list_must_be_real_cidrs(root: Path, value: object) -> None:
    before = (root / "config.yml").read_bytes()
    result = run_tutor(
        root, "config", "save", "--set",
        f"EKS_CLUSTER_ENDPOINT_PUBLIC_ACCESS_CIDRS={json.dumps(value)}", check=False,
    )
    assert result.returncode != 0
    assert "an IPv4 CIDR such as '203.0.113.0/24' (not 0.0.0.0/0)" in result.stderr + result.stdout
    assert (root / "config.yml").read_bytes() == before
