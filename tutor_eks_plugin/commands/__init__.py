"""The `tutor eks` command group."""

from __future__ import annotations

import click

from .check import check
from .cleanup import cleanup
from .infra import infra
from .lifecycle import down, up


@click.group(name="eks", help="Run Open edX on AWS EKS: infrastructure and offline checks.")
def eks_command() -> None:
    """Group only: the subcommands do the work."""


eks_command.add_command(check)
eks_command.add_command(cleanup)
eks_command.add_command(infra)
eks_command.add_command(up)
eks_command.add_command(down)
