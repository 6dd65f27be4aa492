"""docs/cost.md's side-by-side table is the one the code computes."""

from __future__ import annotations

from pathlib import Path

from tutor_eks_plugin.cost import __main__ as cost_docs
from tutor_eks_plugin.cost import estimate

DOC = Path(__file__).resolve().parents[2] / "docs" / "cost.md"


def test_docs_cost_table_matches_the_code() -> None:
    text = DOC.read_text()
    assert cost_docs.BEGIN in text and cost_docs.END in text
    assert cost_docs.replace_block(text) == text, (
        "docs/cost.md is stale: run `python -m tutor_eks_plugin.cost --write docs/cost.md`"
    )
    table = estimate.price_table()
    assert f"Prices of {table['date']}: " in text
    assert "| **total (USD/month)** |" in text
