"""The render with the secrets source on: the SecretStore and ExternalSecret pass the
strict schemas of the pinned operator's CRDs (vendored, render/crd_schemas/), every pod
that reads a value gets it from the Kubernetes Secret the ExternalSecret writes, and the
secrets policy passes; with the source off the same policy finds the values.

Renders: the real tutor CLI (tests/secrets/conftest.py) and the real `kubectl kustomize`.
"""

from __future__ import annotations

import copy
import subprocess
import typing as t
from pathlib import Path

import pytest
import yaml
from datastore_roots import render_root
from secrets_cases import DRIVER_MOVES, VALUES, arn, referenced_settings
from tutor_cli import run_tutor

from tutor_eks_plugin.policies import secrets as policy
from tutor_eks_plugin.render import schemas
from tutor_eks_plugin.settings import secrets

K8S_VERSION = "1.34"


def kustomize(root: Path, kubectl: str) -> list[dict[str, t.Any]]:
    out = subprocess.run([kubectl, "kustomize", str(root / "env")], capture_output=True,
                         text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def config_of(root: Path) -> dict[str, t.Any]:
    return yaml.safe_load((root / "config.yml").read_text())


def one(objects: list[dict[str, t.Any]], kind: str, name: str | None = None) -> dict[str, t.Any]:
    found = [o for o in objects if o["kind"] == kind and name in (None, o["metadata"]["name"])]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} objects"
    return found[0]


def env_refs(obj: dict[str, t.Any]) -> dict[str, tuple[str, str]]:
    """Container env name -> (Secret, key) of every secretKeyRef of the first container."""
    container = obj["spec"]["template"]["spec"]["containers"][0]
    return {
        e["name"]: (e["valueFrom"]["secretKeyRef"]["name"], e["valueFrom"]["secretKeyRef"]["key"])
        for e in container.get("env", [])
        if "secretKeyRef" in e.get("valueFrom", {})
    }


@pytest.fixture(scope="module")
def on(referenced_root: Path, kubectl_bin: str) -> list[dict[str, t.Any]]:
    return kustomize(referenced_root, kubectl_bin)


@pytest.fixture(scope="module")
def off(inline_root: Path, kubectl_bin: str) -> list[dict[str, t.Any]]:
    return kustomize(inline_root, kubectl_bin)


def test_secret_objects_pass_the_operators_strict_schemas(on: list[dict[str, t.Any]]) -> None:
    result = schemas.validate(on, K8S_VERSION)
    assert result.failures == []
    assert not [u for u in result.unchecked if u.startswith(("SecretStore", "ExternalSecret"))]
    store = one(on, "SecretStore")
    assert store["spec"]["provider"]["aws"] == {"service": "SecretsManager", "region": "eu-west-1"}
    external = one(on, "ExternalSecret")
    assert external["spec"]["secretStoreRef"] == {"kind": "SecretStore", "name": secrets.SECRET_STORE}
    assert {d["remoteRef"]["key"] for d in external["spec"]["data"]} == {arn(k) for k in VALUES}


def test_a_misspelt_or_mistyped_field_fails_the_schema(on: list[dict[str, t.Any]]) -> None:
    external = copy.deepcopy(one(on, "ExternalSecret"))
    external["spec"]["refreshIntervall"] = "1h"
    store = copy.deepcopy(one(on, "SecretStore"))
    store["spec"]["provider"]["aws"]["service"] = "SecretManager"
    result = schemas.validate([external, store], K8S_VERSION)
    assert any("refreshIntervall" in f for f in result.failures), result.failures
    assert any("SecretManager" in f for f in result.failures), result.failures


def test_each_reader_gets_exactly_its_values_from_the_synced_secret(
    on: list[dict[str, t.Any]],
) -> None:
    produced = {d["secretKey"] for d in one(on, "ExternalSecret")["spec"]["data"]}
    target = one(on, "ExternalSecret")["spec"]["target"]["name"]
    openedx = {m.env for m in secrets.MOVABLE if secrets.OPENEDX in m.readers}
    for kind, name in (("Deployment", "lms"), ("Deployment", "cms"),
                       ("Deployment", "lms-worker"), ("Deployment", "cms-worker"),
                       ("Job", "lms-job"), ("Job", "cms-job")):
        refs = env_refs(one(on, kind, name))
        assert set(refs) == openedx, f"{kind}/{name}"
        assert all(secret == target and key in produced for secret, key in refs.values())
    mysql_job = env_refs(one(on, "Job", "mysql-job"))
    assert set(mysql_job) == {"EKS_SECRET_MYSQL_ROOT_PASSWORD", "EKS_SECRET_OPENEDX_MYSQL_PASSWORD"}
    # The MFE serves static files: it reads no secret.
    assert env_refs(one(on, "Deployment", "mfe")) == {}


def test_policy_passes_with_the_source_on(
    on: list[dict[str, t.Any]], referenced_root: Path
) -> None:
    config = config_of(referenced_root)
    assert policy.no_store_passwords(on, config) == []
    assert policy.findings(on, config) == []


def test_policy_finds_the_values_with_the_source_off(
    off: list[dict[str, t.Any]], inline_root: Path
) -> None:
    config = config_of(inline_root)
    found = policy.findings(off, config)
    settings_maps = [o["metadata"]["name"] for o in off if o["kind"] == "ConfigMap"
                     and o["metadata"]["name"].startswith("openedx-settings-lms")]
    assert any(f"ConfigMap/{settings_maps[0]}: data.production.py holds the value of" in f
               and "REDIS_PASSWORD" in f for f in found), found
    assert any("holds the value of" in f and "OPENEDX_MYSQL_PASSWORD" in f
               and "lms.env.yml" in f for f in found), found
    assert not [v for v in VALUES.values() if any(v in f for f in found)], "a value was shown"
    # With the source off it is a figure, not a failure; forced on, it fails.
    assert policy.no_store_passwords(off, config) == []
    assert policy.plain_secrets_figure(off, config)
    assert policy.no_store_passwords(off, {**config, "EKS_SECRETS_SOURCE": "secretsmanager"})


def test_policy_finds_what_looks_like_a_password_without_knowing_it(
    off: list[dict[str, t.Any]],
) -> None:
    """A config that knows no value (e.g. another plugin rendered its own password)."""
    found = policy.findings(off, {"EKS_SECRETS_SOURCE": "secretsmanager"})
    assert any("looks like a store password (credentials in a URL)" in f for f in found), found
    assert any("looks like a store password (a password setting)" in f for f in found), found


def test_check_command_fails_on_a_value_left_behind(
    tmp_path: Path, inline_root: Path
) -> None:
    """`tutor eks check` end to end: source on, the SMTP password set but not moved (the
    state a first `tutor eks infra apply` leaves when the user set one): it fails naming
    the object and the key."""
    settings = referenced_settings([k for k in VALUES if k != "SMTP_PASSWORD"])
    root = render_root(tmp_path / "root", settings)
    result = run_tutor(root, "eks", "check", check=False)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "FAIL policy secrets.no_store_passwords: ConfigMap/openedx-config-" in out
    assert "holds the value of SMTP_PASSWORD" in out
    assert "Not moved to Secrets Manager yet: SMTP_PASSWORD" in out
    assert VALUES["SMTP_PASSWORD"] not in out


def test_check_passes_on_what_infra_apply_writes(tmp_path: Path) -> None:
    """Exactly the keys the driver moves on its own (the contract's secrets, the app
    user's MySQL password among them, as a plain-string reference) and no SMTP password:
    `tutor eks check` passes without any move by hand, and no rendered file holds the
    app password. (An SES relay needs an SMTP password, which is moved by hand: a relay
    without authentication stands here for an install that sets none.)"""
    assert DRIVER_MOVES.get("OPENEDX_MYSQL_PASSWORD") == ""
    settings = {
        **referenced_settings(DRIVER_MOVES),
        "SMTP_HOST": "smtp.example.org", "SMTP_USERNAME": "", "SMTP_PASSWORD": "",
    }
    root = render_root(tmp_path / "root", settings)
    assert config_of(root)["OPENEDX_MYSQL_PASSWORD"] == "${EKS_SECRET_OPENEDX_MYSQL_PASSWORD}"
    result = run_tutor(root, "eks", "check", check=False)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Policies: " in out and " 0 failed" in out
    assert "Not moved to Secrets Manager yet" not in out
    rendered = "".join(
        f.read_text(errors="replace") for f in (root / "env").rglob("*") if f.is_file()
    )
    assert [k for k in DRIVER_MOVES if VALUES[k] in rendered] == []


def test_check_command_passes_with_every_value_moved(referenced_root: Path) -> None:
    """`tutor eks check` end to end on the fully referenced root: every policy passes,
    including the endpoint policy that executes the settings (each EKS_SECRET_* variable
    played by its placeholder) and finds the Redis password read from the environment."""
    result = run_tutor(referenced_root, "eks", "check", check=False)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Policies: " in out and " 0 failed" in out
    assert not [v for v in VALUES.values() if v in out]


def test_other_plugins_services_get_only_the_redis_token(
    tmp_path: Path, kubectl_bin: str
) -> None:
    """tutor-contrib-notes' Django service: its data-store wiring reads the Redis AUTH
    token from the environment, and that is all it receives."""
    root = render_root(tmp_path / "notes", referenced_settings(), ("eks", "notes"))
    objects = kustomize(root, kubectl_bin)
    for kind, name in (("Deployment", "notes"), ("Job", "notes-job")):
        refs = env_refs(one(objects, kind, name))
        assert set(refs) == {"EKS_SECRET_REDIS_PASSWORD"}, f"{kind}/{name}: {refs}"
    # The notes service's own MySQL password (NOTES_MYSQL_PASSWORD, its plugin's key) is
    # not moved (docs/secrets.md): the policy finds it without knowing it.
    found = policy.findings(objects, config_of(root))
    assert len(found) == 1 and found[0].startswith("ConfigMap/notes-settings-"), found
    assert found[0].endswith("holds what looks like a store password (a password setting)")
