"""The pictures in the README and the deployment guide are the current model's.

Each committed PNG carries the sha256 of the canonical text of the model it was drawn
from (a tEXt chunk): pixels differ between Graphviz builds, the model does not. A
change of profiles.tf, of the stage-2 releases or of the model code makes this fail
until `python -m tutor_eks_plugin.diagram --write docs/diagrams` is run again.
"""

from __future__ import annotations

from pathlib import Path

from tutor_eks_plugin.diagram import __main__ as docs
from tutor_eks_plugin.diagram import draw

ROOT = Path(__file__).resolve().parents[2]


def test_committed_pictures_match_the_default_production_model() -> None:
    for m in docs.docs_models():
        png = ROOT / "docs" / "diagrams" / f"{m.name}.png"
        assert png.is_file(), f"{png} is missing"
        found = draw.text_chunks(png.read_bytes()).get(draw.MODEL_KEY)
        assert found == m.digest(), (
            f"docs/diagrams/{m.name}.png is stale: run "
            "`python -m tutor_eks_plugin.diagram --write docs/diagrams`"
        )
        assert "production profile" in m.title


def test_readme_and_deployment_guide_show_both_pictures() -> None:
    for page, prefix in (("README.md", "docs/diagrams"), ("docs/deployment-guide.md", "diagrams")):
        text = (ROOT / page).read_text()
        for name in ("architecture", "network"):
            assert f"]({prefix}/{name}.png)" in text, f"{page} does not show {name}.png"


def test_a_changed_model_is_detected() -> None:
    m = docs.docs_models()[0]
    png = (ROOT / "docs" / "diagrams" / f"{m.name}.png").read_bytes()
    m.add("extra", "ec2", "a node nobody drew")
    assert draw.text_chunks(png)[draw.MODEL_KEY] != m.digest()
