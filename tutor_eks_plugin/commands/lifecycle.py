"""`tutor eks up` and `tutor eks down`: from the Tutor config to a serving site, and back.

Each command is a list of phases. A phase that succeeded is recorded in
``<root>/eks-infra/lifecycle.json``; re-running the command after an interruption or a
failure skips the recorded phases and resumes at the first one that did not finish.
A complete run forgets its record (the next run does every phase again), and so does
``--from-start``. Every run ends with a summary: each phase, what happened, how long.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import typing as t
from pathlib import Path

import click
from tutor import exceptions, fmt
from tutor.commands.context import Context

from .. import tools
from ..infra import bootstrap
from ..infra.driver import Driver
from ..infra.source import SOURCE_ENV
from ..infra.terraform import Interrupted

STATE_FILE = "lifecycle.json"
EFS_PROVISIONER = "efs.csi.aws.com"
Phase = tuple[str, str, t.Callable[[], None]]  # name, what it does, the work


class _Progress:
    """The phases of one command that already succeeded, kept on disk."""

    def __init__(self, root: str, command: str) -> None:
        self.path = Path(root) / "eks-infra" / STATE_FILE
        self.command = command
        found = json.loads(self.path.read_text()) if self.path.is_file() else {}
        self.done: list[str] = list(found.get(command, []))

    def _save(self, data: dict[str, list[str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data, indent=2) + "\n")

    def mark(self, phase: str) -> None:
        self.done.append(phase)
        # Starting `down` cancels an unfinished `up`, and the reverse.
        self._save({self.command: self.done})

    def forget(self) -> None:
        self.done = []
        if self.path.is_file():
            self.path.unlink()


def run_phases(root: str, command: str, phases: list[Phase], from_start: bool) -> None:
    progress = _Progress(root, command)
    if from_start:
        progress.forget()
    if progress.done:
        fmt.echo_info(
            f"Resuming `tutor eks {command}`: already done: {', '.join(progress.done)} "
            "(--from-start to do every phase again)."
        )
    summary: list[tuple[str, str, float]] = []
    failure: t.Optional[BaseException] = None
    for name, title, work in phases:
        if name in progress.done:
            summary.append((name, "done earlier, skipped", 0.0))
            continue
        fmt.echo_info(f"== {command} phase {name}: {title}")
        start = time.monotonic()
        try:
            work()
        except (exceptions.TutorError, Interrupted, KeyboardInterrupt) as exc:
            summary.append((name, "FAILED" if not _interrupted(exc) else "INTERRUPTED",
                            time.monotonic() - start))
            failure = exc
            break
        progress.mark(name)
        summary.append((name, "ok", time.monotonic() - start))
    ran = {name for name, _, _ in summary}
    summary += [(name, "not run", 0.0) for name, _, _ in phases if name not in ran]
    _print_summary(command, summary)
    if failure is None:
        progress.forget()
        return
    fmt.echo_alert(f"Run `tutor eks {command}` again to resume at the failed phase.")
    if isinstance(failure, Interrupted):
        fmt.echo_error(f"Error: {failure.args[0]}")
        raise click.exceptions.Exit(failure.exit_code)
    if isinstance(failure, KeyboardInterrupt):
        raise click.exceptions.Exit(130)
    raise failure


def _interrupted(exc: BaseException) -> bool:
    return isinstance(exc, (Interrupted, KeyboardInterrupt))


def _print_summary(command: str, summary: list[tuple[str, str, float]]) -> None:
    width = max(len(name) for name, _, _ in summary)
    lines = [f"Summary of `tutor eks {command}`:"]
    for name, status, seconds in summary:
        lines.append(f"    {name:<{width}}  {status:<22}  {seconds:8.1f} s")
    lines.append(f"    {'total':<{width}}  {'':<22}  {sum(s for _, _, s in summary):8.1f} s")
    fmt.echo_info("\n".join(lines))


def _tutor(root: str, *args: str) -> None:
    """Another tutor command in a child process: its own config load, its own output."""
    command = [sys.executable, "-c", "from tutor.commands.cli import main; main()",
               "--root", root, *args]
    code = subprocess.call(command)
    if code != 0:
        raise exceptions.TutorError(f"`tutor {' '.join(args)}` failed (exit code {code}).")


def _kubectl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tools.kubectl(), *args], capture_output=True, text=True, check=False)


def wait_for_cluster(driver: Driver, timeout: float, every: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        result = _kubectl("get", "namespaces", "--request-timeout=20s")
        if result.returncode == 0:
            fmt.echo_info("The cluster answers (kubectl get namespaces).")
            return
        if time.monotonic() >= deadline:
            outputs = driver.stage1_outputs()
            name = (outputs.get("cluster_name") or {}).get("value") or "<cluster_name>"
            region = driver.config.get("EKS_AWS_REGION")
            said = (result.stderr.strip().splitlines() or ["nothing"])[-1]
            raise exceptions.TutorError(
                f"The cluster did not answer within {timeout:.0f} s (`kubectl get "
                f"namespaces` says: {said}). Point kubectl at it (`aws eks "
                f"update-kubeconfig --name {name} --region {region}`), then run "
                "`tutor eks up` again."
            )
        time.sleep(every)


def validate_phase(root: str, skip: bool) -> None:
    """The last phase: `tutor eks validate` proves the site works end to end."""
    if skip:
        fmt.echo_info("`tutor eks validate` skipped (--skip-validate): run it once DNS points "
                      "at CloudFront, or with --resolve HOST=ADDR before.")
        return
    _tutor(root, "eks", "validate")


def delete_aws_backed_objects() -> None:
    """Services of type LoadBalancer and PVCs on EFS: deleted while the controllers that
    release their AWS resources (load balancers, EFS access points) still run."""
    result = _kubectl("get", "services,persistentvolumeclaims,storageclasses",
                      "--all-namespaces", "-o", "json")
    if result.returncode != 0:
        raise exceptions.TutorError(
            "Cannot list the cluster's Services and PVCs (`kubectl get ...` failed: "
            f"{result.stderr.strip()}). Point kubectl at the cluster, then run "
            "`tutor eks down` again: destroying first would orphan their AWS resources."
        )
    items = json.loads(result.stdout).get("items", [])
    efs_classes = {
        i["metadata"]["name"] for i in items
        if i["kind"] == "StorageClass" and i.get("provisioner") == EFS_PROVISIONER
    }
    doomed = [
        (i["kind"], i["metadata"].get("namespace", ""), i["metadata"]["name"])
        for i in items
        if (i["kind"] == "Service" and i.get("spec", {}).get("type") == "LoadBalancer")
        or (i["kind"] == "PersistentVolumeClaim"
            and i.get("spec", {}).get("storageClassName") in efs_classes)
    ]
    if not doomed:
        fmt.echo_info("No Service of type LoadBalancer, no PVC on EFS: nothing to delete.")
        return
    for kind, namespace, name in doomed:
        resource = "service" if kind == "Service" else "persistentvolumeclaim"
        fmt.echo_info(f"Deleting {kind} {namespace}/{name}")
        deleted = _kubectl("delete", resource, name, "--namespace", namespace,
                           "--wait=true", "--timeout=600s")
        if deleted.returncode != 0:
            raise exceptions.TutorError(
                f"Deleting {kind} {namespace}/{name} failed: {deleted.stderr.strip()}"
            )


source_option = click.option(
    "--terraform-source", envvar=SOURCE_ENV, default=None,
    type=click.Path(exists=True, file_okay=False),
    help=f"Folder with stacks/ and modules/ (env: {SOURCE_ENV}).",
)
from_start_option = click.option(
    "--from-start", is_flag=True, help="Forget an unfinished run: do every phase again."
)


@click.command(help="From the Tutor config to a serving site: state bucket, infra apply, "
               "cluster reachable, tutor k8s launch, validate. Resumes after a failure.")
@click.option("-y", "--yes", is_flag=True, help="Create a missing state bucket without asking.")
@click.option("--cluster-timeout", type=float, default=900.0, show_default=True,
              help="Seconds to wait for the cluster to answer kubectl.")
@click.option("--skip-validate", is_flag=True,
              help="End after the launch, without `tutor eks validate` (e.g. before DNS "
              "points at CloudFront).")
@from_start_option
@source_option
@click.pass_obj
def up(context: Context, yes: bool, cluster_timeout: float, skip_validate: bool,
       from_start: bool, terraform_source: t.Optional[str]) -> None:
    root = context.root

    # A fresh driver per phase: each reads the config (apply rewrites it) and prepares
    # its stages with the stage-1 outputs of that moment.
    def driver() -> Driver:
        return Driver(root, terraform_source)

    def init() -> None:
        chosen = driver()
        bootstrap.ensure(chosen.config, yes,
                         lambda text: click.confirm(fmt.question(text), default=False))
        chosen.init(None, reconfigure=False, migrate_state=False)

    phases: list[Phase] = [
        ("init", "state bucket and terraform init", init),
        ("apply", "tutor eks infra apply", lambda: driver().apply(None, None)),
        ("cluster", "wait for the cluster to answer",
         lambda: wait_for_cluster(driver(), cluster_timeout)),
        ("launch", "tutor k8s launch --non-interactive",
         lambda: _tutor(root, "k8s", "launch", "--non-interactive")),
        ("validate", "tutor eks validate", lambda: validate_phase(root, skip_validate)),
    ]
    run_phases(root, "up", phases, from_start)


@click.command(help="The reverse of up: delete the Kubernetes objects that hold AWS "
               "resources, then destroy stage 2 and stage 1. Asks for the instance name.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for the instance name.")
@click.option("--force-protected", is_flag=True,
              help="Destroy even when deletion protection is on (EKS_PROFILE=production).")
@from_start_option
@source_option
@click.pass_obj
def down(context: Context, yes: bool, force_protected: bool, from_start: bool,
         terraform_source: t.Optional[str]) -> None:
    root = context.root
    driver = Driver(root, terraform_source)
    name = driver.config["EKS_NAME"]
    # The same refusals as `infra destroy`, before anything is deleted in the cluster.
    driver.check_protection(force_protected, from_outputs=False)
    driver.check_protection(force_protected, from_outputs=True)
    if not yes:
        typed = str(click.prompt(
            fmt.question(f"This destroys instance {name!r}. Type its name to confirm"),
            default="", show_default=False)).strip()
        if typed != name:
            raise exceptions.TutorError(
                f"Down cancelled: the name typed is not the instance name ({name!r})."
            )

    def objects() -> None:
        if not driver.stage1_outputs():
            fmt.echo_info("Stage aws was never applied: no cluster, nothing to delete.")
            return
        delete_aws_backed_objects()

    def destroy() -> None:
        # Confirmed above: the driver must not ask again.
        Driver(root, terraform_source).destroy(
            None, yes=True, force_protected=force_protected, answer=lambda: name
        )

    phases: list[Phase] = [
        ("k8s-objects", "delete LoadBalancer Services and EFS PVCs", objects),
        ("destroy", "tutor eks infra destroy (stage 2, then stage 1)", destroy),
    ]
    run_phases(root, "down", phases, from_start)
