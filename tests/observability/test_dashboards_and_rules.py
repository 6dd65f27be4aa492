"""Dashboards and Prometheus rules of stage 2, checked through their consumers' rules:
every PromQL expression is parsed by promql-parser (the Rust PromQL parser of the
GreptimeDB project, from PyPI) and every metric it selects must be one that an installed
exporter emits, per terraform/stacks/cluster/monitoring/metrics.yaml (which names its
sources). CloudWatch panels are checked against the same file's `cloudwatch` part.
"""

from __future__ import annotations

import json
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
import yaml

try:
    import promql_parser
except ImportError as exc:  # a missing tool fails the run, it never skips
    raise RuntimeError("promql-parser is missing: pip install -e '.[test]'") from exc

REPO = Path(__file__).resolve().parents[2]
MONITORING = REPO / "terraform" / "stacks" / "cluster" / "monitoring"
DASHBOARDS = MONITORING / "dashboards"
RULES = MONITORING / "rules" / "tutor-eks.rules.yaml"
INVENTORY = yaml.safe_load((MONITORING / "metrics.yaml").read_text(encoding="utf-8"))

KNOWN_METRICS = {
    metric for exporter in INVENTORY["prometheus"].values() for metric in exporter["metrics"]
}
KNOWN_CLOUDWATCH = {
    (namespace, metric)
    for namespace, entry in INVENTORY["cloudwatch"].items()
    for metric in entry["metrics"]
}

# Panel counts and the panels the issue asks for (docs/observability.md lists them too).
EXPECTED_PANELS = {
    "openedx-overview": {
        "count": 10,
        "titles": {
            "Requests/s per host (Ingress)", "Upstream latency p50/p95/p99 per host",
            "4xx/s per host", "5xx/s per host", "Replicas against HPA min and max",
            "CPU against requests and limits", "Memory against requests and limits",
            "Worker pods running", "Container restarts (1 h)",
        },
    },
    "cluster": {
        "count": 8,
        "titles": {"Nodes per zone", "CPU: allocatable against requested",
                   "Memory: allocatable against requested", "Pending pods"},
    },
    "aws": {
        "count": 11,
        "titles": {"RDS MySQL CPU", "DocumentDB CPU", "ElastiCache engine CPU",
                   "ALB requests and 5xx", "CloudFront 5xx error rate",
                   "WAF blocked and allowed requests"},
    },
}
EXPECTED_ALERTS = {
    "TutorEksPodCrashLooping", "TutorEksHpaAtMaximum", "TutorEksDeploymentReplicasUnavailable",
    "TutorEksNodeNotReady", "TutorEksPersistentVolumeNearlyFull",
}


def selected_metrics(expr: str) -> set[str]:
    """Metric names of every vector selector (plain or in a range) of an expression."""
    names: set[str] = set()

    def visit(node: t.Any) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            assert node.name, f"selector without a metric name in {expr!r}"
            names.add(node.name)

    promql_parser.walk(promql_parser.parse(expr), visit)
    return names


def dashboards() -> dict[str, dict[str, t.Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(DASHBOARDS.glob("*.json"))}


def prometheus_targets() -> list[tuple[str, str]]:
    return [
        (f"{name}: {panel['title']}", target["expr"])
        for name, board in dashboards().items()
        for panel in board["panels"]
        for target in panel["targets"]
        if target["datasource"]["type"] == "prometheus"
    ]


def rule_expressions() -> list[tuple[str, str]]:
    groups = yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"]
    return [(rule["alert"], rule["expr"]) for group in groups for rule in group["rules"]]


def test_walker_finds_metrics_in_every_kind_of_node() -> None:
    """The checker itself: selectors inside calls, aggregations, binary and range nodes."""
    assert selected_metrics(
        'histogram_quantile(0.9, sum by (le) (rate(a_bucket[5m]))) / on () max(b) or vector(0)'
        " - max_over_time(c[10m:1m])"
    ) == {"a_bucket", "b", "c"}


def test_every_expression_parses_and_names_emitted_metrics() -> None:
    expressions = prometheus_targets() + rule_expressions()
    assert len(expressions) >= 30
    unknown: list[str] = []
    for where, expr in expressions:
        try:
            metrics = selected_metrics(expr)
        except ValueError as exc:
            raise AssertionError(f"{where}: invalid PromQL {expr!r}: {exc}") from exc
        assert metrics, f"{where}: selects no metric"
        unknown += [f"{where}: {m}" for m in sorted(metrics - KNOWN_METRICS)]
    assert not unknown, "metrics no installed exporter emits (see metrics.yaml):\n" + "\n".join(unknown)


def test_a_wrong_metric_name_or_syntax_is_caught() -> None:
    with pytest.raises(ValueError):
        selected_metrics("sum(rate(kube_pod_info[5m])")
    assert "kube_pod_restarts_total" not in KNOWN_METRICS
    assert selected_metrics("kube_pod_restarts_total") - KNOWN_METRICS == {"kube_pod_restarts_total"}


def test_metrics_inventory_names_its_sources() -> None:
    for name, exporter in INVENTORY["prometheus"].items():
        assert exporter["source"].startswith("https://"), name
        assert exporter["version"], name
    for name, entry in INVENTORY["cloudwatch"].items():
        assert entry["source"].startswith("https://docs.aws.amazon.com/"), name


def test_dashboards_have_the_required_panels() -> None:
    boards = dashboards()
    assert set(boards) == set(EXPECTED_PANELS)
    for name, expected in EXPECTED_PANELS.items():
        titles = [panel["title"] for panel in boards[name]["panels"]]
        assert len(titles) == expected["count"], f"{name}: {len(titles)} panels"
        assert expected["titles"] <= set(titles), f"{name} lacks {expected['titles'] - set(titles)}"
        ids = [panel["id"] for panel in boards[name]["panels"]]
        assert len(set(ids)) == len(ids), f"{name}: duplicate panel ids"
        uids = {board["uid"] for board in boards.values()}
        assert len(uids) == len(boards)


def test_aws_panels_read_metrics_cloudwatch_publishes() -> None:
    targets = [
        target for panel in dashboards()["aws"]["panels"] for target in panel["targets"]
    ]
    assert targets and all(t_["datasource"]["uid"] == "cloudwatch" for t_ in targets)
    for target in targets:
        assert (target["namespace"], target["metricName"]) in KNOWN_CLOUDWATCH, target
        if target["namespace"] in ("AWS/CloudFront", "AWS/WAFV2"):
            assert target["region"] == "us-east-1", "CloudFront and WAF metrics live in us-east-1"


def test_rules_are_the_issue_alerts_and_page() -> None:
    groups = yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"]
    rules = {rule["alert"]: rule for group in groups for rule in group["rules"]}
    assert set(rules) == EXPECTED_ALERTS
    for name, rule in rules.items():
        assert rule["labels"]["tutor_eks"] == "true", f"{name} would not reach SNS"
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["summary"]
    assert rules["TutorEksHpaAtMaximum"]["for"] == "15m"


def test_dashboard_files_match_their_generator() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "monitoring_dashboards.py"), "--check"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
