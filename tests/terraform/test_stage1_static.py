"""Stage 1 static checks: `terraform fmt` and `terraform validate` of every module
(network, eks, mysql, mongodb, redis, search, storage) and of stacks/aws, with the
real AWS provider schema from the offline mirror."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from stage1_tf_helpers import STAGE1_DIRS, TERRAFORM_SRC, initialised, run


def test_fmt_is_clean(terraform_bin: str) -> None:
    unformatted = []
    for rel in STAGE1_DIRS:
        result = run(
            [terraform_bin, "fmt", "-check", "-recursive", "-diff", "-no-color", rel],
            TERRAFORM_SRC,
        )
        if result.returncode != 0:
            unformatted.append(f"{rel}:\n{result.stdout}{result.stderr}")
    assert not unformatted, "terraform fmt would change:\n" + "\n".join(unformatted)


def _validate(terraform: str, mirror: str, rel: str) -> dict[str, Any]:
    """`terraform validate -json` of one stage-1 folder. Each test validates its own
    folder (not a module fixture validating all eight), so pytest-xdist's workers share
    the folders out instead of each worker validating all of them."""
    workdir = initialised(terraform, mirror, rel)
    result = run([terraform, "validate", "-json", "-no-color"], workdir)
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        return {"valid": False, "diagnostics": [{"summary": result.stdout + result.stderr}]}


@pytest.mark.parametrize("rel", STAGE1_DIRS)
def test_validate(terraform_bin: str, provider_mirror: str, rel: str) -> None:
    report = _validate(terraform_bin, provider_mirror, rel)
    problems = [
        f"{d.get('severity', 'error')}: {d.get('summary')} {d.get('detail', '')}".strip()
        for d in report.get("diagnostics", [])
    ]
    assert report.get("valid") is True, f"{rel} is not valid:\n" + "\n".join(problems)
    # Warnings (deprecated arguments and the like) are findings too.
    assert not problems, f"{rel} validates with diagnostics:\n" + "\n".join(problems)


@pytest.mark.parametrize("rel", STAGE1_DIRS)
def test_module_layout(rel: str) -> None:
    """terraform-aws-modules layout: main/variables/outputs/versions and a README."""
    folder = TERRAFORM_SRC / rel
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
        assert (folder / name).is_file(), f"{rel} lacks {name}"


@pytest.mark.parametrize("rel", STAGE1_DIRS)
def test_readme_lists_every_input_and_output(rel: str) -> None:
    """The README's Inputs/Outputs tables name every variable and output."""
    folder = TERRAFORM_SRC / rel
    readme = (folder / "README.md").read_text(encoding="utf-8")
    declared = set()
    for tf_file in folder.glob("*.tf"):
        text = tf_file.read_text(encoding="utf-8")
        declared |= {f"`{n}`" for n in re.findall(r'^(?:variable|output) "([^"]+)"', text, re.M)}
    missing = sorted(name for name in declared if f"| {name} |" not in readme)
    assert not missing, f"{rel}/README.md does not list: {', '.join(missing)}"
