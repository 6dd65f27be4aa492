"""The README's config table is the one the code generates."""

from __future__ import annotations

from pathlib import Path

from tutor_eks_plugin import docs_table
from tutor_eks_plugin.config import all_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_table_matches_the_code() -> None:
    text = README.read_text()
    assert docs_table.BEGIN in text and docs_table.END in text
    assert docs_table.replace_block(text) == text, (
        "README config table is stale: run `python -m tutor_eks_plugin.docs_table --write README.md`"
    )


def test_every_setting_is_documented_and_valid_by_default() -> None:
    for setting in all_settings():
        assert setting.key.startswith("EKS_")
        assert len(setting.help.split()) >= 4, setting.key
        # Templated defaults ("{{ ... }}") are checked after rendering, in the CLI tests.
        if not (isinstance(setting.default, str) and "{{" in setting.default):
            assert setting.validator.problem(setting.default) is None, setting.key
