"""Stage-2 monitoring (terraform/stacks/cluster/monitoring.tf) through its consumers: the
releases of the chart harness (tests/charts: values evaluated from the stack's HCL,
rendered by the real charts with helm-python-sdk, Helm's Go SDK, from the chart cache),
asserted here for what the monitoring values must do. The chart harness also holds these
releases to the chart schemas, Kubernetes schemas, CRDs, checkov and the workload
policies; this file does not repeat those gates. One test checks the harness's
evaluation of the monitoring locals against the real terraform binary (stage2.py).

Chart sources come from the chart cache of tests/charts (EKS_CHART_CACHE, default
../shared/charts; docs/chart-checks.md): kube-prometheus-stack 88.5.3 and its grafana,
kube-state-metrics, prometheus-node-exporter and prometheus-windows-exporter
dependencies, aws-for-fluent-bit, nginx-ingress.
"""

from __future__ import annotations

import base64
import json
import re
import typing as t
from pathlib import Path

import pytest
import yaml

from tests.charts import render as chart_render
from tests.charts import stack as chart_stack
from tests.observability import stage2
from tests.terraform.edge_tf_helpers import blocks, load_hcl, resources

try:
    import helm_python as helm
except ImportError as exc:  # a missing tool fails the run, it never skips
    raise RuntimeError("helm-python-sdk is missing: pip install -e '.[test]'") from exc

OBSERVABILITY_MODULE = stage2.REPO / "terraform" / "modules" / "observability"
INPUTS = chart_stack.STAGE_ONE_OUTPUTS
VALUE_LOCALS = stage2.VALUE_LOCALS


def find(docs: list[dict[str, t.Any]], kind: str, name: str) -> dict[str, t.Any]:
    matches = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} found"
    return matches[0]


def rendered(loaded: chart_stack.Stack, label: str, workdir: Path) -> chart_render.Rendered:
    """One release of the stack rendered by the chart harness (a failure says why)."""
    result = chart_render.render(loaded.releases()[label], workdir)
    if result.error:
        pytest.fail(result.error, pytrace=False)
    return result


@pytest.fixture(scope="module")
def small() -> chart_stack.Stack:
    return chart_stack.load({"profile": "small"})


@pytest.fixture(scope="module")
def values(small: chart_stack.Stack) -> dict[str, t.Any]:
    return {name: small.scope.local(name) for name in VALUE_LOCALS}


@pytest.fixture(scope="module")
def kps(small: chart_stack.Stack, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, t.Any]]:
    return rendered(small, "kube_prometheus_stack", tmp_path_factory.mktemp("kps")).objects


def test_release_pins_the_chart_version_of_the_sources(tmp_path: Path) -> None:
    releases = resources(load_hcl(stage2.MONITORING_TF), "helm_release")
    loaded = chart_stack.load()
    kps = rendered(loaded, "kube_prometheus_stack", tmp_path)
    assert releases["kube_prometheus_stack"]["version"] == kps.chart_version == "88.5.3"
    fluent = rendered(loaded, "log_shipper", tmp_path)
    assert releases["log_shipper"]["version"] == fluent.chart_version


def test_the_harness_evaluates_the_monitoring_locals_as_terraform_does(
    tmp_path: Path, terraform_bin: str
) -> None:
    """The chart harness's python evaluator (file, fileset, templatefile, yamldecode over
    monitoring/) against the real terraform binary on a provider-less copy of the
    monitoring locals (stage2.py), for the same inputs and both profiles."""
    for profile in ("small", "production"):
        loaded = chart_stack.load({"profile": profile})
        inputs = {k: v for k, v in loaded.inputs.items() if isinstance(v, (str, int, float, bool))}
        by_terraform = stage2.evaluate(terraform_bin, tmp_path / profile, **inputs)
        for name in VALUE_LOCALS:
            assert loaded.scope.local(name) == by_terraform[name], f"{profile}: local.{name}"


def test_prometheus_keeps_its_retention_on_a_gp3_volume(kps: list[dict[str, t.Any]]) -> None:
    spec = find(kps, "Prometheus", "kps-prometheus")["spec"]
    claim = spec["storage"]["volumeClaimTemplate"]["spec"]
    assert claim["storageClassName"] == "gp3"
    assert spec["retention"] == "15d"
    volume = int(claim["resources"]["requests"]["storage"].removesuffix("Gi"))
    assert int(spec["retentionSize"].removesuffix("GiB")) < volume, "retentionSize must leave room for the WAL"
    assert spec["ruleSelector"] == {} and spec["serviceMonitorSelector"] == {}


def test_production_gets_a_longer_retention_and_a_bigger_volume(tmp_path: Path) -> None:
    docs = rendered(chart_stack.load({"profile": "production"}), "kube_prometheus_stack",
                    tmp_path).objects
    spec = find(docs, "Prometheus", "kps-prometheus")["spec"]
    assert spec["retention"] == "30d"
    assert spec["storage"]["volumeClaimTemplate"]["spec"]["resources"]["requests"]["storage"] == "80Gi"
    assert int(spec["retentionSize"].removesuffix("GiB")) < 80


def test_alertmanager_sends_to_the_stage_one_topic(kps: list[dict[str, t.Any]]) -> None:
    secret = find(kps, "Secret", "alertmanager-kps-alertmanager")
    config = yaml.safe_load(base64.b64decode(secret["data"]["alertmanager.yaml"]))
    receivers = {r["name"]: r for r in config["receivers"]}
    sns = receivers["sns"]["sns_configs"][0]
    assert sns["topic_arn"] == INPUTS["alerts_topic_arn"]
    assert sns["sigv4"] == {"region": INPUTS["region"]}, "SigV4 with the SDK chain (Pod Identity), no keys"
    routes = {tuple(r["matchers"]): r["receiver"] for r in config["route"]["routes"]}
    assert routes[('tutor_eks = "true"',)] == "sns"
    assert routes[('alertname = "Watchdog"',)] == "null"


def test_service_accounts_match_the_pod_identity_associations(
    kps: list[dict[str, t.Any]], values: dict[str, t.Any]
) -> None:
    variables = blocks({"variable": load_hcl(OBSERVABILITY_MODULE / "variables.tf")["variable"]},
                       "variable")
    stage1 = variables["service_accounts"]["default"]
    namespace = values["monitoring_namespace"]
    for role, name in values["monitoring_service_accounts"].items():
        assert stage1[role] == {"namespace": namespace, "name": name}, role
    alertmanager = find(kps, "Alertmanager", "kps-alertmanager")["spec"]
    assert alertmanager["serviceAccountName"] == values["monitoring_service_accounts"]["alertmanager"]
    grafana = find(kps, "Deployment", "grafana")["spec"]["template"]["spec"]
    assert grafana["serviceAccountName"] == values["monitoring_service_accounts"]["grafana"]


def test_grafana_provisions_dashboards_and_cloudwatch(kps: list[dict[str, t.Any]]) -> None:
    dashboards = find(kps, "ConfigMap", "grafana-dashboards-tutor-eks")["data"]
    assert set(dashboards) == {"aws.json", "cluster.json", "openedx-overview.json"}
    aws = json.loads(dashboards["aws.json"])
    current = {v["name"]: v["query"] for v in aws["templating"]["list"]}
    assert current == {"deployment": INPUTS["name"], "alb": INPUTS["alb_metric_dimension"],
                       "distribution": INPUTS["cloudfront_distribution_id"]}, \
        "Terraform fills the AWS dashboard's defaults"
    datasources = yaml.safe_load(find(kps, "ConfigMap", "kps-grafana-datasource")["data"]["datasource.yaml"])
    cloudwatch = [d for d in datasources["datasources"] if d["type"] == "cloudwatch"]
    assert cloudwatch and cloudwatch[0]["jsonData"] == {"authType": "default",
                                                        "defaultRegion": INPUTS["region"]}
    secret = find(kps, "Secret", "grafana")
    assert set(secret["data"]) >= {"admin-user", "admin-password"}
    assert base64.b64decode(secret["data"]["admin-password"]).decode() != "prom-operator"
    assert find(kps, "Service", "grafana")["spec"]["type"] == "ClusterIP"


def test_node_zone_label_reaches_kube_state_metrics(kps: list[dict[str, t.Any]]) -> None:
    """The Cluster dashboard's nodes-per-zone panel groups kube_node_labels by the zone."""
    ksm = find(kps, "Deployment", "kube-prometheus-stack-kube-state-metrics")
    args = ksm["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--metric-labels-allowlist=nodes=[topology.kubernetes.io/zone]" in args


def test_tutor_eks_rules_are_loaded(kps: list[dict[str, t.Any]]) -> None:
    rule = find(kps, "PrometheusRule", "kps-tutor-eks")
    alerts = {r["alert"] for g in rule["spec"]["groups"] for r in g["rules"]}
    assert "TutorEksHpaAtMaximum" in alerts and len(alerts) == 5
    # EKS's managed control plane cannot be scraped: no rules or monitors for it.
    names = {d["metadata"]["name"] for d in kps}
    assert not {n for n in names if re.search(r"etcd|controller-manager|kube-scheduler|kube-proxy", n)}


@pytest.fixture(scope="module")
def nginx(small: chart_stack.Stack, tmp_path_factory: pytest.TempPathFactory) -> chart_render.Rendered:
    """The stack's NGINX release rendered by the chart harness; its offline copy has the
    F5 schema's remote Kubernetes definitions made local (tests/charts/cache.py)."""
    return rendered(small, "nginx_ingress", tmp_path_factory.mktemp("nginx"))


def test_nginx_metrics_values_pass_the_chart_schema(
    nginx: chart_render.Rendered, values: dict[str, t.Any]
) -> None:
    assert nginx.has_schema and nginx.offline_copy is not None
    with helm.Chart.load(str(nginx.offline_copy)) as chart:
        chart.validate_schema(values["nginx_metrics_values"])
        with pytest.raises(helm.HelmValuesError):
            chart.validate_schema({"controller": {"enableLatencyMetrics": "yes"}})


def test_nginx_metrics_are_scraped(
    kps: list[dict[str, t.Any]], nginx: chart_render.Rendered
) -> None:
    """The ServiceMonitor selects the Service the stack's NGINX release renders for its
    metrics (local.nginx_metrics_values merged into the release's values)."""
    docs = nginx.objects
    service = find(docs, "Service", "nginx-ingress-prometheus-service")
    monitor = find(kps, "ServiceMonitor", "nginx-ingress")["spec"]
    labels = service["metadata"]["labels"]
    assert monitor["selector"]["matchLabels"].items() <= labels.items()
    assert monitor["namespaceSelector"]["matchNames"] == [nginx.release.namespace]
    assert monitor["endpoints"][0]["port"] in {p["name"] for p in service["spec"]["ports"]}
    controller = find(docs, "Deployment", "nginx-ingress-controller")
    args = controller["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "-enable-latency-metrics=true" in args and "-enable-prometheus-metrics=true" in args


def test_log_shipper_writes_to_the_stage_one_group(
    small: chart_stack.Stack, tmp_path: Path
) -> None:
    docs = rendered(small, "log_shipper", tmp_path).objects
    config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]["fluent-bit.conf"]
    output = config[config.index("Name                  cloudwatch_logs"):]
    assert f"log_group_name        {INPUTS['container_log_group_name']}" in output
    assert "log_stream_template   $kubernetes['namespace_name'].$kubernetes['pod_name']" in output
    assert "auto_create_group" not in output, "the group exists with its key and retention"
    assert f"region                {INPUTS['region']}" in output
    daemonset = next(d for d in docs if d["kind"] == "DaemonSet")["spec"]["template"]["spec"]
    assert daemonset["serviceAccountName"] == "fluent-bit"
    assert {"operator": "Exists"} in daemonset["tolerations"]
