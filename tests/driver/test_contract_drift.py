"""One truth for the stage-1 outputs: the real stack, the driver fixture, the driver's
contract (contract.py plus the outputs it checks) and docs/outputs-contract.md agree.

Also the fixture's host variables are required exactly where the real stack requires
them: a fixture default once hid that a bare install (no tutor-mfe) could not plan.
"""

from __future__ import annotations

import re
from pathlib import Path

import hcl2

from tutor_eks_plugin.infra import contract, variables

from .conftest import FIXTURES

REPO = Path(__file__).resolve().parents[2]
REAL_AWS = REPO / "terraform" / "stacks" / "aws"
FIXTURE_AWS = FIXTURES / "stacks" / "aws"
DOC = REPO / "docs" / "outputs-contract.md"
# Outputs the driver reads besides the contract entries: `name` (the state belongs to
# EKS_NAME), `region` (where the secrets live), `profile` (the destroy guard).
DRIVER_READS = {"name", "region", "profile"}


def _outputs(stack: Path) -> set[str]:
    return variables.declared(stack, "output")


def test_fixture_publishes_exactly_the_real_stack_outputs() -> None:
    real, fixture = _outputs(REAL_AWS), _outputs(FIXTURE_AWS)
    assert real, "no outputs parsed from the real stack"
    assert fixture == real, (
        f"tests/driver/fixtures/stacks/aws/outputs.tf drifted from {REAL_AWS}/outputs.tf: "
        f"add {sorted(real - fixture)}, remove {sorted(fixture - real)}"
    )


def test_every_output_the_driver_reads_exists_in_the_real_stack() -> None:
    read = {entry.output for entry in contract.ENTRIES} | DRIVER_READS
    assert read <= _outputs(REAL_AWS), sorted(read - _outputs(REAL_AWS))


def _documented() -> tuple[set[str], dict[str, str]]:
    """Output names the doc mentions, and each table row's Tutor-key cell."""
    text = DOC.read_text()
    names: set[str] = set()
    rows: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("| `"):
            cells = line.split("|")
            first, keys = cells[1], cells[3]
            for name in re.findall(r"`([a-z0-9_]+)`", first):
                names.add(name)
                rows[name] = keys
    # The paragraph listing the informational edge outputs.
    if "More edge outputs" in text:
        paragraph = text[text.index("More edge outputs") :].split("\n\n")[0]
        names.update(re.findall(r"`([a-z0-9_]+)`", paragraph))
    return names, rows


def test_docs_list_every_real_output_and_only_those() -> None:
    documented, rows = _documented()
    real = _outputs(REAL_AWS)
    assert not real - documented, (
        f"docs/outputs-contract.md does not mention {sorted(real - documented)}"
    )
    assert not set(rows) - real, (
        f"docs/outputs-contract.md documents outputs the stack lacks: {sorted(set(rows) - real)}"
    )
    for entry in contract.ENTRIES:
        assert f"`{entry.key}`" in rows.get(entry.output, ""), (
            f"docs/outputs-contract.md: the row of {entry.output} must name {entry.key}"
        )


def _required(stack: Path) -> dict[str, bool]:
    found: dict[str, bool] = {}
    for path in stack.glob("*.tf"):
        with path.open() as handle:
            parsed = hcl2.load(handle)
        for block in parsed.get("variable", []):
            for name, body in block.items():
                found[name.strip('"')] = "default" not in body
    return found


def test_fixture_requires_the_host_variables_the_real_stack_requires() -> None:
    real, fixture = _required(REAL_AWS), _required(FIXTURE_AWS)
    for variable in variables.TUTOR_KEYS:
        if variable in real and variable in fixture:
            assert fixture[variable] == real[variable], (
                f"variable {variable}: required={real[variable]} in the real stack, "
                f"{fixture[variable]} in the fixture"
            )
    for host in ("lms_host", "cms_host", "mfe_host", "meilisearch_host"):
        assert real.get(host) is True and fixture.get(host) is True, host
