"""Every enabled plugin's Deployments get the production shape (issue 22).

One real render (tutor 22 + `kubectl kustomize`, conftest.py) with mfe, notes,
credentials, discovery, xqueue and a third-party plugin: every Deployment has requests
and limits, probes (workers: the documented no-probe skips), an HPA or a fixed count of
at least 2, one PodDisruptionBudget, zone and node spread and a least-privilege
security context; the strict schemas and checkov pass over all of it; the policies of
`tutor eks check` fail when a plugin workload loses its probe, requests, HPA or budget.
"""

from __future__ import annotations

import ast
import copy
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from django.http.request import validate_host
from tutor_cli import Rendered, run_tutor

from tutor_eks_plugin.policies import workloads as workload_policies
from tutor_eks_plugin.render import schemas
from tutor_eks_plugin.workloads import KNOWN

SKIPS = yaml.safe_load(
    (Path(__file__).parents[1] / "render" / "checkov_skips.yml").read_text()
)
SHAPED = {"lms", "cms", "lms-worker", "cms-worker", "mfe", "notes", "credentials",
          "discovery", "xqueue", "acme", "acme-worker"}
WORKERS = {"lms-worker", "cms-worker", "acme-worker"}


def _hpa_targets(case: Rendered) -> dict[str, dict]:
    return {h["spec"]["scaleTargetRef"]["name"]: h
            for h in case.of_kind("HorizontalPodAutoscaler").values()}


def test_every_deployment_is_shaped(all_plugins: Rendered) -> None:
    deployments = all_plugins.of_kind("Deployment")
    assert set(deployments) == SHAPED
    hpas = _hpa_targets(all_plugins)
    budgets = all_plugins.of_kind("PodDisruptionBudget")
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        for container in pod["containers"]:
            resources = container.get("resources", {})
            assert {"cpu", "memory"} <= set(resources.get("requests", {})), (name, container)
            assert {"cpu", "memory"} <= set(resources.get("limits", {})), (name, container)
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["automountServiceAccountToken"] is False, name
        keys = {c["topologyKey"] for c in pod["topologySpreadConstraints"]}
        assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}, name
        main = pod["containers"][0]
        if name in WORKERS or name == "xqueue":
            # The xqueue-consumer container is probe-less (the skips say so).
            notes = deployment["metadata"]["annotations"]
            skipped = {v.split("=")[0] for k, v in notes.items()
                       if k.startswith("checkov.io/skip")}
            assert {"CKV_K8S_8", "CKV_K8S_9"} <= skipped, name
        if name in WORKERS:
            assert "livenessProbe" not in main and "readinessProbe" not in main, name
        else:
            assert {"startupProbe", "readinessProbe", "livenessProbe"} <= set(main), name
        # An HPA, never a pinned count beside it.
        assert name in hpas, name
        assert "replicas" not in deployment["spec"], name
        assert hpas[name]["spec"]["minReplicas"] >= (1 if name in WORKERS else 2), name
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        selecting = [b for b, pdb in budgets.items()
                     if all(labels.get(k) == v
                            for k, v in pdb["spec"]["selector"]["matchLabels"].items())]
        assert len(selecting) == 1, (name, selecting)


def test_plugin_values_come_from_the_table(all_plugins: Rendered) -> None:
    """notes, credentials, discovery, xqueue: the table's requests and HPA range
    (production profile); xqueue's consumer container its own; acme the generic ones,
    probed by TCP on the container port its route reaches (Service 80 -> 8080)."""
    deployments = all_plugins.of_kind("Deployment")
    hpas = _hpa_targets(all_plugins)
    for w in KNOWN:
        main = deployments[w.name]["spec"]["template"]["spec"]["containers"][0]
        assert main["resources"]["requests"] == {"cpu": w.cpu_request,
                                                 "memory": w.memory_request}
        assert (hpas[w.name]["spec"]["minReplicas"],
                hpas[w.name]["spec"]["maxReplicas"]) == w.replicas["production"]
    consumer = deployments["xqueue"]["spec"]["template"]["spec"]["containers"][1]
    assert consumer["name"] == "xqueue-consumer"
    assert consumer["resources"]["requests"] == {"cpu": "50m", "memory": "192Mi"}
    acme = deployments["acme"]["spec"]["template"]["spec"]["containers"][0]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert acme[probe]["tcpSocket"] == {"port": 8080}, probe
    assert acme["resources"]["requests"] == {"cpu": "100m", "memory": "256Mi"}


# Where each service's health view is defined (the probe path) — upstream URL confs,
# which cannot run here (no images): notes `heartbeat/` (openedx/edx-notes-api
# notesserver/urls.py), credentials `health/` (openedx/credentials credentials/urls.py),
# discovery `health/` (openedx/course-discovery course_discovery/urls.py), xqueue
# `xqueue/` + `status/` (openedx/xqueue xqueue/urls.py, submission_queue/urls.py).
HEALTH_PATHS = {"notes": "/heartbeat/", "credentials": "/health/", "discovery": "/health/",
                "xqueue": "/xqueue/status/"}
# The Django settings each plugin renders, whose ALLOWED_HOSTS the probe's Host must pass.
SETTINGS_FILES = {
    "notes": "plugins/notes/apps/settings/tutor.py",
    "credentials": "plugins/credentials/apps/credentials/settings/production.py",
    "discovery": "plugins/discovery/apps/settings/tutor/production.py",
    "xqueue": "plugins/xqueue/apps/settings/tutor.py",
}


def _allowed_hosts(path: Path) -> list[str]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ALLOWED_HOSTS" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path}: no ALLOWED_HOSTS")


@pytest.mark.parametrize("name", sorted(HEALTH_PATHS))
def test_probe_is_the_services_own_health_check(all_plugins: Rendered, env_root: Path,
                                                name: str) -> None:
    """The startup probe GETs the service's health view with a Host header that the
    service's rendered Django settings accept: Django's own validate_host (the check
    that answers 400 DisallowedHost otherwise) against the ALLOWED_HOSTS the plugin
    renders."""
    container = all_plugins.get("Deployment", name)["spec"]["template"]["spec"]["containers"][0]
    get = container["startupProbe"]["httpGet"]
    assert get["path"] == HEALTH_PATHS[name]
    assert get["port"] == 8000
    host = {h["name"]: h["value"] for h in get["httpHeaders"]}["Host"]
    allowed = _allowed_hosts(env_root / SETTINGS_FILES[name])
    assert validate_host(host, allowed), (host, allowed)
    # Readiness and liveness stay on the TCP port: a health view that checks the
    # database would take every replica out at once when the database stalls.
    assert container["livenessProbe"] == {**container["livenessProbe"],
                                          "tcpSocket": {"port": 8000}}


def test_strict_schemas(all_plugins: Rendered) -> None:
    for version in ("1.34", "1.37"):
        result = schemas.validate(all_plugins.objects, version)
        assert not result.failures, "\n".join(result.failures)


def test_checkov_over_every_workload(all_plugins: Rendered, checkov_bin: str,
                                     tmp_path: Path) -> None:
    """checkov over the whole render, plugin workloads included: 0 failed."""
    manifest = tmp_path / "render.yaml"
    manifest.write_text(yaml.safe_dump_all(all_plugins.objects))
    result = subprocess.run(
        [checkov_bin, "-f", str(manifest), "--framework", "kubernetes", "--skip-download",
         "--compact", "-o", "json", "--skip-check", ",".join(SKIPS)],
        capture_output=True, text=True, check=False,
    )
    assert result.stdout.strip(), f"checkov printed nothing:\n{result.stderr[-2000:]}"
    report = json.loads(result.stdout)
    report = report[0] if isinstance(report, list) else report
    failed = report.get("results", {}).get("failed_checks", [])
    lines = sorted({f"{f['check_id']} {f['resource']}: {f['check_name']}" for f in failed})
    assert not failed, "checkov failures:\n" + "\n".join(lines)
    checked = {r["resource"].split(".")[-1] for r in report["results"]["passed_checks"]
               if r["resource"].startswith("Deployment.")}
    assert SHAPED <= checked, SHAPED - checked
    summary = report["summary"]
    print(f"checkov: {summary['passed']} passed, {summary['failed']} failed, "
          f"{summary['skipped']} skipped")


def _config(case: Rendered) -> dict:
    """config.yml plus the default profile (EKS_* defaults are not written there)."""
    return {"EKS_PROFILE": "production", **case.config}


def test_eks_check_passes(all_plugins: Rendered) -> None:
    """The real `tutor eks check` over this root: schemas, every policy (the workload
    ones over the plugin workloads too) and the capacity figures with them."""
    result = run_tutor(all_plugins.root, "eks", "check", check=False,
                       env={"TUTOR_PLUGINS_ROOT": str(all_plugins.root / ".plugins")})
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 failed." in result.stdout
    figures = next(line for line in result.stdout.splitlines() if "Open edX at maxima" in line)
    for name in ("acme x4", "acme-worker x4", "credentials x4", "discovery x4", "notes x4",
                 "xqueue x4"):
        assert name in figures, figures


def _mutated(case: Rendered, kind: str, name: str, change) -> list[dict]:  # type: ignore[no-untyped-def]
    objects = copy.deepcopy(case.objects)
    for obj in objects:
        if obj["kind"] == kind and obj["metadata"]["name"] == name:
            change(obj)
    return objects


def _container(obj: dict) -> dict:
    return obj["spec"]["template"]["spec"]["containers"][0]


@pytest.mark.parametrize(
    ("kind", "name", "change", "policy", "expected"),
    [
        ("Deployment", "notes", lambda o: _container(o).pop("startupProbe"),
         workload_policies.web_probes, "Deployment/notes: no startupProbe"),
        ("Deployment", "acme", lambda o: _container(o).pop("readinessProbe"),
         workload_policies.web_probes, "Deployment/acme: no readinessProbe"),
        ("Deployment", "credentials", lambda o: _container(o)["resources"].pop("requests"),
         workload_policies.resources_requested,
         "Deployment/credentials: container credentials lacks CPU and memory requests"),
        ("Deployment", "xqueue",
         lambda o: o["spec"]["template"]["spec"]["containers"][1].pop("resources"),
         workload_policies.resources_requested,
         "Deployment/xqueue: container xqueue-consumer lacks CPU and memory requests"),
        ("HorizontalPodAutoscaler", "discovery", lambda o: o["spec"]["scaleTargetRef"].update(
            name="elsewhere"), workload_policies.autoscaled_without_pinned_replicas,
         "Deployment/discovery: 0 autoscalers target it"),
        ("PodDisruptionBudget", "acme-worker",
         lambda o: o["spec"]["selector"]["matchLabels"].update({"app.kubernetes.io/name": "x"}),
         workload_policies.one_disruption_budget,
         "Deployment/acme-worker: 0 PodDisruptionBudgets select it"),
        ("Deployment", "notes", lambda o: _container(o)["startupProbe"]["httpGet"].update(
            path="/"), workload_policies.web_probes,
         "Deployment/notes: the startup probe is not GET /heartbeat/ with Host notes"),
        ("Deployment", "acme-worker",
         lambda o: o["spec"]["template"]["spec"].pop("topologySpreadConstraints"),
         workload_policies.spread_and_least_privilege,
         "Deployment/acme-worker: no topology spread over topology.kubernetes.io/zone"),
    ],
)
def test_policies_fail_on_a_damaged_plugin_workload(all_plugins: Rendered, kind, name, change,
                                                    policy, expected: str) -> None:
    assert policy(all_plugins.objects, _config(all_plugins)) == []
    found = policy(_mutated(all_plugins, kind, name, change), _config(all_plugins))
    assert any(expected in line for line in found), found


def test_capacity_counts_the_plugin_workloads(all_plugins: Rendered) -> None:
    from tutor_eks_plugin.policies import capacity

    plan = capacity.plan_for(all_plugins.objects, _config(all_plugins))
    for name in ("notes", "credentials", "discovery", "xqueue", "acme", "acme-worker"):
        assert plan.replicas[name] == 4, (name, plan.replicas)
    connections = capacity.connection_plan(all_plugins.objects, _config(all_plugins))
    assert connections.per_deployment["xqueue"] == (4, 3, 1)
    assert connections.per_deployment["notes"] == (4, 2, 1)
    assert "acme" not in connections.per_deployment
