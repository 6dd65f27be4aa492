"""The `tutor eks` command group.

Each subcommand module keeps its heavy imports (boto3, kubernetes_validate, locust,
diagrams) inside the command function: this module is imported on every `tutor` run.
"""

from __future__ import annotations

import click

from .backup import backup, restore
from .check import check
from .cleanup import cleanup
from .cost import cost
from .diagram import diagram
from .infra import infra
from .lifecycle import down, up
from .loadtest import loadtest
from .observability import alerts, grafana
from .scale import scale
from .secrets import secrets_group
from .validate import validate


@click.group(name="eks", help="Run Open edX on AWS EKS: infrastructure and offline checks.")
def eks_command() -> None:
    """Group only: the subcommands do the work."""


for _command in (
    alerts, backup, check, cleanup, cost, diagram, down, grafana, infra, loadtest, restore,
    scale, up, validate,
    secrets_group,
):
    eks_command.add_command(_command)
