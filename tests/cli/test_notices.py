"""The MEILISEARCH_URL notice: said once where it matters (`tutor eks check`, `tutor k8s
start`, the end of `tutor eks infra apply`), never on the other commands.

`tutor k8s start` needs a cluster: a recording stand-in `kubectl` (tests/jobs/
stub_cluster.py) answers it, as in the jobs tests, since no API server runs here.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from tutor_cli import DEFAULT_PLUGINS, new_root, run_tutor

from tests.jobs.stub_cluster import calls, install_stub_kubectl

NOTICE = "MEILISEARCH_URL is still Tutor's default"
TUTOR_WARNING = "RUN_MEILISEARCH=false, but MEILISEARCH_URL"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("notices")
    run_tutor(root, "config", "save")
    return root


def _output(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = run_tutor(root, *args, env=env)
    return result.stdout + result.stderr


def test_everyday_commands_say_nothing_about_meilisearch(root: Path) -> None:
    for args in (("plugins", "enable", "eks"), ("config", "save"),
                 ("config", "printvalue", "LMS_HOST"), ("plugins", "list")):
        output = _output(root, *args)
        assert NOTICE not in output and TUTOR_WARNING not in output, (args, output)


def test_check_says_it_once(root: Path) -> None:
    run_tutor(root, "plugins", "enable", "eks")
    output = _output(root, "eks", "check")
    assert output.count(NOTICE) == 1, output
    assert TUTOR_WARNING not in output


def test_k8s_start_says_it_once(root: Path, tmp_path: Path, kubectl_bin: str) -> None:
    run_tutor(root, "plugins", "enable", "eks")
    script, log = install_stub_kubectl(tmp_path / "bin", kubectl_bin)
    env = {"PATH": f"{script.parent}{os.pathsep}{os.environ['PATH']}"}
    output = _output(root, "k8s", "start", env=env)
    assert output.count(NOTICE) == 1, output
    assert any(c["args"][:1] == ["apply"] for c in calls(log))


def test_silent_once_meilisearch_is_configured(root: Path, tmp_path: Path) -> None:
    other = tmp_path / "configured"
    other.mkdir()
    (other / "config.yml").write_bytes((root / "config.yml").read_bytes())
    new_root(other, (*DEFAULT_PLUGINS, "eks"), {"MEILISEARCH_URL": "http://10.0.3.12:7700"})
    assert NOTICE not in _output(other, "eks", "check")


@pytest.mark.parametrize(("url", "said"), [(None, True), ("http://10.0.3.12:7700", False)])
def test_infra_apply_says_it_after_the_apply(root: Path, tmp_path: Path, monkeypatch,
                                             url: str | None, said: bool) -> None:
    """The notice is registered when `tutor eks infra apply` loads its config and said
    when the command ends, from the config as the apply left it. A click command at that
    path stands in for the real apply (which needs Terraform stacks, see tests/driver):
    what is tested is the timing, with the real config.yml."""
    from tutor_eks_plugin import config as eks_config
    from tutor_eks_plugin import notices

    applied = tmp_path / "applied"
    applied.mkdir()
    text = (root / "config.yml").read_text()
    if url:
        text += f"MEILISEARCH_URL: {url}\n"
    (applied / "config.yml").write_text(text)
    monkeypatch.setattr(notices, "_said", set())
    monkeypatch.setattr(eks_config, "problems", lambda config: [])
    events: list[str] = []

    class Obj:
        root = str(applied)

    @click.group(name="tutor")
    def tutor() -> None: ...

    @tutor.group(name="eks")
    def eks() -> None: ...

    @eks.group(name="infra")
    def infra() -> None: ...

    @infra.command(name="apply")
    def apply() -> None:
        notices.on_config_loaded({"MEILISEARCH_URL": notices.default_url()})
        events.append("applied")

    monkeypatch.setattr(notices.fmt, "echo_alert", lambda text: events.append(text))
    result = CliRunner().invoke(tutor, ["eks", "infra", "apply"], obj=Obj())
    assert result.exit_code == 0, result.output
    assert events[0] == "applied"
    assert (events[1:] == [notices.meilisearch_message()]) is said, events
