"""Checks every Terraform module's test file makes the same way: fmt, an initialised
throw-away copy, `terraform validate` as the child of a wrapper root, and a README that
documents every input and output."""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

from tests.terraform.edge_tf_helpers import blocks, copy_module, init_offline, load_dir
from tests.terraform.tf_common import run


def assert_fmt_clean(terraform_bin: str, folder: Path, *targets: str) -> None:
    """`terraform fmt -check -recursive` on ``targets`` (default: all of ``folder``)."""
    for target in targets or (".",):
        result = run(
            [terraform_bin, "fmt", "-check", "-recursive", "-diff", "-no-color", target], folder
        )
        assert result.returncode == 0, (
            f"terraform fmt would change {folder / target}:\n{result.stdout}{result.stderr}"
        )


def initialised_copy(module: Path, target: Path, terraform_bin: str, mirror: str) -> Path:
    """The module copied to ``target`` and initialised from the provider mirror (tests
    never write in the repository)."""
    workdir = copy_module(module, target)
    init_offline(terraform_bin, mirror, workdir)
    return workdir


def validate_as_child(terraform_bin: str, mirror: str, root: Path, wrapper: str) -> dict[str, t.Any]:
    """`terraform validate -json` of a root made of ``wrapper`` (a main.tf that calls the
    module): how a module with configuration_aliases validates. The JSON report."""
    (root / "main.tf").write_text(wrapper)
    init_offline(terraform_bin, mirror, root)
    result = run([terraform_bin, "validate", "-json", "-no-color"], root)
    return t.cast(dict[str, t.Any], json.loads(result.stdout))


def assert_readme_documents_the_interface(module: Path) -> None:
    """README.md lists every variable and output, and each has a description."""
    parsed = load_dir(module)
    readme = (module / "README.md").read_text(encoding="utf-8")
    for kind in ("variable", "output"):
        for name, body in blocks(parsed, kind).items():
            assert f"| `{name}` |" in readme, f"{module.name}/README.md does not list {kind} {name}"
            assert body.get("description"), f"{kind} {name} has no description"
