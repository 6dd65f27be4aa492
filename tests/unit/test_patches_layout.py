"""The top-level patches/ folder: one file per Tutor patch name, each holding the patch
itself or including partials that exist (no `ignore missing`, which hid 24 includes of
partials that were never written), and no partial that nothing includes."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PATCHES = REPO / "patches"
TEMPLATES = REPO / "tutor_eks_plugin" / "templates"
PARTIALS = TEMPLATES / "eks" / "partials"
# {% include "x" %} and {% import "x" as y %}: the template names a file uses.
USED = re.compile(r"""\{%-?\s*(?:include|import)\s+["']([^"']+)["']""")
COMMENT = re.compile(r"\{#.*?#\}", re.S)


def _patch_files() -> list[Path]:
    return sorted(p for p in PATCHES.iterdir() if p.is_file() and not p.name.startswith("__"))


def test_every_include_names_an_existing_partial_and_none_is_optional() -> None:
    problems = []
    for path in _patch_files() + sorted(p for p in TEMPLATES.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        if "ignore missing" in text:
            problems.append(f"{path.relative_to(REPO)}: 'ignore missing'")
        for name in USED.findall(text):
            if not (TEMPLATES / name).is_file():
                problems.append(f"{path.relative_to(REPO)}: includes {name}, which does not exist")
    assert not problems, "\n".join(problems)


def test_no_patch_is_empty() -> None:
    empty = [p.name for p in _patch_files() if not COMMENT.sub("", p.read_text()).strip()]
    assert not empty, f"patches that render nothing: {empty}"


def test_every_partial_is_used() -> None:
    sources = [p.read_text(encoding="utf-8") for p in _patch_files()]
    sources += [p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*") if p.is_file()]
    sources += [p.read_text(encoding="utf-8") for p in (REPO / "tutor_eks_plugin").rglob("*.py")]
    used = {name for text in sources for name in USED.findall(text)}
    orphans = sorted(
        str(p.relative_to(TEMPLATES)) for p in PARTIALS.rglob("*")
        if p.is_file() and str(p.relative_to(TEMPLATES)) not in used
    )
    assert not orphans, f"partials nothing includes: {orphans}"
