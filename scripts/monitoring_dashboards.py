"""Generate the Grafana dashboards of stage 2 from the panel lists below.

    python scripts/monitoring_dashboards.py            # write the JSON files
    python scripts/monitoring_dashboards.py --check    # exit 1 when a file is stale

The JSON files in terraform/stacks/cluster/monitoring/dashboards/ are what Grafana
provisions (monitoring.tf reads them); they are generated so that a panel is one line
here and the layout, ids and data sources stay consistent. tests/observability parses
every PromQL expression and checks its metrics against monitoring/metrics.yaml.
"""

from __future__ import annotations

import argparse
import json
import sys
import typing as t
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "terraform" / "stacks" / "cluster" / "monitoring" / "dashboards"

PROMETHEUS = {"type": "prometheus", "uid": "prometheus"}
CLOUDWATCH = {"type": "cloudwatch", "uid": "cloudwatch"}
NS = 'namespace=~"$namespace"'
RATE = "[5m]"
HPA = "horizontalpodautoscaler"
LATENCY = "nginx_ingress_controller_upstream_server_response_latency_ms"


def prom(expr: str, legend: str) -> dict[str, t.Any]:
    return {"datasource": PROMETHEUS, "expr": expr, "legendFormat": legend}


def cw(namespace: str, metric: str, dimensions: dict[str, str], statistic: str,
       region: str = "default") -> dict[str, t.Any]:
    return {
        "datasource": CLOUDWATCH, "queryMode": "Metrics", "region": region,
        "namespace": namespace, "metricName": metric, "dimensions": dimensions,
        "statistic": statistic, "period": "300", "matchExact": True,
        "metricQueryType": 0, "metricEditorMode": 0, "id": "", "expression": "",
    }


def quantiles(group: str) -> list[dict[str, t.Any]]:
    return [
        prom(f"histogram_quantile({q}, sum by (le, {group}) "
             f"(rate({LATENCY}_bucket{RATE})))", f"p{int(q * 100)} {{{{{group}}}}}")
        for q in (0.5, 0.95, 0.99)
    ]


def usage_against(resource: str, usage: str, unit: str) -> list[dict[str, t.Any]]:
    """Usage of a resource per pod next to the pods' requests and limits."""
    return [
        prom(usage, "used {{pod}}"),
        prom(f'sum by (pod) (kube_pod_container_resource_requests{{{NS}, resource="{resource}"}})',
             "request {{pod}}"),
        prom(f'sum by (pod) (kube_pod_container_resource_limits{{{NS}, resource="{resource}"}})',
             "limit {{pod}}"),
    ]


# (title, unit, targets) per panel; two panels a row.
OPENEDX: list[tuple[str, str, list[dict[str, t.Any]]]] = [
    ("Requests/s per host (Ingress)", "reqps", [
        prom(f"sum by (resource_name) (rate({LATENCY}_count{RATE}))", "{{resource_name}}"),
        prom(f"sum(rate(nginx_ingress_nginx_http_requests_total{RATE}))", "all (NGINX)"),
    ]),
    ("Upstream latency p50/p95/p99 per host", "ms", quantiles("resource_name")),
    ("4xx/s per host", "reqps", [
        prom(f'sum by (resource_name) (rate({LATENCY}_count{{code=~"4.."}}{RATE}))',
             "{{resource_name}}"),
    ]),
    ("5xx/s per host", "reqps", [
        prom(f'sum by (resource_name) (rate({LATENCY}_count{{code=~"5.."}}{RATE}))',
             "{{resource_name}}"),
    ]),
    ("Replicas against HPA min and max", "short", [
        prom(f"max by (deployment) (kube_deployment_status_replicas{{{NS}}})",
             "replicas {{deployment}}"),
        prom(f"max by ({HPA}) (kube_horizontalpodautoscaler_spec_min_replicas{{{NS}}})",
             f"min {{{{{HPA}}}}}"),
        prom(f"max by ({HPA}) (kube_horizontalpodautoscaler_spec_max_replicas{{{NS}}})",
             f"max {{{{{HPA}}}}}"),
    ]),
    ("Unavailable replicas per Deployment", "short", [
        prom(f"max by (deployment) (kube_deployment_status_replicas_unavailable{{{NS}}})",
             "{{deployment}}"),
    ]),
    ("CPU against requests and limits", "cores", usage_against(
        "cpu",
        f'sum by (pod) (rate(container_cpu_usage_seconds_total{{{NS}, container!=""}}{RATE}))',
        "cores")),
    ("Memory against requests and limits", "bytes", usage_against(
        "memory",
        f'sum by (pod) (container_memory_working_set_bytes{{{NS}, container!=""}})',
        "bytes")),
    ("Worker pods running", "short", [
        prom(f'count by (namespace) (kube_pod_status_phase'
             f'{{{NS}, pod=~"(lms|cms)-worker-.*", phase="Running"}} == 1)', "workers"),
    ]),
    ("Container restarts (1 h)", "short", [
        prom(f"sum by (pod) (increase(kube_pod_container_status_restarts_total{{{NS}}}[1h]))",
             "{{pod}}"),
    ]),
]

CLUSTER: list[tuple[str, str, list[dict[str, t.Any]]]] = [
    ("Nodes per zone", "short", [
        prom("count by (label_topology_kubernetes_io_zone) (kube_node_labels)",
             "{{label_topology_kubernetes_io_zone}}"),
    ]),
    ("Pending pods", "short", [
        prom('sum(kube_pod_status_phase{phase="Pending"})', "pending"),
    ]),
    ("CPU: allocatable against requested", "cores", [
        prom('sum(kube_node_status_allocatable{resource="cpu"})', "allocatable"),
        prom('sum(kube_pod_container_resource_requests{resource="cpu"})', "requested"),
    ]),
    ("Memory: allocatable against requested", "bytes", [
        prom('sum(kube_node_status_allocatable{resource="memory"})', "allocatable"),
        prom('sum(kube_pod_container_resource_requests{resource="memory"})', "requested"),
    ]),
    ("Node CPU use", "percentunit", [
        prom(f'1 - avg by (instance) (rate(node_cpu_seconds_total{{mode="idle"}}{RATE}))',
             "{{instance}}"),
    ]),
    ("Node memory available", "percentunit", [
        prom("node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes", "{{instance}}"),
    ]),
    ("Nodes not ready", "short", [
        prom('count(kube_node_status_condition{condition="Ready", status="true"} == 0)'
             " or vector(0)", "not ready"),
    ]),
    ("Persistent volumes used", "percentunit", [
        prom("kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes",
             "{{namespace}}/{{persistentvolumeclaim}}"),
    ]),
]

RDS = {"DBInstanceIdentifier": "$deployment-mysql"}
DOCDB = {"DBClusterIdentifier": "$deployment-docdb"}
REDIS = {"CacheClusterId": "$deployment-redis-001"}
ALB = {"LoadBalancer": "$alb"}
CF = {"DistributionId": "$distribution", "Region": "Global"}
AWS: list[tuple[str, str, list[dict[str, t.Any]]]] = [
    ("RDS MySQL CPU", "percent", [cw("AWS/RDS", "CPUUtilization", RDS, "Average")]),
    ("RDS MySQL connections", "short", [cw("AWS/RDS", "DatabaseConnections", RDS, "Maximum")]),
    ("RDS MySQL free storage", "bytes", [cw("AWS/RDS", "FreeStorageSpace", RDS, "Minimum")]),
    ("DocumentDB CPU", "percent", [cw("AWS/DocDB", "CPUUtilization", DOCDB, "Maximum")]),
    ("ElastiCache engine CPU", "percent", [
        cw("AWS/ElastiCache", "EngineCPUUtilization", REDIS, "Average")]),
    ("ElastiCache memory used", "percent", [
        cw("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", REDIS, "Average")]),
    ("ALB requests and 5xx", "short", [
        cw("AWS/ApplicationELB", "RequestCount", ALB, "Sum"),
        cw("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ALB, "Sum"),
        cw("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ALB, "Sum"),
    ]),
    ("ALB target response time (p99)", "s", [
        cw("AWS/ApplicationELB", "TargetResponseTime", ALB, "p99")]),
    ("CloudFront requests", "short", [
        cw("AWS/CloudFront", "Requests", CF, "Sum", region="us-east-1")]),
    ("CloudFront 5xx error rate", "percent", [
        cw("AWS/CloudFront", "5xxErrorRate", CF, "Average", region="us-east-1")]),
    ("WAF blocked and allowed requests", "short", [
        cw("AWS/WAFV2", "BlockedRequests", {"WebACL": "$deployment-edge", "Rule": "ALL"}, "Sum",
           region="us-east-1"),
        cw("AWS/WAFV2", "AllowedRequests", {"WebACL": "$deployment-edge", "Rule": "ALL"}, "Sum",
           region="us-east-1"),
    ]),
]


def textbox(name: str, label: str, default: str) -> dict[str, t.Any]:
    return {"type": "textbox", "name": name, "label": label, "query": default,
            "current": {"text": default, "value": default}, "hide": 0}


def dashboard(uid: str, title: str, panels: list[tuple[str, str, list[dict[str, t.Any]]]],
              variables: list[dict[str, t.Any]]) -> dict[str, t.Any]:
    built = []
    for index, (panel_title, unit, targets) in enumerate(panels):
        built.append({
            "id": index + 1,
            "type": "timeseries",
            "title": panel_title,
            "datasource": targets[0]["datasource"],
            "gridPos": {"h": 8, "w": 12, "x": 12 * (index % 2), "y": 8 * (index // 2)},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom"}},
            "targets": [dict(target, refId=chr(ord("A") + i)) for i, target in enumerate(targets)],
        })
    return {
        "uid": uid, "title": title, "tags": ["tutor-eks"], "editable": False,
        "schemaVersion": 41, "version": 1, "refresh": "1m", "timezone": "utc",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": variables},
        "panels": built,
    }


def dashboards() -> dict[str, dict[str, t.Any]]:
    return {
        "openedx-overview": dashboard(
            "tutor-eks-openedx", "Open edX overview", OPENEDX,
            [textbox("namespace", "Open edX namespace", "openedx")]),
        "cluster": dashboard("tutor-eks-cluster", "Cluster", CLUSTER, []),
        "aws": dashboard(
            "tutor-eks-aws", "AWS side", AWS,
            # Terraform fills the defaults in (templatefile in monitoring.tf).
            [textbox("deployment", "Deployment (EKS_NAME)", "${deployment}"),
             textbox("alb", "ALB (app/<name>/<id>, the ARN's suffix)", "${alb}"),
             textbox("distribution", "CloudFront distribution id", "${distribution}")]),
    }


def render(board: dict[str, t.Any]) -> str:
    return json.dumps(board, indent=2, sort_keys=True) + "\n"


def main(argv: t.Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a file is stale")
    args = parser.parse_args(argv)
    stale = []
    for name, board in dashboards().items():
        path = OUT / f"{name}.json"
        text = render(board)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale:
        print("stale dashboards (run python scripts/monitoring_dashboards.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
