"""Small helpers shared by the edge module and cluster stack tests.

They run the real terraform binary offline against the provider mirror that the
``provider_mirror`` fixture finds (EKS_TF_PLUGIN_MIRROR), and read Terraform files with
python-hcl2.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import hcl2
from hcl2 import SerializationOptions

from tests.terraform.tf_common import run, tf_env  # noqa: F401  (re-exported)

REPO = Path(__file__).resolve().parents[2]
EDGE_MODULE = REPO / "terraform" / "modules" / "edge"
CLUSTER_STACK = REPO / "terraform" / "stacks" / "cluster"
CONTRACT = REPO / "docs" / "outputs-contract.md"

HCL_OPTIONS = SerializationOptions(
    strip_string_quotes=True, explicit_blocks=False, with_comments=False
)


def init_offline(terraform: str, mirror: str, workdir: Path) -> None:
    """`terraform init` from the local provider mirror only (no registry access)."""
    result = run(
        [terraform, "init", "-backend=false", "-input=false", "-no-color", f"-plugin-dir={mirror}"],
        workdir,
    )
    assert result.returncode == 0, f"terraform init failed:\n{result.stdout}\n{result.stderr}"


def copy_module(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    return target


def load_hcl(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return hcl2.load(handle, serialization_options=HCL_OPTIONS)


def load_dir(path: Path) -> dict[str, list[Any]]:
    """Every top-level block list of every .tf file in a folder, merged by block type."""
    merged: dict[str, list[Any]] = {}
    for tf_file in sorted(path.glob("*.tf")):
        for key, value in load_hcl(tf_file).items():
            merged.setdefault(key, []).extend(value if isinstance(value, list) else [value])
    return merged


def blocks(parsed: dict[str, list[Any]], kind: str) -> dict[str, dict[str, Any]]:
    """Named blocks (variable, output) as {name: body}."""
    found: dict[str, dict[str, Any]] = {}
    for entry in parsed.get(kind, []):
        found.update(entry)
    return found


def resources(parsed: dict[str, list[Any]], rtype: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for entry in parsed.get("resource", []):
        found.update(entry.get(rtype, {}))
    return found


def contract_outputs() -> set[str]:
    """Every output name in the tables of docs/outputs-contract.md."""
    names: set[str] = set()
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = line.split("|")[1]
        names.update(re.findall(r"`([a-z0-9_]+)`", first_cell))
    return names


def edge_contract_outputs() -> set[str]:
    """Output names of the "Edge outputs" table only."""
    text = CONTRACT.read_text(encoding="utf-8")
    section = text.split("Edge outputs", 1)[1]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([a-z0-9_]+)`", line.split("|")[1]))
    return names
