"""The connectivity Job: built from the rendered LMS pod template, valid under the strict
schemas like the rest of the render, run and deleted through the kubectl stand-in."""

from __future__ import annotations

import json
from pathlib import Path

import kubernetes_validate
import pytest
from tutor_cli import Rendered

from tutor_eks_plugin.live import checks, inside

from . import kubectl_standin
from .conftest import make_target


@pytest.mark.parametrize("version", ["1.34", "1.37"])
def test_the_job_is_valid_under_strict_schemas(site: Rendered, version: str) -> None:
    manifest = inside.job_manifest(make_target(site))
    kubernetes_validate.validate(manifest, version, strict=True)


def test_the_job_runs_the_lms_image_and_settings_without_probes(site: Rendered) -> None:
    lms = site.get("Deployment", "lms")["spec"]["template"]["spec"]
    job = inside.job_manifest(make_target(site))
    pod = job["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["image"] == lms["containers"][0]["image"]
    assert container["env"] == lms["containers"][0]["env"]
    assert container["volumeMounts"] == lms["containers"][0]["volumeMounts"]
    assert pod["volumes"] == lms["volumes"]
    assert pod["restartPolicy"] == "Never" and job["spec"]["backoffLimit"] == 0
    assert not {"livenessProbe", "readinessProbe", "startupProbe", "ports"} & set(container)
    compile(inside.PROBE_SCRIPT, "probe", "exec")  # the script at least parses


def test_each_store_is_reported_and_the_job_is_deleted(site: Rendered, standin: Path) -> None:
    responses = kubectl_standin.healthy_cluster(site.objects)
    responses["get job openedx"] = [
        {"kind": "Job", "status": {"active": 1}},  # still running on the first poll
        {"kind": "Job", "status": {"failed": 1}},
    ]
    responses["logs openedx"] = "Traceback ...\nTUTOR-EKS-PROBE " + json.dumps({
        "mysql": ["ok", "MySQL 8.4.3, TLS TLSv1.3"],
        "mongodb": ["fail", "ServerSelectionTimeoutError: docdb:27017 timed out"],
        "redis": ["ok", "PING ok, SSLConnection"],
        "meilisearch": ["ok", "health available"],
    })
    kubectl_standin.serve(standin, responses)
    results = inside.connectivity(make_target(site), poll_seconds=0.01)
    verdicts = {r.subject: r.status for r in results}
    assert verdicts == {"mysql": "ok", "mongodb": "fail", "redis": "ok", "meilisearch": "ok"}
    calls = kubectl_standin.calls(standin)
    verbs = [c["args"][0] for c in calls]
    assert verbs[0] == "delete" and verbs[1] == "create" and verbs[-1] == "delete"
    created = json.loads(calls[1]["stdin"])
    assert created["metadata"]["name"] == inside.JOB_NAME
    assert created["metadata"]["namespace"] == "openedx"


def test_a_job_that_prints_nothing_fails_and_is_still_deleted(
    site: Rendered, standin: Path
) -> None:
    responses = kubectl_standin.healthy_cluster(site.objects)
    responses["logs openedx"] = "ImportError: No module named lms\n"
    kubectl_standin.serve(standin, responses)
    results = checks.run(make_target(site), ["inside"])
    assert [r.status for r in results] == ["fail"]
    assert "ImportError" in results[0].seen
    assert kubectl_standin.calls(standin)[-1]["args"][:3] == ["delete", "job", inside.JOB_NAME]
