"""Bad config values: one clear error naming key, value and what is allowed; exit
non-zero; no traceback; config.yml byte-identical afterwards (real tutor CLI)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
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
    # A key is written into YAML: a newline or ': ' would inject a second annotation.
    (
        "EKS_INGRESS_EXTRA_ANNOTATIONS",
        {"a\nnginx.org/server-snippets": "return 200;"},
        "Kubernetes qualified name such as 'nginx.org/server-tokens'",
    ),
    ("EKS_INGRESS_EXTRA_ANNOTATIONS", {"nginx.org/a: b": "c"}, "'nginx.org/a: b' is not one"),
    ("EKS_INGRESS_EXTRA_ANNOTATIONS", {"Nginx.org/x": "c"}, "'Nginx.org/x' is not one"),
    ("EKS_INGRESS_EXTRA_ANNOTATIONS", {"x" * 64: "c"}, "at most 63 letters"),
    # Unknown keys under the plugin's prefix: refused, with the closest real key.
    ("EKS_LMS_MAX_REPLICA", 3, "did you mean EKS_LMS_MAX_REPLICAS?"),
    ("EKS_INGRES_CLASS_NAME", "nginx", "did you mean EKS_INGRESS_CLASS_NAME?"),
    # Quantities as YAML numbers are accepted, but only sensible ones.
    ("EKS_LMS_CPU_LIMIT", -2, "a CPU quantity such as '500m' or '2'"),
    ("EKS_LMS_CPU_LIMIT", 0.0001, "a CPU quantity such as '500m' or '2'"),
    ("EKS_LMS_MEMORY_LIMIT", True, "a memory quantity"),
    ("OPENEDX_LMS_UWSGI_WORKERS", 0, "a whole number from 1 to 512"),
    ("OPENEDX_CMS_UWSGI_WORKERS", "two", "a whole number from 1 to 512"),
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


# Derived values: what the templates compute from other keys must make sense (request
# above 0, request within one node's allocatable, limit within one node) for the
# profile's instance type (production: m6i.xlarge, 3920m / 4000m CPU).
DERIVED = [
    ({"OPENEDX_LMS_UWSGI_WORKERS": 100},
     "EKS_LMS_CPU_LIMIT='100' (its default follows OPENEDX_LMS_UWSGI_WORKERS=100) is more "
     "than one m6i.xlarge node (EKS_PROFILE=production) has (4000m)"),
    ({"OPENEDX_CMS_UWSGI_WORKERS": 8},
     "EKS_CMS_CPU_REQUEST='4000m' (its default follows OPENEDX_CMS_UWSGI_WORKERS=8) is more "
     "than one m6i.xlarge node (EKS_PROFILE=production) gives pods (3920m)"),
    ({"EKS_LMS_CPU_REQUEST": "0m"}, "EKS_LMS_CPU_REQUEST='0m' (its default follows "
     "OPENEDX_LMS_UWSGI_WORKERS=2) must be above 0"),
    ({"EKS_MFE_MEMORY_REQUEST": 0}, "EKS_MFE_MEMORY_REQUEST=0 must be above 0"),
    ({"EKS_CMS_WORKER_MEMORY_REQUEST": "64Gi", "EKS_CMS_WORKER_MEMORY_LIMIT": "64Gi"},
     "EKS_CMS_WORKER_MEMORY_REQUEST='64Gi' (its default follows EKS_CMS_WORKER_CONCURRENCY=2) "
     "is more than one m6i.xlarge node (EKS_PROFILE=production) gives pods (14162Mi)"),
    ({"EKS_PROFILE": "small", "EKS_LMS_CPU_LIMIT": 3},
     "EKS_LMS_CPU_LIMIT=3 (its default follows OPENEDX_LMS_UWSGI_WORKERS=2) is more than "
     "one m6i.large node (EKS_PROFILE=small) has (2000m)"),
]


@pytest.mark.parametrize(("settings", "message"), DERIVED, ids=lambda v: str(v)[:40])
def test_derived_value_is_refused(root: Path, settings: dict, message: str) -> None:
    before = (root / "config.yml").read_bytes()
    args = [a for key, value in settings.items() for a in ("--set", f"{key}={json.dumps(value)}")]
    result = run_tutor(root, "config", "save", *args, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert message in output, output
    assert "Traceback" not in output, output
    assert (root / "config.yml").read_bytes() == before


def test_quantities_given_as_yaml_numbers_are_accepted(tmp_path: Path, kubectl_bin: str) -> None:
    """`--set EKS_LMS_CPU_LIMIT=2` and `--set EKS_INGRESS_LMS_MAX_BODY_SIZE=0` (no limit)
    are saved as numbers and rendered as the strings Kubernetes and NGINX expect."""
    root = tmp_path / "numbers"
    root.mkdir()
    run_tutor(root, "plugins", "enable", "eks")
    run_tutor(root, "config", "save", "--set", "EKS_LMS_CPU_LIMIT=2",
              "--set", "EKS_INGRESS_LMS_MAX_BODY_SIZE=0", "--set", "EKS_LMS_MEMORY_LIMIT=3221225472")
    saved = (root / "config.yml").read_text()
    assert "EKS_LMS_CPU_LIMIT: 2\n" in saved and "EKS_INGRESS_LMS_MAX_BODY_SIZE: 0\n" in saved
    out = subprocess.run([kubectl_bin, "kustomize", str(root / "env")], capture_output=True,
                         text=True, check=True).stdout
    objects = {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(out) if o}
    lms = objects[("Deployment", "lms")]["spec"]["template"]["spec"]["containers"][0]
    assert lms["resources"]["limits"] == {"cpu": "2", "memory": "3221225472"}
    annotations = objects[("Ingress", "lms")]["metadata"]["annotations"]
    assert annotations["nginx.org/client-max-body-size"] == "0"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("EKS_INGRESS_CONTROLLER: haproxy", "EKS_INGRESS_CONTROLLER='haproxy' is not valid"),
        ("EKS_LMS_MAX_REPLICA: 3", "did you mean EKS_LMS_MAX_REPLICAS?"),
    ],
)
def test_hand_edited_config_is_refused_on_load(root: Path, line: str, message: str) -> None:
    """A bad value written into config.yml by hand stops the next command with the
    plugin's message only: no "Error applying action: func=<function ...>" from Tutor's
    hook machinery and no Meilisearch notice before it."""
    path = root / "config.yml"
    before = path.read_bytes()
    try:
        path.write_text(before.decode() + line + "\n")
        result = run_tutor(root, "eks", "check", check=False)
        output = result.stdout + result.stderr
        assert result.returncode != 0
        assert message in output
        assert "Traceback" not in output
        assert "Error applying action" not in output, output
        assert "MEILISEARCH_URL" not in output, output
        lines = [x for x in output.splitlines() if x.strip() and "running Tutor as root" not in x]
        assert lines[0].startswith("Error: ") and message in lines[0], output
        assert len(lines) == 2 and lines[1].startswith("Fix it with"), output
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
