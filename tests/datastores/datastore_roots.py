"""Tutor roots rendered by the real CLI, and the CA mount the pods would see."""

from __future__ import annotations

import shutil
import typing as t
from pathlib import Path

from tutor_cli import DEFAULT_PLUGINS, new_root


def render_root(
    root: Path, settings: dict[str, t.Any], plugins: tuple[str, ...] = ("eks",)
) -> Path:
    """A Tutor root with these plugins (beside Tutor's default mfe and indigo) and
    settings, rendered by the real CLI."""
    new_root(root, list(dict.fromkeys((*DEFAULT_PLUGINS, *plugins))), settings)
    return root


def mount_ca(root: Path, target: Path, bundle: Path | None = None) -> Path:
    """Play the kubelet: the folder the pods see at /etc/ssl/eks-ca, with the CA bundle
    Tutor rendered (or, to prove verification, another bundle)."""
    target.mkdir(parents=True, exist_ok=True)
    source = bundle or root / "env" / "plugins" / "eks" / "ca" / "ca-bundle.pem"
    shutil.copyfile(source, target / "ca-bundle.pem")
    return target
