"""Logical dumps (`tutor eks backup --logical`): Kubernetes Jobs that dump a store and
upload the dump to the backup bucket, so that a site can move to another account or
region (a recovery point cannot leave its account and engine).

Each dump is one Job with two containers sharing an emptyDir: an init container in the
store's client image writes the dump (scripts/mysql.sh for MySQL, the same file the
round-trip test runs), then the AWS CLI container uploads it to
`s3://<bucket>/dumps/<store>/<stamp>/`. The Job runs as the `eks-backup` service
account, which Pod Identity maps to the dumps role (terraform/modules/backup).

TLS is the app's: MySQL verifies the server with the same CA bundle and ssl-mode as
Open edX (EKS_MYSQL_SSL_MODE); MongoDB with the same CA bundle. The objects are built
here as data and validated with the strict Kubernetes schemas before they are applied.
"""

from __future__ import annotations

import typing as t
from importlib import resources

from .. import cabundle
from .stores import BackupError

SERVICE_ACCOUNT = "eks-backup"
SCRIPT_DIR = "/opt/eks-backup"
DUMP_DIR = "/dump"
AWS_CLI_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.27.50"
CURL_IMAGE = "docker.io/curlimages/curl:8.15.0"
# The containers' own scratch space: an emptyDir (the root filesystems are read-only).
CONTAINER_TMP = "/tmp"  # noqa: S108
LABELS = {"app.kubernetes.io/component": "job", "app.kubernetes.io/name": "eks-backup"}


def _password_from(
    config: dict[str, t.Any], key: str, name: str, namespace: str, secret_key: str
) -> tuple[dict[str, t.Any], list[dict[str, t.Any]]]:
    """Where a Job reads the store password ``key``: the env ``valueFrom`` and the Secret
    objects to create with it.

    With EKS_SECRETS_SOURCE=secretsmanager and the key moved, config.yml holds only its
    placeholder: the Job reads the Kubernetes Secret the ExternalSecret keeps in sync
    (docs/secrets.md), and no Secret of its own is made. Otherwise the Job gets its own
    Secret with the value from config.yml.
    """
    from ..settings import secrets

    movable = secrets.BY_KEY.get(key)
    if movable is not None and movable in secrets.moved(config):
        ref = {"name": secrets.KUBERNETES_SECRET, "key": movable.env}
        return {"secretKeyRef": ref}, []
    own = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": _meta(name, namespace),
        "stringData": {secret_key: str(config[key])},
    }
    return {"secretKeyRef": {"name": name, "key": secret_key}}, [own]


def script(name: str) -> str:
    return (
        resources.files("tutor_eks_plugin.backup")
        .joinpath(f"scripts/{name}")
        .read_text(encoding="utf-8")
    )


def mysql_dump_argv(script_path: str, dump_file: str) -> list[str]:
    """The dump command of the Job (the round-trip test runs exactly this)."""
    return ["sh", script_path, "dump", dump_file]


def _security_context() -> dict[str, t.Any]:
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "runAsUser": 1000,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def _meta(name: str, namespace: str) -> dict[str, t.Any]:
    return {"name": name, "namespace": namespace, "labels": dict(LABELS)}


def _ca_volume(config: dict[str, t.Any], own_configmap: str) -> t.Optional[dict[str, t.Any]]:
    """The CA bundle: the PEM in the Job's own ConfigMap (the render's generated one has
    a kustomize hash suffix), or the operator's ConfigMap by name."""
    source = cabundle.source(config)
    if source == "file":
        return {
            "name": "ca",
            "configMap": {
                "name": own_configmap,
                "items": [{"key": cabundle.CONFIGMAP_KEY, "path": cabundle.CONFIGMAP_KEY}],
            },
        }
    if source == "configmap":
        return {
            "name": "ca",
            "configMap": {
                "name": str(config["EKS_CA_BUNDLE_CONFIGMAP"]),
                "items": [{"key": cabundle.CONFIGMAP_KEY, "path": cabundle.CONFIGMAP_KEY}],
            },
        }
    return None


def _upload_container(bucket: str, store: str, stamp: str) -> dict[str, t.Any]:
    target = f"s3://{bucket}/dumps/{store}/{stamp}/"
    return {
        "name": "upload",
        "image": AWS_CLI_IMAGE,
        "command": ["aws", "s3", "cp", "--recursive", "--only-show-errors", DUMP_DIR, target],
        "volumeMounts": [
            {"name": "dump", "mountPath": DUMP_DIR, "readOnly": True},
            {"name": "tmp", "mountPath": CONTAINER_TMP},
        ],
        "env": [{"name": "HOME", "value": CONTAINER_TMP}],
        "securityContext": _security_context(),
        "resources": {
            "requests": {"cpu": "100m", "memory": "128Mi"},
            "limits": {"memory": "512Mi"},
        },
    }


def _job(
    name: str,
    namespace: str,
    dump: dict[str, t.Any],
    upload: dict[str, t.Any],
    volumes: list[dict[str, t.Any]],
) -> dict[str, t.Any]:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": _meta(name, namespace),
        "spec": {
            "backoffLimit": 0,
            "activeDeadlineSeconds": 6 * 3600,
            "ttlSecondsAfterFinished": 7 * 86400,
            "template": {
                "metadata": {"labels": dict(LABELS)},
                "spec": {
                    "serviceAccountName": SERVICE_ACCOUNT,
                    "restartPolicy": "Never",
                    "securityContext": {"fsGroup": 1000},
                    "initContainers": [dump],
                    "containers": [upload],
                    "volumes": [
                        {"name": "dump", "emptyDir": {}},
                        {"name": "tmp", "emptyDir": {}},
                        *volumes,
                    ],
                },
            },
        },
    }


def mysql_objects(config: dict[str, t.Any], bucket: str, stamp: str) -> list[dict[str, t.Any]]:
    """ServiceAccount, Secret (the app's DB password), ConfigMap (script, CA), Job."""
    namespace = str(config["K8S_NAMESPACE"])
    name = f"eks-backup-mysql-{stamp}"
    tls = bool(config.get("EKS_MYSQL_TLS", True))
    ca_volume = _ca_volume(config, name)
    if tls and ca_volume is None:
        raise BackupError(
            "EKS_MYSQL_TLS is true but no CA bundle is configured: set EKS_CA_BUNDLE_PATH "
            "(or EKS_CA_BUNDLE_CONFIGMAP) as for the app, then run the backup again."
        )
    data = {"mysql.sh": script("mysql.sh")}
    if cabundle.source(config) == "file":
        data[cabundle.CONFIGMAP_KEY] = cabundle.read(str(config["EKS_CA_BUNDLE_PATH"]))
    ca_path = f"{cabundle.MOUNT_DIR}/{cabundle.CONFIGMAP_KEY}" if tls else ""
    dump_file = f"{DUMP_DIR}/{config['OPENEDX_MYSQL_DATABASE']}.sql.gz"
    mounts = [
        {"name": "dump", "mountPath": DUMP_DIR},
        {"name": "scripts", "mountPath": SCRIPT_DIR, "readOnly": True},
        {"name": "tmp", "mountPath": CONTAINER_TMP},
    ]
    volumes: list[dict[str, t.Any]] = [
        {
            "name": "scripts",
            "configMap": {"name": name, "items": [{"key": "mysql.sh", "path": "mysql.sh"}]},
        },
    ]
    if tls and ca_volume is not None:
        mounts.append({"name": "ca", "mountPath": cabundle.MOUNT_DIR, "readOnly": True})
        volumes.append(ca_volume)
    password, password_secrets = _password_from(
        config, "OPENEDX_MYSQL_PASSWORD", name, namespace, "password"
    )
    env = [
        {"name": "MYSQL_HOST", "value": str(config["MYSQL_HOST"])},
        {"name": "MYSQL_PORT", "value": str(config["MYSQL_PORT"])},
        {"name": "MYSQL_USER", "value": str(config["OPENEDX_MYSQL_USERNAME"])},
        {"name": "MYSQL_DATABASE", "value": str(config["OPENEDX_MYSQL_DATABASE"])},
        {"name": "MYSQL_SSL_CA", "value": ca_path},
        {
            "name": "MYSQL_SSL_MODE",
            "value": str(config.get("EKS_MYSQL_SSL_MODE", "VERIFY_IDENTITY")),
        },
        {"name": "MYSQL_PASSWORD", "valueFrom": password},
    ]
    dump = {
        "name": "dump",
        "image": str(config["DOCKER_IMAGE_MYSQL"]),
        "command": mysql_dump_argv(f"{SCRIPT_DIR}/mysql.sh", dump_file),
        "env": env,
        "volumeMounts": mounts,
        "securityContext": _security_context(),
        "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}},
    }
    return [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": _meta(SERVICE_ACCOUNT, namespace),
        },
        *password_secrets,
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(name, namespace), "data": data},
        _job(name, namespace, dump, _upload_container(bucket, "mysql", stamp), volumes),
    ]


def mongodb_objects(config: dict[str, t.Any], bucket: str, stamp: str) -> list[dict[str, t.Any]]:
    """mongodump of the Open edX database (modulestore, contentstore) over TLS."""
    namespace = str(config["K8S_NAMESPACE"])
    name = f"eks-backup-mongodb-{stamp}"
    from ..settings import mongodb as mongo_settings

    # The app's TLS choice (EKS_MONGODB_TLS replaces Tutor's MONGODB_USE_SSL) and CA.
    tls = bool(config.get("EKS_MONGODB_TLS", True))
    with_bundle = mongo_settings.uses_bundle(config)
    ca_volume = _ca_volume(config, name)
    mounts = [{"name": "dump", "mountPath": DUMP_DIR}]
    volumes: list[dict[str, t.Any]] = []
    args = [
        "mongodump",
        "--host",
        str(config["MONGODB_HOST"]),
        "--port",
        str(config["MONGODB_PORT"]),
        "--db",
        str(config["MONGODB_DATABASE"]),
        "--username",
        str(config["MONGODB_USERNAME"]),
        "--authenticationDatabase",
        str(config.get("MONGODB_AUTH_SOURCE") or "admin"),
        "--gzip",
        f"--archive={DUMP_DIR}/{config['MONGODB_DATABASE']}.archive.gz",
    ]
    data: dict[str, str] = {}
    if tls:
        args.append("--ssl")
        if with_bundle and ca_volume is not None:
            args += ["--sslCAFile", f"{cabundle.MOUNT_DIR}/{cabundle.CONFIGMAP_KEY}"]
            mounts.append({"name": "ca", "mountPath": cabundle.MOUNT_DIR, "readOnly": True})
            volumes.append(ca_volume)
            if cabundle.source(config) == "file":
                data[cabundle.CONFIGMAP_KEY] = cabundle.read(str(config["EKS_CA_BUNDLE_PATH"]))
    # The password goes into a private option file (--config), never onto the command
    # line. Passwords cannot hold quotes (settings.validators.Secret): single-quoted
    # YAML carries every other character.
    wrapper = (
        'umask 077; printf "password: \'%s\'\\n" "$MONGODB_PASSWORD" > /tmp/mongodump.yaml; '  # noqa: S108
        'exec "$@" --config=/tmp/mongodump.yaml'
    )
    mounts.append({"name": "tmp", "mountPath": CONTAINER_TMP})
    password, password_secrets = _password_from(
        config, "MONGODB_PASSWORD", name, namespace, "password"
    )
    dump = {
        "name": "dump",
        "image": str(config["DOCKER_IMAGE_MONGODB"]),
        "command": ["sh", "-c", wrapper, "mongodump", *args],
        "env": [{"name": "MONGODB_PASSWORD", "valueFrom": password}],
        "volumeMounts": mounts,
        "securityContext": _security_context(),
        "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}},
    }
    objects = [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": _meta(SERVICE_ACCOUNT, namespace),
        },
        *password_secrets,
    ]
    if data:
        objects.append(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": _meta(name, namespace),
                "data": data,
            }
        )
    objects.append(
        _job(name, namespace, dump, _upload_container(bucket, "mongodb", stamp), volumes)
    )
    return objects


def meilisearch_objects(config: dict[str, t.Any], stamp: str) -> list[dict[str, t.Any]]:
    """A Job that asks Meilisearch for a dump (POST /dumps) and waits for the task.

    Meilisearch writes the dump on its own host (the data volume, which the EBS
    recovery points cover); this Job cannot carry it to the bucket.
    """
    namespace = str(config["K8S_NAMESPACE"])
    name = f"eks-backup-meilisearch-{stamp}"
    url = str(config["MEILISEARCH_URL"]).rstrip("/")
    poll = (
        'set -eu; auth="Authorization: Bearer $MEILI_MASTER_KEY"; '
        'uid=$(curl -fsS -X POST -H "$auth" "$MEILI_URL/dumps" '
        "| sed -n 's/.*\"taskUid\":\\([0-9]*\\).*/\\1/p'); "
        'echo "dump task $uid"; '
        'while :; do s=$(curl -fsS -H "$auth" "$MEILI_URL/tasks/$uid"); '
        'case "$s" in *\'"status":"succeeded"\'*) echo "$s"; exit 0;; '
        '*\'"status":"failed"\'*|*\'"status":"canceled"\'*) echo "$s"; exit 1;; esac; sleep 5; done'
    )
    master_key, master_key_secrets = _password_from(
        config, "MEILISEARCH_MASTER_KEY", name, namespace, "master-key"
    )
    container = {
        "name": "dump",
        "image": CURL_IMAGE,
        "command": ["sh", "-c", poll],
        "env": [
            {"name": "MEILI_URL", "value": url},
            {"name": "MEILI_MASTER_KEY", "valueFrom": master_key},
        ],
        "securityContext": _security_context(),
        "resources": {"requests": {"cpu": "50m", "memory": "32Mi"}, "limits": {"memory": "64Mi"}},
    }
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": _meta(name, namespace),
        "spec": {
            "backoffLimit": 0,
            "activeDeadlineSeconds": 3 * 3600,
            "ttlSecondsAfterFinished": 7 * 86400,
            "template": {
                "metadata": {"labels": dict(LABELS)},
                "spec": {"restartPolicy": "Never", "containers": [container]},
            },
        },
    }
    return [*master_key_secrets, job]


def validate(objects: list[dict[str, t.Any]], version: str) -> list[str]:
    """Strict schema failures of the objects (empty: all valid)."""
    from ..render import schemas

    result = schemas.validate(objects, version)
    return result.failures + [f"{o}: no schema" for o in result.unchecked]


def mysql_count_objects(
    config: dict[str, t.Any], host: str, stamp: str, label: str
) -> list[dict[str, t.Any]]:
    """A Job that prints `table<TAB>rows<TAB>checksum` of the Open edX database on `host`
    (scripts/mysql.sh count, the app's TLS): the rehearsal runs it on the live database
    and on the restored copy and compares. Output is read from the Job's log."""
    objects = mysql_objects(config, "unused", stamp)
    dump_name = f"eks-backup-mysql-{stamp}"
    name = f"eks-restore-count-{label}-{stamp}"
    for obj in objects:
        if obj["kind"] != "ServiceAccount":
            obj["metadata"]["name"] = name
    job = next(o for o in objects if o["kind"] == "Job")
    pod = job["spec"]["template"]["spec"]
    count = pod.pop("initContainers")[0]
    count["name"] = "count"
    count["command"] = [
        "sh",
        f"{SCRIPT_DIR}/mysql.sh",
        "count",
        str(config["OPENEDX_MYSQL_DATABASE"]),
    ]
    for env in count["env"]:
        if env["name"] == "MYSQL_HOST":
            env["value"] = host
        # The dump's own Secret follows the new name; the synced Secret stays.
        ref = env.get("valueFrom", {}).get("secretKeyRef", {})
        if ref.get("name") == dump_name:
            ref["name"] = name
    count["volumeMounts"] = [m for m in count["volumeMounts"] if m["name"] != "dump"]
    pod["containers"] = [count]
    pod["volumes"] = [v for v in pod["volumes"] if v["name"] != "dump"]
    for volume in pod["volumes"]:
        if volume.get("configMap", {}).get("name", "").startswith("eks-backup-mysql-"):
            volume["configMap"]["name"] = name
    job["spec"]["activeDeadlineSeconds"] = 3600
    return objects


def parse_counts(text: str) -> dict[str, int]:
    """`table<TAB>rows<TAB>checksum` lines -> rows per table."""
    counts = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[1].isdigit():
            counts[parts[0]] = int(parts[1])
    return counts


def compare_counts(live: dict[str, int], copy: dict[str, int]) -> tuple[list[str], bool]:
    """Report lines, and whether the copy is usable (every live table is there)."""
    missing = sorted(set(live) - set(copy))
    differing = sorted(k for k in set(live) & set(copy) if live[k] != copy[k])
    lines = [
        f"mysql: {len(live)} tables, {sum(live.values())} rows live; {len(copy)} tables, "
        f"{sum(copy.values())} rows in the copy"
    ]
    if differing:
        shown = ", ".join(f"{k} {live[k]}/{copy[k]}" for k in differing[:10])
        lines.append(
            f"mysql: {len(differing)} tables differ (live/copy; writes since the restore "
            f"point): {shown}"
        )
    if missing:
        lines.append(f"mysql: tables missing in the copy: {', '.join(missing[:20])}")
    return lines, not missing
