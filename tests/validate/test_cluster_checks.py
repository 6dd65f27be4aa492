"""Cluster checks against the recording kubectl stand-in serving the rendered objects."""

from __future__ import annotations

import json
from pathlib import Path

from tutor_cli import Rendered

from tutor_eks_plugin.live import checks

from . import kubectl_standin
from .conftest import make_target


def _by(results, check):  # type: ignore[no-untyped-def]
    return {r.subject: r for r in results if r.check == check}


def test_a_healthy_cluster_passes_every_cluster_check(site: Rendered, standin: Path) -> None:
    kubectl_standin.serve(standin, kubectl_standin.healthy_cluster(site.objects))
    results = checks.run(make_target(site), ["cluster"])
    assert [r for r in results if r.status != "ok"] == []
    deployments = _by(results, "cluster.deployments")
    assert set(deployments) == site.names("Deployment") and {"lms", "cms", "mfe"} <= set(deployments)
    assert set(_by(results, "cluster.hpa")) == site.names("HorizontalPodAutoscaler")
    assert "openedx-media" in _by(results, "cluster.volumes")
    nodes = _by(results, "cluster.nodes")[""]
    assert "us-east-1a: 1, us-east-1b: 1, us-east-1c: 1" in nodes.seen


def test_unknown_metrics_crash_loop_and_pending_claim_fail(site: Rendered, standin: Path) -> None:
    kubectl_standin.serve(standin, kubectl_standin.broken_cluster(site.objects))
    results = checks.run(make_target(site), ["cluster"])
    failed = {(r.check, r.subject) for r in results if r.status == "fail"}
    assert ("cluster.hpa", "lms") in failed
    hpa = _by(results, "cluster.hpa")["lms"]
    assert "<unknown>" in hpa.seen and "FailedGetResourceMetric" in hpa.seen
    assert "metrics-server" in hpa.todo
    assert _by(results, "cluster.hpa")["cms"].status == "ok"
    crash = [r for r in results if r.check == "cluster.crashloops"]
    assert len(crash) == 1 and crash[0].subject.startswith("openedx/cms-")
    assert "--previous" in crash[0].todo and "7 restarts" in crash[0].seen
    assert _by(results, "cluster.volumes")["openedx-media"].seen == "Pending"


def test_missing_zone_wrong_image_and_unreconciled_binding_fail(
    site: Rendered, standin: Path
) -> None:
    responses = kubectl_standin.healthy_cluster(site.objects)
    responses["get nodes -"]["items"] = responses["get nodes -"]["items"][:2]
    lms = next(d for d in responses["get deployments openedx"]["items"]
               if d["metadata"]["name"] == "lms")
    lms["spec"]["template"]["spec"]["containers"][0]["image"] = "docker.io/overhangio/openedx:21.0.0"
    responses["get targetgroupbindings.elbv2.k8s.aws nginx-ingress"]["items"][0]["metadata"][
        "generation"] = 2
    kubectl_standin.serve(standin, responses)
    results = checks.run(make_target(site), ["cluster"])
    nodes = _by(results, "cluster.nodes")[""]
    assert nodes.status == "fail" and "3 zones" in nodes.todo
    image = _by(results, "cluster.images")["lms"]
    assert image.status == "fail" and "openedx:21.0.0 instead of" in image.seen
    assert _by(results, "cluster.targetgroupbinding")[""].status == "fail"


def test_a_kubectl_error_is_one_fail_line_not_a_traceback(site: Rendered, standin: Path) -> None:
    responses = kubectl_standin.healthy_cluster(site.objects)
    del responses["get targetgroupbindings.elbv2.k8s.aws nginx-ingress"]  # CRD not installed
    kubectl_standin.serve(standin, responses)
    results = checks.run(make_target(site), ["cluster"])
    tgb = [r for r in results if r.check == "cluster.targetgroupbinding"]
    assert len(tgb) == 1 and tgb[0].status == "fail"
    assert "doesn't have a resource type" in tgb[0].seen
    # Read-only: nothing but get calls reached the cluster.
    assert {c["args"][0] for c in kubectl_standin.calls(standin)} == {"get"}
    assert json.dumps([c for c in kubectl_standin.calls(standin) if c["stdin"]]) == "[]"


def test_a_rendered_deployment_or_autoscaler_absent_from_the_cluster_fails(
    site: Rendered, standin: Path
) -> None:
    responses = kubectl_standin.healthy_cluster(site.objects)
    for resource, gone in (("deployments", "cms"), ("horizontalpodautoscalers", "lms")):
        listing = responses[f"get {resource} openedx"]
        listing["items"] = [i for i in listing["items"] if i["metadata"]["name"] != gone]
    kubectl_standin.serve(standin, responses)
    results = checks.run(make_target(site), ["cluster"])
    for check, gone, other in (("cluster.deployments", "cms", "lms"),
                               ("cluster.hpa", "lms", "cms")):
        absent = _by(results, check)[gone]
        assert (absent.status, absent.seen) == ("fail", "absent from the cluster"), check
        assert absent.todo == "run `tutor k8s start`"
        # The others are still checked one by one.
        assert _by(results, check)[other].status == "ok", check
    # The images check leaves the absent Deployment to the deployments check.
    assert "cms" not in _by(results, "cluster.images")
