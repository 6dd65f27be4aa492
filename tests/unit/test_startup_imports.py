"""The plugin is imported on every `tutor` command: it must not load the heavy libraries
that only some `tutor eks` commands need (they import them inside the command)."""

from __future__ import annotations

import subprocess
import sys

# Each of these costs tens to hundreds of milliseconds to import (python -X importtime;
# kubernetes_validate alone about 0.1 s).
HEAVY = ("kubernetes_validate", "boto3", "botocore", "locust", "gevent", "diagrams",
         "helm_python", "hcl2", "moto", "django")


def test_loading_the_plugin_imports_no_heavy_library() -> None:
    code = (
        "import sys, tutor_eks_plugin.plugin; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]", f"loaded at plugin import: {out.strip()}"


def test_loading_the_plugin_imports_no_subcommand_module() -> None:
    """`tutor --help` and `tutor config save` must not pay for the driver, the backup
    stores or the scale command: the `eks` group imports a subcommand on first use."""
    code = (
        "import sys, tutor_eks_plugin.plugin; "
        "print(sorted(m for m in sys.modules if m.startswith('tutor_eks_plugin.commands.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]", f"subcommand modules loaded at plugin import: {out.strip()}"


def test_every_named_subcommand_resolves_to_its_click_command() -> None:
    import click

    from tutor_eks_plugin.commands import SUBCOMMANDS, LazyGroup, eks_command

    assert isinstance(eks_command, LazyGroup)
    context = click.Context(eks_command)
    assert eks_command.list_commands(context) == sorted(SUBCOMMANDS)
    for name in SUBCOMMANDS:
        command = eks_command.get_command(context, name)
        assert isinstance(command, click.Command) and command.name == name
    assert eks_command.get_command(context, "no-such-command") is None


def test_a_misnamed_subcommand_fails_loudly() -> None:
    import click
    import pytest

    from tutor_eks_plugin.commands import LazyGroup

    group = LazyGroup(name="g", lazy={"check": ("cost", "cost")})
    with pytest.raises(RuntimeError, match="is not the click command 'check'"):
        group.get_command(click.Context(group), "check")
