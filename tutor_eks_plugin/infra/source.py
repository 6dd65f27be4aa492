"""Where the Terraform code comes from: the packaged stacks, or an override folder.

The wheel ships the repository's top-level ``terraform/`` folder as the package data
``tutor_eks_plugin/terraform`` (see setup.py). ``EKS_TERRAFORM_SOURCE`` (or the
``--terraform-source`` option) points at another folder with the same layout
(``stacks/<stage>/`` and ``modules/``): a fork of the stacks, or the tests' fixtures.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import os
import typing as t
from pathlib import Path

from tutor import exceptions

SOURCE_ENV = "EKS_TERRAFORM_SOURCE"


def _package_dir(name: str) -> t.Optional[Path]:
    """A package's folder on disk, also for a namespace package (no __init__.py)."""
    try:
        found = importlib.resources.files(name)
    except ModuleNotFoundError:
        return None
    if isinstance(found, Path):
        return found
    # A namespace package gives a MultiplexedPath: take its locations from the spec.
    spec = importlib.util.find_spec(name)
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


def _packaged() -> t.Optional[Path]:
    path = _package_dir("tutor_eks_plugin.terraform")
    if path is not None and (path / "stacks").is_dir():
        return path
    # An editable install (`pip install -e .`) may not map the package data at all,
    # depending on the setuptools mode: fall back to the repository layout.
    repo = Path(__file__).resolve().parents[2] / "terraform"
    if (repo / "stacks").is_dir():
        return repo
    return None


def root(override: t.Optional[str] = None) -> Path:
    """The folder holding ``stacks/`` and ``modules/``."""
    chosen = override or os.environ.get(SOURCE_ENV) or ""
    if chosen:
        path = Path(chosen).expanduser().resolve()
        if not (path / "stacks").is_dir():
            raise exceptions.TutorError(
                f"{SOURCE_ENV}={chosen} has no stacks/ folder: point it at a folder "
                "holding stacks/<stage>/ and modules/."
            )
        return path
    packaged = _packaged()
    if packaged is None:
        raise exceptions.TutorError(
            "The Terraform stacks are missing from the installed tutor-contrib-eks "
            f"package; reinstall it, or set {SOURCE_ENV} to a folder with stacks/ and modules/."
        )
    return packaged


def stack(source: Path, stage: str) -> Path:
    path = source / "stacks" / stage
    if not any(path.glob("*.tf")):
        raise exceptions.TutorError(
            f"Stage {stage!r} has no Terraform files in {path}: is the stack missing from {source}?"
        )
    return path


def has_stack(source: Path, stage: str) -> bool:
    return any((source / "stacks" / stage).glob("*.tf"))
