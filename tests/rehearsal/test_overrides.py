"""The rehearsal's override files: formatted, aimed at modules that exist, each one
named in the rehearsal's docstring (the list of pieces set aside)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from . import test_rehearsal

OVERRIDES = test_rehearsal.OVERRIDES
MODULES = test_rehearsal.REPO / "terraform" / "modules"


def _override_modules() -> list[Path]:
    return sorted(p.parent for p in OVERRIDES.rglob("rehearsal_override.tf"))


def test_override_files_are_terraform_fmt_clean(terraform_bin: str) -> None:
    result = subprocess.run(
        [terraform_bin, "fmt", "-check", "-recursive", "-diff", "-no-color", str(OVERRIDES)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_override_targets_a_shipped_module_and_is_listed_in_the_docstring() -> None:
    folders = _override_modules()
    assert folders, f"no rehearsal_override.tf under {OVERRIDES}"
    doc = test_rehearsal.__doc__ or ""
    for folder in folders:
        module = folder.name
        assert (MODULES / module / "main.tf").is_file(), f"{module}: no such module"
        assert re.search(rf"modules/[a-z/, ]*\b{module}\b", doc), (
            f"the rehearsal's docstring does not list what modules/{module} sets aside"
        )
    stand_ins = sorted(OVERRIDES.rglob("*.tf"))
    assert all(p.name in ("rehearsal_override.tf", "rehearsal_stand_ins.tf") for p in stand_ins)
