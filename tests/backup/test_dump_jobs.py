"""The dump Jobs of `tutor eks backup --logical`: built from a real Tutor config, checked
with the strict Kubernetes schemas (kubernetes-validate) for every version the render is
checked against, and shown by the real CLI with --dry-run (secrets hidden)."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
import yaml
from backup_names import MYSQL_PASSWORD
from eks_in_process import eks_plugin_in_process
from tutor_cli import run_tutor

from tutor_eks_plugin import cabundle
from tutor_eks_plugin.backup import logical
from tutor_eks_plugin.backup.stores import BackupError


@pytest.fixture(scope="module")
def config(tutor_root: Path) -> dict[str, t.Any]:
    from tutor import config as tutor_config

    # The EKS_* defaults, as `tutor` loads them; no hook of the plugin outlives the load.
    with eks_plugin_in_process():
        loaded = dict(tutor_config.load(str(tutor_root)))
    loaded.update({"EKS_MONGODB_MODE": "documentdb", "MONGODB_PASSWORD": "mongo-password-1"})
    return loaded


def _pod(objects: list[dict[str, t.Any]]) -> dict[str, t.Any]:
    (job,) = [o for o in objects if o["kind"] == "Job"]
    return job["spec"]["template"]["spec"]


def test_every_dump_job_passes_the_strict_schemas(config) -> None:
    objects = (logical.mysql_objects(config, "bucket-1", "20261129")
               + logical.mongodb_objects(config, "bucket-1", "20261129")
               + logical.meilisearch_objects(config, "20261129"))
    versions = config["EKS_CHECK_KUBERNETES_VERSIONS"]
    assert versions
    for version in versions:
        assert logical.validate(objects, str(version)) == [], version


def test_schema_check_catches_a_broken_job(config) -> None:
    """The check would fail: a misspelt field is reported (strict mode)."""
    objects = logical.mysql_objects(config, "bucket-1", "20261129")
    _pod(objects)["initContainers"][0]["volumeMount"] = []
    failures = logical.validate(objects, str(config["EKS_CHECK_KUBERNETES_VERSIONS"][0]))
    assert any("volumeMount" in f for f in failures), failures


def test_mysql_dump_job_uses_the_apps_tls_and_keeps_the_password_in_a_secret(config) -> None:
    objects = logical.mysql_objects(config, "bucket-1", "20261129")
    kinds = {o["kind"]: o for o in objects}
    pod = _pod(objects)
    dump = pod["initContainers"][0]
    env = {e["name"]: e for e in dump["env"]}
    assert env["MYSQL_SSL_MODE"]["value"] == config["EKS_MYSQL_SSL_MODE"] == "VERIFY_IDENTITY"
    assert env["MYSQL_SSL_CA"]["value"] == cabundle.MOUNT_PATH
    assert env["MYSQL_HOST"]["value"] == config["MYSQL_HOST"]
    assert env["MYSQL_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] == "password"
    assert MYSQL_PASSWORD not in yaml.safe_dump(kinds["Job"])
    assert kinds["Secret"]["stringData"]["password"] == MYSQL_PASSWORD
    # The Job's own ConfigMap carries the same CA bundle the render ships to the app.
    assert kinds["ConfigMap"]["data"][cabundle.CONFIGMAP_KEY] == cabundle.read(config["EKS_CA_BUNDLE_PATH"])
    assert kinds["ConfigMap"]["data"]["mysql.sh"] == logical.script("mysql.sh")
    assert dump["command"] == logical.mysql_dump_argv(f"{logical.SCRIPT_DIR}/mysql.sh",
                                                      f"{logical.DUMP_DIR}/openedx.sql.gz")
    assert dump["image"] == config["DOCKER_IMAGE_MYSQL"]
    upload = pod["containers"][0]
    assert upload["command"][-1] == "s3://bucket-1/dumps/mysql/20261129/"
    assert pod["serviceAccountName"] == logical.SERVICE_ACCOUNT == "eks-backup"
    for container in (dump, upload):
        assert container["securityContext"]["readOnlyRootFilesystem"] is True


def test_mysql_dump_without_a_ca_bundle_is_refused(config) -> None:
    broken = {**config, "EKS_CA_BUNDLE_PATH": "", "EKS_CA_BUNDLE_CONFIGMAP": ""}
    with pytest.raises(BackupError, match="EKS_MYSQL_TLS is true but no CA bundle is configured"):
        logical.mysql_objects(broken, "bucket-1", "20261129")


def test_mongodump_password_never_on_the_command_line(config) -> None:
    pod = _pod(logical.mongodb_objects(config, "bucket-1", "20261129"))
    dump = pod["initContainers"][0]
    assert "mongo-password-1" not in yaml.safe_dump(pod)
    assert "--sslCAFile" in dump["command"] and "--config=/tmp/mongodump.yaml" in dump["command"][2]


def test_dry_run_prints_the_manifests_with_secrets_hidden(tutor_root: Path) -> None:
    result = run_tutor(tutor_root, "eks", "backup", "--logical", "--store", "mysql", "--dry-run")
    documents = list(yaml.safe_load_all(result.stdout))
    assert [d["kind"] for d in documents] == ["ServiceAccount", "Secret", "ConfigMap", "Job"]
    assert documents[1]["stringData"] == {"password": "(hidden)"}
    assert MYSQL_PASSWORD not in result.stdout + result.stderr


def test_rehearsal_count_job_targets_the_given_host_and_passes_the_schemas(config) -> None:
    objects = logical.mysql_count_objects(config, "demo-mysql-r1.x.rds.amazonaws.com", "20261129", "copy")
    for version in config["EKS_CHECK_KUBERNETES_VERSIONS"]:
        assert logical.validate(objects, str(version)) == [], version
    pod = _pod(objects)
    (count,) = pod["containers"]
    assert "initContainers" not in pod
    env = {e["name"]: e for e in count["env"]}
    assert env["MYSQL_HOST"]["value"] == "demo-mysql-r1.x.rds.amazonaws.com"
    assert env["MYSQL_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "eks-restore-count-copy-20261129"
    assert count["command"] == ["sh", f"{logical.SCRIPT_DIR}/mysql.sh", "count", "openedx"]
    names = {o["kind"]: o["metadata"]["name"] for o in objects}
    assert names["Secret"] == names["ConfigMap"] == names["Job"] == "eks-restore-count-copy-20261129"
    assert {v["configMap"]["name"] for v in pod["volumes"] if "configMap" in v} == {names["ConfigMap"]}


def test_dump_jobs_read_moved_passwords_from_the_synced_secret(config) -> None:
    """EKS_SECRETS_SOURCE=secretsmanager: config.yml holds placeholders only, so the dump
    Jobs read the Kubernetes Secret the ExternalSecret keeps, never a Secret of their own
    carrying the placeholder as a password (the keys the driver moves, as it writes them)."""
    from tutor_eks_plugin.infra import contract
    from tutor_eks_plugin.settings import secrets

    moved = {e.key: e.secret_property for e in contract.ENTRIES if e.secret}
    referenced = {
        **config,
        "EKS_SECRETS_SOURCE": secrets.SECRETSMANAGER,
        "EKS_SECRETS_REFERENCES": {
            k: {"secret": f"arn:aws:secretsmanager:eu-west-1:123456789012:secret:{k.lower()}-AbCdEf",
                "property": p}
            for k, p in moved.items()
        },
        **{k: secrets.BY_KEY[k].placeholder for k in moved},
    }
    jobs = {
        "MYSQL_PASSWORD": logical.mysql_objects(referenced, "bucket-1", "20261129"),
        "MONGODB_PASSWORD": logical.mongodb_objects(referenced, "bucket-1", "20261129"),
        "MEILI_MASTER_KEY": logical.meilisearch_objects(referenced, "20261129"),
        "count": logical.mysql_count_objects(referenced, "copy.rds.amazonaws.com", "20261129", "copy"),
    }
    expected = {
        "MYSQL_PASSWORD": "EKS_SECRET_OPENEDX_MYSQL_PASSWORD",
        "MONGODB_PASSWORD": "EKS_SECRET_MONGODB_PASSWORD",
        "MEILI_MASTER_KEY": "EKS_SECRET_MEILISEARCH_MASTER_KEY",
        "count": "EKS_SECRET_OPENEDX_MYSQL_PASSWORD",
    }
    for variable, objects in jobs.items():
        assert [o for o in objects if o["kind"] == "Secret"] == [], variable
        pod = _pod(objects)
        container = (pod.get("initContainers") or pod["containers"])[0]
        refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
        assert list(refs.values()) == [
            {"name": secrets.KUBERNETES_SECRET, "key": expected[variable]}
        ], variable
        assert "${EKS_SECRET_" not in yaml.safe_dump(objects), variable
        for version in config["EKS_CHECK_KUBERNETES_VERSIONS"]:
            assert logical.validate(objects, str(version)) == [], (variable, version)
