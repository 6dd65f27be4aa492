"""Stage-2 monitoring (terraform/stacks/cluster/monitoring.tf) through its consumers: the
values Terraform evaluates (tests/observability/stage2.py) rendered by the real charts
with helm-python-sdk (Helm's Go SDK), and the NGINX values checked against that chart's
values.schema.json.

Chart sources come from the chart cache of tests/charts (EKS_CHART_CACHE, default
../shared/charts; docs/chart-checks.md): kube-prometheus-stack 88.5.3 and its grafana,
kube-state-metrics, prometheus-node-exporter and prometheus-windows-exporter
dependencies, aws-for-fluent-bit, nginx-ingress.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import typing as t
from pathlib import Path

import pytest
import yaml

from tests.charts import cache as chart_cache
from tests.observability import stage2
from tests.terraform.edge_tf_helpers import blocks, load_hcl, resources

try:
    import helm_python as helm
except ImportError as exc:  # a missing tool fails the run, it never skips
    raise RuntimeError("helm-python-sdk is missing: pip install -e '.[test]'") from exc

KPS_DEPENDENCIES = ("grafana", "kube-state-metrics", "prometheus-node-exporter",
                    "prometheus-windows-exporter")
OBSERVABILITY_MODULE = stage2.REPO / "terraform" / "modules" / "observability"


def charts_dir() -> Path:
    """The chart cache of tests/charts (EKS_CHART_CACHE, default ../shared/charts), with
    every chart these tests load; a missing one fails with the command that fetches it."""
    try:
        for name in ("kube-prometheus-stack", *KPS_DEPENDENCIES, "aws-for-fluent-bit", "nginx-ingress"):
            chart_cache.chart_dir(name, "as terraform/stacks/cluster pins it")
    except chart_cache.ChartMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    return chart_cache.cache_dir()


def objects(rendered: dict[str, str]) -> list[dict[str, t.Any]]:
    docs: list[dict[str, t.Any]] = []
    for path, text in rendered.items():
        if path.endswith((".yaml", ".yml")):
            for doc in yaml.safe_load_all(text):
                if doc and doc.get("kind", "").endswith("List"):
                    docs.extend(doc["items"])
                elif doc:
                    docs.append(doc)
    return docs


def find(docs: list[dict[str, t.Any]], kind: str, name: str) -> dict[str, t.Any]:
    matches = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} found"
    return matches[0]


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory, terraform_bin: str) -> dict[str, t.Any]:
    return stage2.evaluate(terraform_bin, tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def kps_chart(tmp_path_factory: pytest.TempPathFactory) -> t.Any:
    """kube-prometheus-stack with its dependencies copied into charts/, as Helm packs it."""
    source = charts_dir()
    target = tmp_path_factory.mktemp("charts") / "kube-prometheus-stack"
    shutil.copytree(source / "kube-prometheus-stack", target)
    for dependency in KPS_DEPENDENCIES:
        shutil.copytree(source / dependency, target / "charts" / dependency)
    return helm.Chart.load(str(target))


@pytest.fixture(scope="module")
def kps(values: dict[str, t.Any], kps_chart: t.Any) -> list[dict[str, t.Any]]:
    return objects(kps_chart.render(values["monitoring_values"], name="kube-prometheus-stack",
                                    namespace=values["monitoring_namespace"]))


def test_release_pins_the_chart_version_of_the_sources() -> None:
    releases = resources(load_hcl(stage2.MONITORING_TF), "helm_release")
    chart = yaml.safe_load((charts_dir() / "kube-prometheus-stack" / "Chart.yaml").read_text())
    assert releases["kube_prometheus_stack"]["version"] == chart["version"] == "88.5.3"
    fluent = yaml.safe_load((charts_dir() / "aws-for-fluent-bit" / "Chart.yaml").read_text())
    assert releases["log_shipper"]["version"] == fluent["version"]


def test_prometheus_keeps_its_retention_on_a_gp3_volume(kps: list[dict[str, t.Any]]) -> None:
    spec = find(kps, "Prometheus", "kps-prometheus")["spec"]
    claim = spec["storage"]["volumeClaimTemplate"]["spec"]
    assert claim["storageClassName"] == "gp3"
    assert spec["retention"] == "15d"
    volume = int(claim["resources"]["requests"]["storage"].removesuffix("Gi"))
    assert int(spec["retentionSize"].removesuffix("GiB")) < volume, "retentionSize must leave room for the WAL"
    assert spec["ruleSelector"] == {} and spec["serviceMonitorSelector"] == {}


def test_production_gets_a_longer_retention_and_a_bigger_volume(
    tmp_path: Path, terraform_bin: str, kps_chart: t.Any
) -> None:
    production = stage2.evaluate(terraform_bin, tmp_path, profile="production")
    docs = objects(kps_chart.render(production["monitoring_values"], name="kube-prometheus-stack",
                                    namespace="monitoring"))
    spec = find(docs, "Prometheus", "kps-prometheus")["spec"]
    assert spec["retention"] == "30d"
    assert spec["storage"]["volumeClaimTemplate"]["spec"]["resources"]["requests"]["storage"] == "80Gi"
    assert int(spec["retentionSize"].removesuffix("GiB")) < 80


def test_alertmanager_sends_to_the_stage_one_topic(kps: list[dict[str, t.Any]]) -> None:
    secret = find(kps, "Secret", "alertmanager-kps-alertmanager")
    config = yaml.safe_load(base64.b64decode(secret["data"]["alertmanager.yaml"]))
    receivers = {r["name"]: r for r in config["receivers"]}
    sns = receivers["sns"]["sns_configs"][0]
    assert sns["topic_arn"] == stage2.INPUTS["alerts_topic_arn"]
    assert sns["sigv4"] == {"region": "eu-west-1"}, "SigV4 with the SDK chain (Pod Identity), no keys"
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
    assert current == {"deployment": "demo", "alb": stage2.INPUTS["alb_metric_dimension"],
                       "distribution": "E1DEMO"}, "Terraform fills the AWS dashboard's defaults"
    datasources = yaml.safe_load(find(kps, "ConfigMap", "kps-grafana-datasource")["data"]["datasource.yaml"])
    cloudwatch = [d for d in datasources["datasources"] if d["type"] == "cloudwatch"]
    assert cloudwatch and cloudwatch[0]["jsonData"] == {"authType": "default", "defaultRegion": "eu-west-1"}
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
def nginx_chart(tmp_path_factory: pytest.TempPathFactory) -> t.Any:
    """The F5 chart with its schema's remote Kubernetes definitions pointed at the copy
    that kubernetes-validate ships (the closest version it has), so Helm validates the
    values against values.schema.json offline."""
    import kubernetes_validate

    target = tmp_path_factory.mktemp("nginx") / "nginx-ingress"
    shutil.copytree(charts_dir() / "nginx-ingress", target)
    schemas = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    local = schemas / "v1.36.0-local" / "_definitions.json"
    assert local.is_file(), f"kubernetes-validate ships no {local}"
    schema = target / "values.schema.json"
    text, count = re.subn(
        r"https://raw\.githubusercontent\.com/nginxinc/kubernetes-json-schema/master/"
        r"v[0-9.]+/_definitions\.json#/definitions/",
        # kubernetes-validate's copy keeps the definitions under $defs.
        local.as_uri() + "#/$defs/", schema.read_text(encoding="utf-8"),
    )
    assert count > 0, "the chart's schema no longer refers to remote definitions: simplify this"
    schema.write_text(text, encoding="utf-8")
    return helm.Chart.load(str(target))


def test_nginx_metrics_values_pass_the_chart_schema(
    nginx_chart: t.Any, values: dict[str, t.Any]
) -> None:
    nginx_chart.validate_schema(values["nginx_metrics_values"])
    with pytest.raises(helm.HelmValuesError):
        nginx_chart.validate_schema({"controller": {"enableLatencyMetrics": "yes"}})


def test_nginx_metrics_are_scraped(
    kps: list[dict[str, t.Any]], values: dict[str, t.Any], nginx_chart: t.Any
) -> None:
    """The ServiceMonitor selects the Service the NGINX chart renders for its metrics."""
    chart = nginx_chart
    nginx_values = {"fullnameOverride": "nginx-ingress", **values["nginx_metrics_values"]}
    docs = objects(chart.render(nginx_values, name="nginx-ingress", namespace="nginx-ingress"))
    service = find(docs, "Service", "nginx-ingress-prometheus-service")
    monitor = find(kps, "ServiceMonitor", "nginx-ingress")["spec"]
    labels = service["metadata"]["labels"]
    assert monitor["selector"]["matchLabels"].items() <= labels.items()
    assert monitor["namespaceSelector"]["matchNames"] == ["nginx-ingress"]
    assert monitor["endpoints"][0]["port"] in {p["name"] for p in service["spec"]["ports"]}
    controller = find(docs, "Deployment", "nginx-ingress-controller")
    args = controller["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "-enable-latency-metrics=true" in args and "-enable-prometheus-metrics=true" in args


def test_log_shipper_writes_to_the_stage_one_group(values: dict[str, t.Any]) -> None:
    chart = helm.Chart.load(str(charts_dir() / "aws-for-fluent-bit"))
    docs = objects(chart.render(values["log_shipper_values"], name="aws-for-fluent-bit",
                                namespace="monitoring"))
    config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]["fluent-bit.conf"]
    output = config[config.index("Name                  cloudwatch_logs"):]
    assert "log_group_name        /aws/eks/demo/containers" in output
    assert "log_stream_template   $kubernetes['namespace_name'].$kubernetes['pod_name']" in output
    assert "auto_create_group" not in output, "the group exists with its key and retention"
    assert "region                eu-west-1" in output
    daemonset = next(d for d in docs if d["kind"] == "DaemonSet")["spec"]["template"]["spec"]
    assert daemonset["serviceAccountName"] == "fluent-bit"
    assert {"operator": "Exists"} in daemonset["tolerations"]
