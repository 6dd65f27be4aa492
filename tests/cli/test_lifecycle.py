"""Enable/disable and `tutor eks check` on a real Tutor root."""

from __future__ import annotations

from pathlib import Path

import yaml
from eks_in_process import eks_plugin_in_process
from tutor import config as tutor_config
from tutor_cli import run_tutor

OVERRIDDEN = ("RUN_MYSQL", "RUN_MONGODB", "RUN_REDIS", "RUN_MEILISEARCH", "RUN_SMTP",
              "ENABLE_WEB_PROXY")


def test_disable_restores_tutor_behaviour(tmp_path: Path) -> None:
    run_tutor(tmp_path, "plugins", "enable", "eks")
    # CONFIG_OVERRIDES apply when the config loads (they are not written to config.yml).
    # The real CLI for one key; all of them loaded as `tutor config printvalue` loads
    # them (tutor.config.load), in this process with the plugin loaded as Tutor loads it.
    assert _value(tmp_path, "RUN_MYSQL") is False
    with eks_plugin_in_process(mark_loaded=True):
        assert _values(tmp_path) == [False] * len(OVERRIDDEN)
    assert (tmp_path / "env" / "plugins" / "eks" / "k8s" / "ingress.yml").exists()

    run_tutor(tmp_path, "plugins", "disable", "eks")
    assert _value(tmp_path, "RUN_MYSQL") is True
    # Disabled: not in PLUGINS, so Tutor loads the config without it.
    assert "eks" not in yaml.safe_load((tmp_path / "config.yml").read_text())["PLUGINS"]
    assert _values(tmp_path) == [True] * len(OVERRIDDEN)
    kustomization = (tmp_path / "env" / "kustomization.yml").read_text()
    assert "plugins/eks" not in kustomization
    assert "caddy" in (tmp_path / "env" / "k8s" / "deployments.yml").read_text()


def test_check_never_touches_the_project_env(tmp_path: Path) -> None:
    run_tutor(tmp_path, "plugins", "enable", "eks")
    env_file = tmp_path / "env" / "kustomization.yml"
    env_file.write_text(env_file.read_text() + "# marker left by the test\n")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = run_tutor(tmp_path, "eks", "check")
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert before == after
    assert "Policies:" in result.stdout and "OK in" in result.stdout


def test_check_reports_a_broken_render(tmp_path: Path) -> None:
    """A policy failure names the object and the reason, and exits non-zero."""
    run_tutor(tmp_path, "plugins", "enable", "eks")
    # Pointing the ingress class at a value the render does not use is impossible
    # through config (it is the same key), so break the render the way a user can:
    # a custom route to a Service that does not exist.
    run_tutor(tmp_path, "config", "save", "--set",
              'EKS_INGRESS_EXTRA_ROUTES=[{"host": "x.example.com", "service": "ghost", "port": 80}]')
    result = run_tutor(tmp_path, "eks", "check", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Ingress/ghost: backend Service ghost is not rendered" in output
    assert "Traceback" not in output


def _value(root: Path, key: str) -> object:
    return yaml.safe_load(run_tutor(root, "config", "printvalue", key).stdout)


def _values(root: Path) -> list[object]:
    config = tutor_config.load(str(root))
    return [config[key] for key in OVERRIDDEN]
