"""Render a Tutor root into a throw-away copy and build it with `kubectl kustomize`."""

from __future__ import annotations

import shutil
import subprocess
import typing as t
from pathlib import Path

import yaml
from tutor import config as tutor_config
from tutor import env as tutor_env
from tutor import exceptions

from .. import tools


def render_copy(user_root: str, work_root: str) -> dict[str, t.Any]:
    """Copy the user's config.yml into work_root and render the env there.

    The user's own env/ is never written. Returns the full config that was rendered.
    """
    source = Path(tutor_config.config_path(user_root))
    target = Path(tutor_config.config_path(work_root))
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.exists():
        shutil.copyfile(source, target)
    config = tutor_config.load_full(work_root)
    tutor_env.save(work_root, config)
    return config


def kustomize(root: str) -> list[dict[str, t.Any]]:
    """`kubectl kustomize <root>/env`: the objects `tutor k8s start` would apply."""
    kubectl = tools.kubectl()
    result = subprocess.run(
        [kubectl, "kustomize", tutor_env.pathjoin(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise exceptions.TutorError(
            "kubectl kustomize failed on the rendered env:\n" + result.stderr.strip()
        )
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]
