"""docs/workloads.md's table of workloads is the workload table (no drift)."""

from __future__ import annotations

from pathlib import Path

from tutor_eks_plugin.workloads import docs

PAGE = Path(__file__).parents[2] / "docs" / "workloads.md"


def test_docs_table_matches_the_code() -> None:
    text = PAGE.read_text()
    assert docs.replace_block(text) == text, (
        "docs/workloads.md is out of date: run "
        "`python -m tutor_eks_plugin.workloads.docs --write docs/workloads.md`"
    )


def test_docs_table_names_every_workload() -> None:
    table = docs.table()
    for name in ("lms", "cms", "lms-worker", "cms-worker", "mfe", "notes", "credentials",
                 "discovery", "xqueue"):
        assert f"| `{name}` |" in table, name
