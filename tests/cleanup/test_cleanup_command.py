"""`tutor eks cleanup` against a stand-in cluster.

No cluster runs here: a recording `kubectl` (jobs/stub_cluster.py, set as EKS_KUBECTL)
answers `kubectl get -o json` with the objects a namespace keeps after plain Tutor,
and records the delete. The render the command compares against is the real one.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
from tutor_cli import new_root, run_tutor

from tests.jobs.stub_cluster import calls, install_stub_kubectl
from tutor_eks_plugin.commands.cleanup import find_leftovers, is_leftover


def _obj(kind: str, name: str) -> dict[str, t.Any]:
    return {"kind": kind, "metadata": {"name": name, "namespace": "openedx"}}


CLUSTER = [
    _obj("Deployment", "caddy"), _obj("Deployment", "mysql"), _obj("Deployment", "redis"),
    _obj("Deployment", "smtp"), _obj("Deployment", "lms"), _obj("Deployment", "lms-worker"),
    _obj("Service", "caddy"), _obj("Service", "mysql"), _obj("Service", "smtp"),
    _obj("Service", "lms"),
    _obj("ConfigMap", "caddy-config-7m2ft8h5c4"), _obj("ConfigMap", "redis-config-b8g2m5"),
    _obj("ConfigMap", "openedx-config-hm8874f88d"),
    _obj("PersistentVolumeClaim", "caddy"), _obj("PersistentVolumeClaim", "mysql"),
    _obj("PersistentVolumeClaim", "openedx-media"),
]
WITHOUT_VOLUMES = [
    "deployment/caddy", "deployment/mysql", "deployment/redis", "deployment/smtp",
    "service/caddy", "service/mysql", "service/smtp",
    "configmap/caddy-config-7m2ft8h5c4", "configmap/redis-config-b8g2m5",
]
VOLUMES = ["persistentvolumeclaim/caddy", "persistentvolumeclaim/mysql"]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cleanup-root")
    new_root(path)
    return path


def _run(root: Path, tmp_path: Path, kubectl_bin: str, *args: str):
    script, log = install_stub_kubectl(tmp_path / "bin", kubectl_bin, objects=CLUSTER)
    result = run_tutor(root, "eks", "cleanup", *args, env={"EKS_KUBECTL": str(script)},
                       check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    recorded = calls(log)
    gets = [c["args"] for c in recorded if c["args"][:1] == ["get"]]
    assert len(gets) == 1 and "--selector" in gets[0]
    selector = gets[0][gets[0].index("--selector") + 1]
    assert selector.startswith("app.kubernetes.io/instance=openedx-")
    deletes = [c["args"] for c in recorded if c["args"][:1] == ["delete"]]
    return result.stdout + result.stderr, deletes


def test_dry_run_lists_and_deletes_nothing(root, tmp_path, kubectl_bin) -> None:
    out, deletes = _run(root, tmp_path, kubectl_bin)
    assert deletes == []
    for ref in WITHOUT_VOLUMES:
        assert f"Would delete {ref}" in out
    for ref in VOLUMES:
        assert f"Keeping {ref}" in out
    assert "lms" not in [line.rsplit("/", 1)[-1] for line in out.splitlines()]
    assert "openedx-media" not in out


def test_apply_deletes_exactly_the_leftovers(root, tmp_path, kubectl_bin) -> None:
    _, deletes = _run(root, tmp_path, kubectl_bin, "--apply")
    assert len(deletes) == 1
    refs = [a for a in deletes[0] if "/" in a]
    assert sorted(refs) == sorted(WITHOUT_VOLUMES)
    assert "--namespace" in deletes[0] and "openedx" in deletes[0]


def test_volumes_only_with_the_flag(root, tmp_path, kubectl_bin) -> None:
    _, deletes = _run(root, tmp_path, kubectl_bin, "--apply", "--include-volumes")
    refs = [a for a in deletes[0] if "/" in a]
    assert sorted(refs) == sorted(WITHOUT_VOLUMES + VOLUMES)


def test_objects_of_the_current_render_are_never_leftovers(
    tmp_path, kubectl_bin, monkeypatch
) -> None:
    """A selector-less `mysql` Service that points at RDS is part of the render: kept."""
    script, _ = install_stub_kubectl(tmp_path / "bin", kubectl_bin, objects=CLUSTER)
    monkeypatch.setenv("EKS_KUBECTL", str(script))
    found = {o.ref for o in find_leftovers("openedx", "x", keep={("service", "mysql")})}
    assert found == set(WITHOUT_VOLUMES + VOLUMES) - {"service/mysql"}
    assert not is_leftover("deployment", "lms")
    assert not is_leftover("persistentvolumeclaim", "smtp")
    assert not is_leftover("configmap", "openedx-config-abc")
