"""`tutor eks check`: the offline report on the rendered manifests (render/manifest_check.py)."""

from __future__ import annotations

import click
from tutor import exceptions, fmt


@click.command(
    help="Render this Tutor root into a temporary copy, build it with kubectl kustomize, "
    "validate every object against strict Kubernetes schemas and the plugin's policies. "
    "Offline; the project's own env/ is not touched."
)
@click.option(
    "--kubernetes-version",
    "versions",
    multiple=True,
    help="Validate against this Kubernetes minor version (repeatable). "
    "Default: EKS_CHECK_KUBERNETES_VERSIONS.",
)
@click.pass_obj
def check(context: click.Context, versions: tuple[str, ...]) -> None:
    # Imported here: it loads kubernetes_validate, and this module loads on every `tutor` run.
    from ..render.manifest_check import format_report, run_check

    report = run_check(context.root, versions or None)
    for line in format_report(report):
        if line.startswith("  FAIL"):
            fmt.echo_error(line)
        else:
            fmt.echo_info(line)
    if not report.ok:
        raise exceptions.TutorError(f"tutor eks check found {len(report.failures)} problem(s).")
