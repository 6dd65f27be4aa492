"""`tutor eks infra ...`: the Terraform stages, driven from the Tutor config."""

from __future__ import annotations

import typing as t

import click
from tutor import fmt
from tutor.commands.context import Context

from ..infra import bootstrap
from ..infra.driver import Driver
from ..infra.source import SOURCE_ENV
from ..infra.terraform import Interrupted
from ..settings.infra import STAGES

stage_option = click.option(
    "--stage",
    type=click.Choice(STAGES),
    default=None,
    help="Run one stage only (default: the stages listed in EKS_INFRA_STAGES).",
)


class _PlanCommand(click.Command):
    """`plan` keeps exit code 2 for "changes": a usage error exits 1 instead of 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            exc.exit_code = 1
            raise


class _InfraGroup(click.Group):
    """An interrupted terraform run exits 128 + the signal number (130 SIGINT, 143
    SIGTERM), the shell's convention, after the one-line explanation."""

    def invoke(self, ctx: click.Context) -> t.Any:
        try:
            return super().invoke(ctx)
        except Interrupted as exc:
            fmt.echo_error(f"Error: {exc.args[0]}")
            raise click.exceptions.Exit(exc.exit_code) from None


@click.group(
    cls=_InfraGroup, help="Create, update and destroy the AWS side with Terraform."
)
@click.option(
    "--terraform-source",
    envvar=SOURCE_ENV,
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help=f"Folder with stacks/ and modules/ to use instead of the packaged ones "
    f"(env: {SOURCE_ENV}).",
)
@click.pass_context
def infra(ctx: click.Context, terraform_source: t.Optional[str]) -> None:
    root = t.cast(Context, ctx.obj).root
    ctx.obj = _InfraContext(root, terraform_source)


class _InfraContext(Context):
    def __init__(self, root: str, terraform_source: t.Optional[str]) -> None:
        super().__init__(root)
        self.terraform_source = terraform_source

    def driver(self) -> Driver:
        return Driver(self.root, self.terraform_source)


pass_infra = click.make_pass_decorator(_InfraContext)


@infra.command(help="Prepare the working directories and configure the state backend.")
@stage_option
@click.option("--reconfigure", is_flag=True, help="Forget the previous backend settings.")
@click.option("--migrate-state", is_flag=True, help="Copy the state to the new backend settings.")
@click.option(
    "-y", "--yes", is_flag=True, help="Create a missing S3 state bucket without asking."
)
@pass_infra
def init(
    context: _InfraContext,
    stage: t.Optional[str],
    reconfigure: bool,
    migrate_state: bool,
    yes: bool,
) -> None:
    driver = context.driver()
    bootstrap.ensure(
        driver.config, yes, lambda text: click.confirm(fmt.question(text), default=False)
    )
    driver.init(stage, reconfigure=reconfigure, migrate_state=migrate_state)


@infra.command(
    cls=_PlanCommand,
    help="Show what apply would change. Exit code: 0 no changes, 2 changes, 1 error.",
)
@stage_option
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Save the plan (one stage) so that `apply FILE` applies exactly what you reviewed.",
)
@pass_infra
def plan(context: _InfraContext, stage: t.Optional[str], out: t.Optional[str]) -> None:
    code = context.driver().plan(stage, out)
    fmt.echo_info("No changes." if code == 0 else "Changes planned (exit code 2).")
    raise click.exceptions.Exit(code)


@infra.command(
    help="Apply stage 1, then stage 2, then write the stage-1 outputs into the Tutor config."
)
@stage_option
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--plan",
    "plan_option",
    type=click.Path(dir_okay=False),
    default=None,
    help="A plan saved by `plan --out FILE` (same as the PLAN_FILE argument).",
)
@pass_infra
def apply(
    context: _InfraContext,
    stage: t.Optional[str],
    plan_file: t.Optional[str],
    plan_option: t.Optional[str],
) -> None:
    if plan_file and plan_option and plan_file != plan_option:
        raise click.UsageError("Give the plan file once: as an argument or with --plan.")
    context.driver().apply(stage, plan_file or plan_option)


@infra.command(help="Print the outputs (sensitive ones masked) and re-sync the Tutor config.")
@stage_option
@pass_infra
def output(context: _InfraContext, stage: t.Optional[str]) -> None:
    context.driver().output(stage)


@infra.command(help="Destroy the stages (stage 2 first); asks for the instance name.")
@stage_option
@click.option("-y", "--yes", is_flag=True, help="Do not ask for the instance name.")
@click.option(
    "--force-protected",
    is_flag=True,
    help="Destroy even when deletion protection is on (EKS_PROFILE=production).",
)
@pass_infra
def destroy(
    context: _InfraContext, stage: t.Optional[str], yes: bool, force_protected: bool
) -> None:
    driver = context.driver()

    def answer() -> str:
        name = driver.config["EKS_NAME"]
        return str(
            click.prompt(
                fmt.question(f"This destroys instance {name!r}. Type its name to confirm"),
                default="",
                show_default=False,
            )
        ).strip()

    driver.destroy(stage, yes=yes, force_protected=force_protected, answer=answer)


@infra.command(help="terraform init -backend=false and validate: no state, no AWS call.")
@stage_option
@pass_infra
def validate(context: _InfraContext, stage: t.Optional[str]) -> None:
    context.driver().validate(stage)


@infra.command(
    help="Release a state lock that an interrupted or killed run left behind "
    "(terraform force-unlock). Give the lock ID that the error message printed."
)
@click.option(
    "--stage",
    type=click.Choice(STAGES),
    required=True,
    help="The stage whose state is locked (the error message names it).",
)
@click.argument("lock_id")
@pass_infra
def unlock(context: _InfraContext, stage: str, lock_id: str) -> None:
    context.driver().unlock(stage, lock_id)
