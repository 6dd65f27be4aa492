"""`tutor eks validate`: the live, read-only check of a running deployment.

boto3, the Terraform driver and the checks are imported inside the command: the plugin
is imported on every `tutor` command and must stay light.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import typing as t

import click
from tutor import config as tutor_config
from tutor import exceptions, fmt

AREAS = ("aws", "cluster", "http", "inside")  # tutor_eks_plugin.live.checks.AREAS


def _stage_outputs_files(values: t.Sequence[str]) -> dict[str, dict[str, t.Any]]:
    found: dict[str, dict[str, t.Any]] = {}
    for raw in values:
        stage, sep, path = raw.partition("=")
        if not sep or stage not in ("aws", "cluster"):
            raise exceptions.TutorError(
                f"--outputs {raw!r}: expected aws=FILE or cluster=FILE "
                "(FILE: the JSON of `terraform output -json`)."
            )
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise exceptions.TutorError(
                f"--outputs {stage}={path}: cannot read it as JSON ({exc}); write it with "
                "`terraform output -json > FILE`."
            ) from exc
        found[stage] = {
            k: v.get("value") if isinstance(v, dict) and "value" in v else v
            for k, v in data.items()
        }
    return found


def _state_outputs(root: str, stages: t.Sequence[str]) -> dict[str, dict[str, t.Any]]:
    """Outputs read from each stage's Terraform state (terraform init + output)."""
    from ..infra.driver import Driver

    driver = Driver(root)
    # The driver reports its progress on stdout: keep stdout for the report (--json).
    with contextlib.redirect_stdout(sys.stderr):
        return {
            stage: {k: v.get("value") for k, v in driver.outputs(stage).items()}
            for stage in stages
        }


@click.command(
    help="Check a live deployment end to end, read-only: the AWS side (boto3), the cluster "
    "(kubectl), HTTP through CloudFront, and a short connectivity Job in the namespace. "
    "One line per check (ok/warn/fail); exit code 1 when any check fails."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--resolve",
    "resolve",
    multiple=True,
    metavar="HOST[:PORT]=ADDR[:PORT]",
    help="Connect to ADDR for HOST, like curl --resolve, e.g. before DNS points at "
    "CloudFront (repeatable).",
)
@click.option(
    "--cacert",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="CA bundle for the HTTPS checks (default: the system's).",
)
@click.option(
    "--only",
    "only",
    multiple=True,
    type=click.Choice(AREAS),
    help="Run only these groups of checks (repeatable). Default: all.",
)
@click.option(
    "--outputs",
    "outputs_files",
    multiple=True,
    metavar="STAGE=FILE",
    help="Read a stage's outputs from `terraform output -json` saved in FILE instead of "
    "from its state (repeatable: aws=FILE, cluster=FILE).",
)
@click.option("--timeout", type=click.FloatRange(1, 120), default=10.0, show_default=True,
              help="Seconds per HTTP request.")
@click.pass_obj
def validate(
    context: t.Any,
    as_json: bool,
    resolve: tuple[str, ...],
    cacert: t.Optional[str],
    only: tuple[str, ...],
    outputs_files: tuple[str, ...],
    timeout: float,
) -> None:
    from ..live import checks, report
    from ..live.context import Target
    from ..live.resolve import BadResolve, Resolver
    from ..render import kustomize

    try:
        resolver = Resolver.parse(resolve)
    except BadResolve as exc:
        raise exceptions.TutorError(str(exc)) from exc
    config = tutor_config.load(context.root)
    outputs = _stage_outputs_files(outputs_files)
    wanted = [s for s in config.get("EKS_INFRA_STAGES", ["aws", "cluster"]) if s not in outputs]
    if wanted:
        outputs.update(_state_outputs(context.root, wanted))

    def render() -> list[dict[str, t.Any]]:
        # Tutor reports "Environment generated in ..." on stdout: keep stdout for the report.
        with tempfile.TemporaryDirectory(prefix="tutor-eks-validate-") as work_root, \
                contextlib.redirect_stdout(sys.stderr):
            kustomize.render_copy(context.root, work_root)
            return kustomize.kustomize(work_root)

    target = Target(config=config, outputs=outputs, resolver=resolver, cacert=cacert,
                    timeout=timeout, render=render)
    results = checks.run(target, only or AREAS)
    if as_json:
        click.echo(report.to_json(results))
    else:
        for line in report.text_lines(results):
            if line.startswith("FAIL"):
                fmt.echo_error(line)
            elif line.startswith("WARN"):
                fmt.echo_alert(line)
            else:
                fmt.echo_info(line)
    if report.failed(results):
        raise click.exceptions.Exit(1)
