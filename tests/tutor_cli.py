"""Drive the real `tutor` CLI (the one installed beside this interpreter) in a temp root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing as t
from dataclasses import dataclass
from pathlib import Path

import yaml

TUTOR = str(Path(sys.executable).parent / "tutor")


def run_tutor(root: Path, *args: str, check: bool = True, stdin: str | None = None,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "TUTOR_ROOT": str(root), **(env or {})}
    if not (env and "TUTOR_PLUGINS_ROOT" in env):
        # Keep the developer's own plugins out of the tests.
        full_env["TUTOR_PLUGINS_ROOT"] = str(root / ".no-plugins")
    result = subprocess.run(
        [TUTOR, *args], capture_output=True, text=True, env=full_env, input=stdin,
        check=False, timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"tutor {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


DEFAULT_PLUGINS = ("mfe", "indigo")  # what Tutor's base config enables on a new root


def new_root(root: Path, plugins: t.Sequence[str] = (*DEFAULT_PLUGINS, "eks"),
             settings: dict[str, t.Any] | None = None,
             env: dict[str, str] | None = None) -> Path:
    """A Tutor root with exactly these plugins enabled, saved with these settings, in
    one `tutor config save` (one process instead of `config save`, `plugins disable`,
    `plugins enable` and `config save --set`: about a second each). Tutor enables the
    plugins config.yml lists, and its base config adds mfe and indigo only to a
    config.yml that lists none, so the root ends as `tutor plugins enable` leaves it."""
    root.mkdir(parents=True, exist_ok=True)
    # A config.yml already there (a copy of another root's) keeps its values.
    path = root / "config.yml"
    config = yaml.safe_load(path.read_text()) if path.exists() else {}
    path.write_text(yaml.safe_dump({**config, "PLUGINS": list(plugins)}))
    run_tutor(root, "config", "save", *set_args(settings or {}), env=env)
    enabled = yaml.safe_load((root / "config.yml").read_text())["PLUGINS"]
    assert enabled == list(plugins), f"plugins enabled: {enabled}, asked for: {list(plugins)}"
    return root


def set_args(settings: dict[str, t.Any]) -> list[str]:
    args: list[str] = []
    for key, value in settings.items():
        # JSON is YAML: Tutor parses each --set value as YAML, so types survive.
        args += ["--set", f"{key}={json.dumps(value)}"]
    return args


@dataclass
class Rendered:
    root: Path
    objects: list[dict[str, t.Any]]
    config: dict[str, t.Any]

    def of_kind(self, kind: str) -> dict[str, dict[str, t.Any]]:
        return {o["metadata"]["name"]: o for o in self.objects if o["kind"] == kind}

    def get(self, kind: str, name: str) -> dict[str, t.Any]:
        found = self.of_kind(kind)
        assert name in found, f"{kind}/{name} not rendered; have {sorted(found)}"
        return found[name]

    def names(self, kind: str) -> set[str]:
        return set(self.of_kind(kind))


def render(root: Path, kubectl: str, plugins: t.Sequence[str] = ("eks",),
           settings: dict[str, t.Any] | None = None,
           env: dict[str, str] | None = None) -> Rendered:
    """A fresh Tutor root with exactly these plugins and settings, rendered and
    kustomized."""
    new_root(root, plugins, settings, env)
    out = subprocess.run(
        [kubectl, "kustomize", str(root / "env")], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, f"kubectl kustomize failed:\n{out.stderr}"
    objects = [d for d in yaml.safe_load_all(out.stdout) if d]
    config = yaml.safe_load((root / "config.yml").read_text())
    return Rendered(root, objects, config)
