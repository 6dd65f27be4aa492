"""Regenerate the pictures the README and the deployment guide show.

    python -m tutor_eks_plugin.diagram --write docs/diagrams

draws the canonical production config (diagram/config.py) as PNG. Each PNG carries
the sha256 of its model in a tEXt chunk; tests/diagram/test_docs_pictures.py fails
when a picture no longer matches the code.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config, model

DOCS_PROFILE = "production"


def docs_models() -> list[model.Model]:
    cfg = config.canonical(DOCS_PROFILE)
    return model.build(cfg, config.caddy_patches(cfg))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="DIR", help="write <model>.png into DIR")
    args = parser.parse_args(argv)
    models = docs_models()
    if not args.write:
        sys.stdout.write("".join(m.text() for m in models))
        return 0
    from tutor import exceptions

    from . import draw

    try:
        for m in models:
            for path in draw.render(m, Path(args.write), formats=("png",)):
                print(path)
    except exceptions.TutorError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
