"""`tutor eks backup [list]` and `tutor eks restore`: AWS Backup on demand, logical
dumps, and side-by-side restores (docs/backups.md). boto3 is imported on use only."""

from __future__ import annotations

import json
import subprocess
import typing as t
from datetime import datetime, timezone

import click
from tutor import config as tutor_config
from tutor import exceptions, fmt
from tutor.commands.context import Context

from ..backup import jobs, stores
from ..backup.stores import STORES, BackupError

STORE_CHOICES = [*STORES, "all"]


def _aws_errors() -> tuple[type[BaseException], ...]:
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)


def _guard(action: t.Callable[[], None]) -> None:
    """One clear line for what the operator can fix; no traceback."""
    try:
        action()
    except BackupError as exc:
        raise exceptions.TutorError(str(exc)) from None
    except _aws_errors() as exc:
        raise exceptions.TutorError(
            f"AWS refused the request: {exc}. Check the credentials (AWS_PROFILE) and "
            "EKS_AWS_REGION, then run the command again."
        ) from None


def _config(root: str) -> dict[str, t.Any]:
    return dict(tutor_config.load(root))


def _clients(config: dict[str, t.Any]) -> stores.ClientFactory:
    return stores.boto3_factory(str(config["EKS_AWS_REGION"]))


# -- tutor eks backup ------------------------------------------------------------------


# `backup` and `backup list` select stores the same way.
_STORE_OPTION = click.option(
    "--store",
    "store_arg",
    default="all",
    show_default=True,
    help=f"One of {', '.join(STORE_CHOICES)}.",
)


@click.group(
    invoke_without_command=True,
    help="Back up every store now through AWS Backup (RDS MySQL, DocumentDB, EFS media, "
    "the Meilisearch volume), wait, and print the recovery points. `list` shows them.",
)
@_STORE_OPTION
@click.option(
    "--logical",
    is_flag=True,
    help="Also take portable dumps (mysqldump, mongodump, Meilisearch dump) "
    "through Kubernetes Jobs into the backup bucket.",
)
@click.option(
    "--retention-days",
    type=click.IntRange(1, 36500),
    default=35,
    show_default=True,
    help="How long the on-demand recovery points are kept (within the vault "
    "lock's limits in production).",
)
@click.option(
    "--timeout",
    type=click.IntRange(60),
    default=4 * 3600,
    show_default=True,
    help="Seconds to wait for the jobs.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="With --logical: print the Job manifests (secrets hidden), apply nothing.",
)
@click.pass_context
def backup(
    ctx: click.Context,
    store_arg: str,
    logical: bool,
    retention_days: int,
    timeout: int,
    dry_run: bool,
) -> None:
    if ctx.invoked_subcommand:
        return
    root = t.cast(Context, ctx.obj).root

    def run() -> None:
        stores.selected(store_arg)
        config = _config(root)
        names = stores.selected_for(config, store_arg)
        if dry_run:
            if not logical:
                raise BackupError("--dry-run only applies to --logical.")
            _logical(config, names, "BUCKET", dry_run=True)
            return
        clients = _clients(config)
        found = stores.discover(clients, config, names)
        backup_client = clients("backup")
        vault = stores.vault_name(config)
        role = jobs.backup_role(backup_client, str(config["EKS_NAME"]))
        started = jobs.start(backup_client, vault, role, found, retention_days)
        for name, job_id in started.items():
            fmt.echo_info(f"{name}: backup job {job_id} started for {found[name].arn}")
        final = jobs.wait(backup_client, started, fmt.echo_info, timeout)
        failed = []
        for name, job in final.items():
            if job["State"] == "COMPLETED":
                fmt.echo_info(
                    f"{name}: recovery point {job['RecoveryPointArn']} "
                    f"({jobs.size(job.get('BackupSizeInBytes'))})"
                )
            else:
                failed.append(f"{name} {job['State']}: {job.get('StatusMessage', 'no message')}")
        if logical:
            bucket = stores.bucket_name(
                str(config["EKS_NAME"]), stores.account_id(clients), str(config["EKS_AWS_REGION"])
            )
            _logical(config, names, bucket, dry_run=False, timeout=timeout)
        if failed:
            raise BackupError("backup jobs did not complete: " + "; ".join(failed))

    _guard(run)


def _logical(
    config: dict[str, t.Any], names: list[str], bucket: str, dry_run: bool, timeout: int = 3600
) -> None:
    from ..backup import logical

    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
    objects: list[dict[str, t.Any]] = []
    if "mysql" in names:
        objects += logical.mysql_objects(config, bucket, stamp)
    if "mongodb" in names and config.get("EKS_MONGODB_MODE") != "byo":
        objects += logical.mongodb_objects(config, bucket, stamp)
    if "search" in names:
        objects += logical.meilisearch_objects(config, stamp)
    if not objects:
        fmt.echo_info(
            "No logical dump for the chosen store (media is files: its recovery "
            "point is the portable copy)."
        )
        return
    # Several Jobs share the one ServiceAccount object.
    unique: dict[tuple[str, str], dict[str, t.Any]] = {}
    for obj in objects:
        unique[(obj["kind"], obj["metadata"]["name"])] = obj
    objects = list(unique.values())
    versions = config.get("EKS_CHECK_KUBERNETES_VERSIONS") or []
    for version in versions:
        failures = logical.validate(objects, str(version))
        if failures:
            raise BackupError(
                f"dump Job manifests fail the Kubernetes {version} schema: " + "; ".join(failures)
            )
    if dry_run:
        import yaml

        shown = json.loads(json.dumps(objects))
        for obj in shown:
            if obj["kind"] == "Secret":
                obj["stringData"] = {k: "(hidden)" for k in obj["stringData"]}
        click.echo(yaml.safe_dump_all(shown, sort_keys=False), nl=False)
        return
    _kubectl_apply(objects)
    job_names = [o["metadata"]["name"] for o in objects if o["kind"] == "Job"]
    namespace = str(config["K8S_NAMESPACE"])
    for name in job_names:
        fmt.echo_info(f"waiting for job/{name} (up to {timeout}s)")
        _kubectl(
            "wait",
            "--namespace",
            namespace,
            "--for=condition=complete",
            f"--timeout={timeout}s",
            f"job/{name}",
        )
        fmt.echo_info(f"job/{name} complete")
    fmt.echo_info(f"dumps uploaded to s3://{bucket}/dumps/ (see `tutor eks backup list`)")


def _kubectl(*args: str, stdin: t.Optional[str] = None) -> str:
    from .. import tools

    result = subprocess.run(
        [tools.kubectl(), *args], input=stdin, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"kubectl {args[0]} failed: {result.stderr.strip()[-500:]}")
    return result.stdout


def _kubectl_apply(objects: list[dict[str, t.Any]]) -> None:
    document = json.dumps({"apiVersion": "v1", "kind": "List", "items": objects})
    _kubectl("apply", "-f", "-", stdin=document)


@backup.command(name="list", help="Recovery points and dumps per store, newest first.")
@_STORE_OPTION
@click.pass_obj
def list_(context: Context, store_arg: str) -> None:
    def run() -> None:
        stores.selected(store_arg)
        config = _config(context.root)
        names = stores.selected_for(config, store_arg)
        clients = _clients(config)
        for line in listing(clients, config, names):
            click.echo(line)

    _guard(run)


def listing(
    clients: stores.ClientFactory,
    config: dict[str, t.Any],
    names: list[str],
    now: t.Optional[datetime] = None,
) -> list[str]:
    """The lines of `backup list`: per store, recovery points then dumps, newest first."""
    found = stores.discover(clients, config, names)
    points = jobs.recovery_points(clients("backup"), stores.vault_name(config), found)
    bucket = stores.bucket_name(
        str(config["EKS_NAME"]), stores.account_id(clients), str(config["EKS_AWS_REGION"])
    )
    s3 = clients("s3")
    lines = []
    for name in names:
        lines.append(f"{name} ({STORES[name]} {found[name].identifier})")
        for p in points[name]:
            lines.append(
                f"  {p.created.astimezone(timezone.utc):%Y-%m-%d %H:%M}Z  "
                f"{jobs.age(p.created, now):>7}  {jobs.size(p.size):>10}  {p.kind:<10} "
                f"{p.status:<9} {p.arn}"
            )
        dumps = []
        # Keys hold the dump's UTC stamp: they order dumps uploaded in the same second.
        try:
            for page in s3.get_paginator("list_objects_v2").paginate(
                Bucket=bucket, Prefix=f"dumps/{name}/"
            ):
                dumps.extend(
                    o for o in page.get("Contents", []) if not o["Key"].endswith(".sha256")
                )
        except s3.exceptions.NoSuchBucket:
            raise BackupError(
                f"backup bucket {bucket} not found: run `tutor eks infra apply` (stage 1 "
                "creates it with the backup vault)."
            ) from None
        for obj in sorted(dumps, key=lambda o: (o["LastModified"], o["Key"]), reverse=True):
            lines.append(
                f"  {obj['LastModified'].astimezone(timezone.utc):%Y-%m-%d %H:%M}Z  "
                f"{jobs.age(obj['LastModified'], now):>7}  {jobs.size(obj['Size']):>10}  "
                f"{'dump':<10} {'':<9} s3://{bucket}/{obj['Key']}"
            )
        if not points[name] and not dumps:
            lines.append("  (no recovery point or dump yet: run `tutor eks backup`)")
    return lines


# -- tutor eks restore -----------------------------------------------------------------

# (config, MySQL host, label) -> rows per table of the Open edX database on that host.
Counter = t.Callable[[t.Dict[str, t.Any], str, str], t.Dict[str, int]]


def count_in_cluster(config: dict[str, t.Any], host: str, label: str) -> dict[str, int]:
    """Rows per table, counted by a Job in the cluster (the database is private)."""
    from ..backup import logical

    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
    objects = logical.mysql_count_objects(config, host, stamp, label)
    name = next(o["metadata"]["name"] for o in objects if o["kind"] == "Job")
    namespace = str(config["K8S_NAMESPACE"])
    _kubectl_apply(objects)
    fmt.echo_info(f"counting rows on the {label} database (job/{name})")
    try:
        _kubectl(
            "wait",
            "--namespace",
            namespace,
            "--for=condition=complete",
            "--timeout=3600s",
            f"job/{name}",
        )
        return logical.parse_counts(_kubectl("logs", "--namespace", namespace, f"job/{name}"))
    finally:
        _kubectl(
            "delete",
            "--namespace",
            namespace,
            "--ignore-not-found",
            "--wait=false",
            f"job/{name}",
            f"secret/{name}",
            f"configmap/{name}",
        )


@click.command(
    help="Restore STORE (mysql, mongodb, media, search or all) side by side: new "
    "resources from a recovery point or a point in time, never the live ones. Prints the "
    "config change that points Open edX at the copy (applies it with --switch) and how "
    "to roll back. --rehearse restores, compares, and deletes what it made."
)
@click.argument("store_arg", metavar="STORE")
@click.option(
    "--recovery-point",
    default=None,
    help="ARN of a recovery point from `tutor eks backup list` (one store).",
)
@click.option(
    "--time",
    "at",
    default=None,
    help="Point in time, ISO 8601 UTC (mysql and mongodb), e.g. 2026-11-29T08:30:00Z.",
)
@click.option(
    "--switch", is_flag=True, help="Write the config change (then run `tutor k8s start`)."
)
@click.option(
    "--rehearse",
    is_flag=True,
    help="Restore, compare with the live store, delete the copy: a restore drill.",
)
@click.option(
    "--timeout",
    type=click.IntRange(60),
    default=3 * 3600,
    show_default=True,
    help="Seconds to wait for each restore.",
)
@click.option(
    "--no-counts",
    is_flag=True,
    help="With --rehearse: skip the MySQL row counts (they run as Jobs in the cluster).",
)
@click.pass_obj
def restore(
    context: Context,
    store_arg: str,
    recovery_point: t.Optional[str],
    at: t.Optional[str],
    switch: bool,
    rehearse: bool,
    timeout: int,
    no_counts: bool,
) -> None:
    def run() -> None:
        run_restore(
            context.root,
            _clients,
            store_arg,
            recovery_point,
            at,
            switch,
            rehearse,
            timeout,
            counter=None if no_counts else count_in_cluster,
        )

    _guard(run)


def run_restore(
    root: str,
    clients_for: t.Callable[[dict[str, t.Any]], stores.ClientFactory],
    store_arg: str,
    recovery_point: t.Optional[str],
    at: t.Optional[str],
    switch: bool,
    rehearse: bool,
    timeout: float,
    echo: t.Callable[[str], None] = fmt.echo_info,
    counter: t.Optional[Counter] = None,
    **waits: t.Any,
) -> list[t.Any]:
    """Validate everything, then restore under the lock; returns what was restored."""
    from ..backup import restore as restoring
    from ..backup.lock import RestoreLock
    from ..backup.logical import compare_counts as logical_compare

    stores.selected(store_arg)
    if switch and rehearse:
        raise BackupError(
            "--switch and --rehearse exclude each other: a rehearsal deletes "
            "its copy, there is nothing to switch to."
        )
    moment = restoring.parse_time(at) if at else None
    config = _config(root)
    names = stores.selected_for(config, store_arg)
    clients = clients_for(config)
    found = stores.discover(clients, config, names)
    vault = stores.vault_name(config)
    sources = restoring.choose_sources(clients, vault, found, recovery_point, moment)

    def role() -> str:
        return jobs.backup_role(clients("backup"), str(config["EKS_NAME"]))

    restorer = restoring.Restorer(clients, echo, role, timeout=timeout, **waits)
    now = datetime.now(timezone.utc)
    done: list[restoring.Restored] = []
    with RestoreLock(root, store_arg):
        running = restoring.running_restores(clients, found)
        if running:
            raise BackupError(
                f"a restore is still running: {', '.join(running)}. Wait for it to finish "
                "(or delete that copy), then run the restore again."
            )
        for name, source in sources.items():
            target = restoring.target_name(str(config["EKS_NAME"]), name, now)
            echo(f"{name}: restoring {source.describe()} as {target}")
            try:
                done.append(restorer.restore(found[name], source, target))
            except BaseException:
                for item in done:
                    echo(f"kept {item.kind} {item.identifier} (restored before the failure)")
                raise
        if rehearse:
            usable = True
            try:
                for item in done:
                    for line in restoring.compare(clients, found[item.store], item):
                        echo(line)
                    if item.store == "mysql" and counter is not None:
                        live = counter(config, str(config["MYSQL_HOST"]), "live")
                        copy = counter(config, item.config["MYSQL_HOST"], "copy")
                        lines, ok = logical_compare(live, copy)
                        for line in lines:
                            echo(line)
                        usable = usable and ok
            finally:
                for item in done:
                    restorer.delete(item)
            if not usable:
                raise BackupError(
                    "rehearsal failed: the restored copy lacks tables of the "
                    "live database (see above); every copy was deleted."
                )
            echo("rehearsal complete: every copy was deleted, the config is unchanged.")
            return done
        changes: dict[str, str] = {}
        for item in done:
            echo(f"{item.store}: {item.kind} {item.identifier} restored from {item.source}")
            changes.update(item.config)
            if item.store == "search":
                echo(
                    f"search: attach volume {item.identifier} to the Meilisearch instance in "
                    "place of its data volume (stop the instance, detach, attach at the same "
                    "device, start): see docs/backups.md."
                )
        if not changes:
            return done
        old = {key: config.get(key, "") for key in changes}
        set_new = " ".join(f"--set {k}={v}" for k, v in changes.items())
        set_old = " ".join(f"--set {k}={v}" for k, v in old.items())
        if switch:
            from ..infra import config_sync

            config_sync.write(root, changes)
            echo(f"switched: {set_new.replace('--set ', '')}; now run `tutor k8s start`.")
        else:
            echo(f"to switch Open edX to the copy: tutor config save {set_new} && tutor k8s start")
        echo(f"to roll back: tutor config save {set_old} && tutor k8s start")
        echo(
            "note: `tutor eks infra apply|output` writes the Terraform outputs (the original "
            "resources) back into the config; adopt a kept copy as docs/backups.md explains."
        )
    return done
