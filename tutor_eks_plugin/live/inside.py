"""The in-namespace connectivity Job: the openedx image, the rendered settings, one probe
per data store, then the Job is deleted.

The pod template is the rendered `lms` Deployment's (image, env, settings volumes, CA
bundle, service account): the Job sees exactly what the LMS sees, so a wrong host,
password, CA or TLS flag shows up here as it would in the LMS.
"""

from __future__ import annotations

import copy
import json
import time
import typing as t

from .context import KubectlError, Target
from .report import Result, fail, ok

JOB_NAME = "eks-validate-connectivity"
SOURCE_DEPLOYMENT = "lms"
DEADLINE_SECONDS = 180
MARKER = "TUTOR-EKS-PROBE "
STORES = ("mysql", "mongodb", "redis", "meilisearch")

# Runs inside the openedx image with the LMS settings. Each probe opens a connection
# through the same client the platform uses and reports; nothing is written.
PROBE_SCRIPT = '''
import json
import django
django.setup()
from django.conf import settings

results = {}

def probe(name, fn):
    try:
        results[name] = ["ok", fn()]
    except Exception as exc:  # every failure is a finding, reported as text
        results[name] = ["fail", (type(exc).__name__ + ": " + str(exc))[:300]]

def mysql():
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT VERSION()")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW SESSION STATUS LIKE 'Ssl_version'")
        row = cursor.fetchone()
    return "MySQL %s, TLS %s" % (version, (row[1] if row and row[1] else "off"))

def mongodb():
    from xmodule.mongo_utils import connect_to_mongodb
    config = dict(settings.DOC_STORE_CONFIG)
    config.pop("collection", None)
    db = connect_to_mongodb(**config)
    db.command("ping")
    return "ping ok, TLS %s" % bool(config.get("ssl") or config.get("tls"))

def redis():
    from django.core.cache import caches
    client = caches["default"]._cache.get_client(write=False)
    client.ping()
    return "PING ok, %s" % client.connection_pool.connection_class.__name__

def meilisearch():
    import meilisearch as meili
    client = meili.Client(settings.MEILISEARCH_URL, settings.MEILISEARCH_API_KEY)
    return "health %s" % client.health().get("status")

for name in ("mysql", "mongodb", "redis", "meilisearch"):
    probe(name, globals()[name])
print("TUTOR-EKS-PROBE " + json.dumps(results), flush=True)
'''


def job_manifest(target: Target) -> dict[str, t.Any]:
    """The Job, built from the rendered LMS pod template."""
    lms = next((d for d in target.rendered("Deployment")
                if d["metadata"]["name"] == SOURCE_DEPLOYMENT), None)
    if lms is None:
        raise LookupError(f"no Deployment {SOURCE_DEPLOYMENT!r} in the render")
    pod = copy.deepcopy(lms["spec"]["template"])
    spec = pod["spec"]
    container = spec["containers"][0]
    for key in ("livenessProbe", "readinessProbe", "startupProbe", "ports", "lifecycle", "args"):
        container.pop(key, None)
    container["name"] = "probe"
    container["command"] = ["python", "-c", PROBE_SCRIPT]
    spec["containers"] = [container]
    spec["restartPolicy"] = "Never"
    spec.pop("affinity", None)
    spec.pop("topologySpreadConstraints", None)
    labels = {
        "app.kubernetes.io/name": JOB_NAME,
        "app.kubernetes.io/component": "job",
        "app.kubernetes.io/part-of": "tutor-eks-validate",
    }
    pod["metadata"] = {"labels": labels}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": JOB_NAME, "namespace": target.namespace, "labels": labels},
        "spec": {
            "backoffLimit": 0,
            "activeDeadlineSeconds": DEADLINE_SECONDS,
            # If this command is killed before its own cleanup, the cluster removes it.
            "ttlSecondsAfterFinished": 600,
            "template": pod,
        },
    }


def _delete(target: Target) -> None:
    target.kubectl("delete", "job", JOB_NAME, "--namespace", target.namespace,
                   "--ignore-not-found=true", "--wait=false")


def connectivity(target: Target, poll_seconds: float = 2.0) -> list[Result]:
    manifest = job_manifest(target)
    _delete(target)  # a leftover of an interrupted run
    target.kubectl("create", "--filename", "-", stdin=json.dumps(manifest))
    try:
        started = time.monotonic()
        while True:
            job = json.loads(target.kubectl("get", "job", JOB_NAME, "--namespace",
                                            target.namespace, "--output", "json"))
            status = job.get("status", {})
            if status.get("succeeded") or status.get("failed"):
                break
            if time.monotonic() - started > DEADLINE_SECONDS + 30:
                return [fail(f"Job {JOB_NAME} did not finish in {DEADLINE_SECONDS} s",
                             f"kubectl -n {target.namespace} describe job {JOB_NAME}")]
            time.sleep(poll_seconds)
        logs = target.kubectl("logs", f"job/{JOB_NAME}", "--namespace", target.namespace)
    finally:
        try:
            _delete(target)
        except KubectlError:
            pass  # ttlSecondsAfterFinished removes it
    found = [line[len(MARKER):] for line in logs.splitlines() if line.startswith(MARKER)]
    if not found:
        tail = " | ".join(logs.strip().splitlines()[-3:]) or "no output"
        return [fail(f"the probe printed no result ({tail})",
                     "the pod did not start Django: check the image and the settings")]
    probes = json.loads(found[-1])
    results = []
    for store in STORES:
        verdict, detail = probes.get(store, ["fail", "not probed"])
        if verdict == "ok":
            results.append(ok(detail, store))
        else:
            results.append(fail(detail, f"check {store.upper()}_* settings, its security group "
                                "and TLS CA bundle (EKS_CA_BUNDLE_PATH)", store))
    return results
