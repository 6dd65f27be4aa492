"""Bad config values: one clear error naming key, value and what is allowed; exit
non-zero; no traceback; config.yml byte-identical afterwards.

Every bad value goes through what `tutor config save --set` runs, in this process with the
plugin loaded as Tutor loads it (tests/eks_in_process.py, config_save_set): one process
instead of one per value. The real CLI (exit code, the one line on stderr, no traceback,
config.yml and env untouched) runs for the values in CLI_CASES, one of each kind of check
(a key's validator, an item of a list, a mapping's keys, an unknown key, a derived value,
the CIDR allow-list)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from eks_in_process import config_save_set
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


def _refused_by_the_cli(root: Path, settings: dict, *expected: str) -> str:
    """The real `tutor config save --set ...`: exit 1, one "Error: " line, the expected
    texts, no traceback, config.yml and the env untouched. Returns the output."""
    before = (root / "config.yml").read_bytes()
    env_before = (root / "env" / "kustomization.yml").read_bytes()
    args = [a for key, value in settings.items() for a in ("--set", f"{key}={json.dumps(value)}")]
    result = run_tutor(root, "config", "save", *args, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    errors = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and all(text in output for text in expected), output
    assert "Traceback" not in output, output
    assert (root / "config.yml").read_bytes() == before
    assert (root / "env" / "kustomization.yml").read_bytes() == env_before
    return output


def _refused_in_process(root: Path, settings: dict, *expected: str) -> str:
    before = (root / "config.yml").read_bytes()
    error = config_save_set(root, settings)
    assert error, f"{settings} was saved"
    assert all(text in error for text in expected), error
    assert (root / "config.yml").read_bytes() == before
    return error


@pytest.mark.parametrize(("key", "value", "allowed"), BAD_VALUES, ids=lambda v: str(v)[:30])
def test_bad_value_is_refused(root: Path, key: str, value: object, allowed: str) -> None:
    _refused_in_process(root, {key: value}, f"{key}=", "is not valid: expected", allowed)


# (key, value): one bad value of each kind of check, through the real CLI.
CLI_CASES = [
    ("EKS_INGRESS_CONTROLLER", "traefik"),
    ("EKS_INGRESS_EXTRA_ROUTES", [{"host": "x.example.com"}]),
    ("EKS_INGRESS_EXTRA_ANNOTATIONS", {"nginx.org/a: b": "c"}),
    ("EKS_LMS_MAX_REPLICA", 3),
]


@pytest.mark.parametrize(("key", "value"), CLI_CASES, ids=lambda v: str(v)[:30])
def test_the_cli_exits_1_on_a_bad_value(root: Path, key: str, value: object) -> None:
    allowed = next(a for k, v, a in BAD_VALUES if (k, v) == (key, value))
    _refused_by_the_cli(root, {key: value}, f"{key}=", "is not valid: expected", allowed)


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
    _refused_in_process(root, settings, message)


def test_the_cli_exits_1_on_a_derived_value(root: Path) -> None:
    settings, message = DERIVED[0]
    _refused_by_the_cli(root, settings, message)


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


CIDR_MESSAGE = "an IPv4 CIDR such as '203.0.113.0/24' (not 0.0.0.0/0)"


@pytest.mark.parametrize("value", [["0.0.0.0/0"], ["10.0.0.1"], ["203.0.113.0/33"], "203.0.113.0/24"])
def test_api_allow_list_must_be_real_cidrs(root: Path, value: object) -> None:
    _refused_in_process(root, {"EKS_CLUSTER_ENDPOINT_PUBLIC_ACCESS_CIDRS": value}, CIDR_MESSAGE)


def test_the_cli_refuses_an_open_allow_list(root: Path) -> None:
    _refused_by_the_cli(root, {"EKS_CLUSTER_ENDPOINT_PUBLIC_ACCESS_CIDRS": ["0.0.0.0/0"]},
                        CIDR_MESSAGE)
