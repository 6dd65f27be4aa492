"""`tutor eks diagram`: architecture and network-flow pictures of this deployment."""

from __future__ import annotations

import typing as t
from pathlib import Path

import click
from tutor import exceptions, fmt

from .. import profiles


@click.command(
    help="Draw the architecture and the network flows of this deployment, from its config "
    "(profile, data stores, public hosts of the enabled plugins, stage-2 controllers), "
    "as PNG and/or SVG. Needs the `diagram` extra and Graphviz."
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["png", "svg"]),
    multiple=True,
    help="Output format (repeatable). Default: png and svg.",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("docs/diagrams"),
    show_default=True,
    help="Folder the files are written to.",
)
@click.pass_obj
def diagram(context: t.Any, formats: tuple[str, ...], output: Path) -> None:
    from ..diagram import config, draw, model

    cfg = config.from_root(context.root)
    try:
        models = model.build(cfg, config.caddy_patches(cfg))
    except profiles.ProfileFileError as exc:
        raise exceptions.TutorError(str(exc)) from None
    for m in models:
        for path in draw.render(m, output, formats or draw.FORMATS):
            fmt.echo_info(f"{m.name}: {path}")
