"""The `tutor eks` command group."""

from __future__ import annotations

import click

from .backup import backup, restore
from .check import check
from .cleanup import cleanup
from .cost import cost
from .diagram import diagram
from .infra import infra
from .scale import scale


@click.group(name="eks", help="Run Open edX on AWS EKS: infrastructure and offline checks.")
def eks_command() -> None:
    """Group only: the subcommands do the work."""


eks_command.add_command(backup)
eks_command.add_command(check)
eks_command.add_command(cleanup)
eks_command.add_command(cost)
eks_command.add_command(diagram)
eks_command.add_command(infra)
eks_command.add_command(restore)
eks_command.add_command(scale)
