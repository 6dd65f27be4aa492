"""One truth for the stage-1 outputs: the real stack, the driver fixture, the driver's
contract (contract.py plus the outputs it checks) and docs/outputs-contract.md agree.

Also the fixture's host variables are required exactly where the real stack requires
them: a fixture default once hid that a bare install (no tutor-mfe) could not plan.
"""

from __future__ import annotations

import re
from pathlib import Path

import hcl2

from tutor_eks_plugin.infra import contract, contract_doc, variables

from .conftest import FIXTURES

REPO = Path(__file__).resolve().parents[2]
REAL_AWS = REPO / "terraform" / "stacks" / "aws"
FIXTURE_AWS = FIXTURES / "stacks" / "aws"
DOC = REPO / "docs" / "outputs-contract.md"
PACKAGE = REPO / "tutor_eks_plugin"
# How the plugin's code reads a stage-1 output: (outputs.get("x") or {}).get("value").
READ = re.compile(r"""\.get\("([a-z0-9_]+)"\) or \{\}\)\.get\("value"\)""")


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
    read = {entry.output for entry in contract.ENTRIES} | set(contract.OTHER_READS)
    assert read <= _outputs(REAL_AWS), sorted(read - _outputs(REAL_AWS))


def test_every_output_the_code_reads_is_in_the_contract() -> None:
    """A read like the destroy guard's old `deletion_protection` fails here."""
    known = {entry.output for entry in contract.ENTRIES} | set(contract.OTHER_READS)
    found: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for name in READ.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(str(path.relative_to(REPO)))
    assert {"name", "region", "profile"} <= set(found), sorted(found)
    unknown = {name: where for name, where in found.items() if name not in known}
    assert not unknown, (
        f"stage-1 outputs read by the code but absent from contract.ENTRIES/OTHER_READS: {unknown}"
    )


def test_contract_page_is_generated_from_the_stack_and_the_code() -> None:
    expected = contract_doc.page(REPO / "terraform")
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/outputs-contract.md drifted from terraform/stacks/aws and contract.py: run "
        "python -m tutor_eks_plugin.infra.contract_doc --write docs/outputs-contract.md"
    )


def test_contract_page_documents_every_real_output_and_every_key() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| `([a-z0-9_]+)` \| ([^|]*) \|", text, re.MULTILINE)
    }
    assert set(rows) == _outputs(REAL_AWS), set(rows) ^ _outputs(REAL_AWS)
    for entry in contract.ENTRIES:
        assert f"`{entry.key}`" in rows[entry.output], (entry.output, entry.key)


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
