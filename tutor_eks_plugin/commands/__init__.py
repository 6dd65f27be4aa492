"""The `tutor eks` command group.

This module is imported on every `tutor` run, whatever the command: it names the
subcommands and where they live, and imports a subcommand's module only when click asks
for that command (running it, or listing `tutor eks --help`). `tutor --help` and
`tutor config save` never load the driver, boto3 helpers or schema validators.
"""

from __future__ import annotations

import importlib

import click

# name -> (module under tutor_eks_plugin.commands, attribute holding the click command)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "alerts": ("observability", "alerts"),
    "backup": ("backup", "backup"),
    "check": ("manifest_check", "check"),
    "cleanup": ("cleanup", "cleanup"),
    "cost": ("cost", "cost"),
    "diagram": ("diagram", "diagram"),
    "down": ("lifecycle", "down"),
    "grafana": ("observability", "grafana"),
    "infra": ("infra", "infra"),
    "loadtest": ("loadtest", "loadtest"),
    "restore": ("backup", "restore"),
    "scale": ("scale", "scale"),
    "secrets": ("secrets", "secrets_group"),
    "up": ("lifecycle", "up"),
    "validate": ("validate", "validate"),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def __init__(self, *args: object, lazy: dict[str, tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self._lazy:
            module_name, attribute = self._lazy[cmd_name]
            module = importlib.import_module(f"{__name__}.{module_name}")
            command = getattr(module, attribute)
            if not isinstance(command, click.Command) or command.name != cmd_name:
                # A renamed or moved command must fail here, loudly, not as "no such command".
                raise RuntimeError(
                    f"tutor_eks_plugin.commands.{module_name}.{attribute} is not the click "
                    f"command {cmd_name!r}: fix SUBCOMMANDS in {__name__}"
                )
            self.add_command(command)
        return super().get_command(ctx, cmd_name)


@click.group(
    name="eks",
    cls=LazyGroup,
    lazy=SUBCOMMANDS,
    help="Run Open edX on AWS EKS: infrastructure and offline checks.",
)
def eks_command() -> None:
    """Group only: the subcommands do the work."""
