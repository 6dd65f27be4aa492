"""The README's configuration table, generated from the settings themselves.

`python -m tutor_eks_plugin.docs_table` prints the table; `--write README.md`
replaces the block between the markers. A test fails when the README and the code
disagree, so the docs cannot drift.
"""

from __future__ import annotations

import json

from . import docs_block
from .config import all_settings

BEGIN, END = docs_block.markers("config-table", "tutor_eks_plugin.docs_table")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table() -> str:
    rows = [
        "| key | default | allowed | what it does |",
        "|---|---|---|---|",
    ]
    for setting in sorted(all_settings(), key=lambda s: s.key):
        default = json.dumps(setting.default)
        rows.append(
            f"| `{setting.key}` | `{_cell(default)}` | {_cell(setting.validator.allowed)} "
            f"| {_cell(setting.help)} |"
        )
    return "\n".join(rows)


def replace_block(text: str) -> str:
    return docs_block.splice(text, BEGIN, END, table())


def main(argv: list[str] | None = None) -> int:
    return docs_block.main(argv, description=__doc__ or "", render=table, target="README",
                           block=(BEGIN, END))


if __name__ == "__main__":
    raise SystemExit(main())
