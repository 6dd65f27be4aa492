"""The deployment as plain data: nodes (kind, label, group) and labelled edges.

Everything here comes from the configuration: the profile's sizes from profiles.tf,
which stores exist from the same derivations the Terraform driver uses
(`infra.variables.DERIVED`), the public hosts from the routes the Ingresses are
built from, the ports and TLS from the Tutor keys, the controllers from the stage-2
Helm releases. The drawing (draw.py) adds icons and nothing else, so the canonical
text of a model identifies its picture independently of the Graphviz build.
"""

from __future__ import annotations

import hashlib
import typing as t
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .. import profiles
from ..infra.variables import DERIVED
from ..render import routes as eks_routes
from ..settings import datastores, mongodb, smtp
from . import facts


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    label: str
    group: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    label: str = ""


@dataclass
class Model:
    name: str
    title: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def add(self, id: str, kind: str, label: str, *group: str) -> str:
        self.nodes.append(Node(id, kind, label, tuple(group)))
        return id

    def link(self, src: str, dst: str, label: str = "") -> None:
        self.edges.append(Edge(src, dst, label))

    def text(self) -> str:
        """Canonical text: equal models draw equal pictures."""
        lines = [f"model {self.name}: {self.title}"]
        lines += [f"node {n.id} [{n.kind}] {n.label!r} in {'/'.join(n.group)}" for n in self.nodes]
        lines += [f"edge {e.src} -> {e.dst} {e.label!r}" for e in self.edges]
        return "\n".join(lines) + "\n"

    def digest(self) -> str:
        return hashlib.sha256(self.text().encode()).hexdigest()


@dataclass(frozen=True)
class Store:
    id: str
    kind: str
    label: str
    flow: str  # port, protocol and TLS as the pods use them
    managed: bool = True  # inside the VPC's data subnets (False: outside AWS)


def derived(config: dict[str, t.Any], variable: str) -> t.Any:
    keys, derive = DERIVED[variable]
    return derive(*(config[k] for k in keys))


def _tls(on: t.Any) -> str:
    return "TLS" if on else "no TLS"


def _endpoint(config: dict[str, t.Any], key: str) -> str:
    """' at <host>' once stage 1 wrote the store's real endpoint into the config."""
    return f" at {datastores.shown_host(config[key])}" if datastores.configured(config, key) else ""


def stores(config: dict[str, t.Any]) -> list[Store]:
    """The data stores the Open edX pods talk to, with port, protocol and TLS."""
    p = profiles.get(config["EKS_PROFILE"])
    found = [
        Store(
            "mysql",
            "rds",
            f"RDS MySQL {p['mysql_instance_class']}"
            + (" Multi-AZ" if p["mysql_multi_az"] else " single-AZ")
            + _endpoint(config, "MYSQL_HOST"),
            f"MySQL {config['MYSQL_PORT']}/tcp, {_tls(config['EKS_MYSQL_TLS'])}",
        )
    ]
    mongo_flow = f"MongoDB {config['MONGODB_PORT']}/tcp, {_tls(config['EKS_MONGODB_TLS'])}"
    if derived(config, "bring_your_own_mongodb"):
        where = "SRV" if mongodb.is_srv(config) else str(config["MONGODB_HOST"]).split(":")[0]
        found.append(
            Store("mongodb", "mongodb", f"your own MongoDB ({where})", mongo_flow, managed=False)
        )
    else:
        found.append(
            Store(
                "mongodb",
                "documentdb",
                f"DocumentDB {p['docdb_instance_count']} x {p['docdb_instance_class']}"
                + _endpoint(config, "MONGODB_HOST"),
                mongo_flow,
            )
        )
    found.append(
        Store(
            "redis",
            "elasticache",
            f"ElastiCache Redis {p['redis_num_nodes']} x {p['redis_node_type']}"
            + _endpoint(config, "REDIS_HOST"),
            f"Redis {config['REDIS_PORT']}/tcp, {_tls(config['EKS_REDIS_TLS'])}",
        )
    )
    meili = urlsplit(str(config["MEILISEARCH_URL"]))
    meili_port = meili.port or (443 if meili.scheme == "https" else 80)
    found.append(
        Store(
            "meilisearch",
            "ec2",
            f"Meilisearch on EC2 {p['meilisearch_type']}",
            f"{meili.scheme.upper()} {meili_port}/tcp, {_tls(meili.scheme == 'https')}",
        )
    )
    if derived(config, "opensearch_enabled"):
        masters = f" + {p['opensearch_masters']} masters" if p["opensearch_masters"] else ""
        found.append(
            Store(
                "opensearch",
                "opensearch",
                f"OpenSearch {p['opensearch_count']} x {p['opensearch_type']}{masters}",
                f"HTTPS {config['EKS_OPENSEARCH_PORT']}/tcp, TLS",
            )
        )
    if derived(config, "media_bucket_enabled"):
        found.append(
            Store("media", "s3", "S3 media bucket", "HTTPS 443/tcp via S3 gateway endpoint, TLS")
        )
    else:
        found.append(Store("media", "efs", "EFS media volume", "NFS 2049/tcp, TLS (efs-utils)"))
    if smtp.SES_HOST_RE.match(str(config.get("SMTP_HOST", ""))):
        mode = "TLS" if int(config["SMTP_PORT"]) in smtp.SES_TLS_WRAPPER_PORTS else "STARTTLS"
        found.append(
            Store(
                "ses",
                "ses",
                f"Amazon SES ({config['SMTP_HOST']})",
                f"SMTP {config['SMTP_PORT']}/tcp, {mode}",
                managed=False,
            )
        )
    return found


def public_hosts(
    config: dict[str, t.Any], caddy_patches: dict[str, str]
) -> list[eks_routes.Ingress]:
    """The Ingresses of the render: one per public host, with its backend services."""
    return eks_routes.build_ingresses(config, caddy_patches)


def _region(config: dict[str, t.Any]) -> str:
    return f"AWS {config['EKS_AWS_REGION']}"


def _store_group(store: Store, config: dict[str, t.Any]) -> tuple[str, ...]:
    region = _region(config)
    if not store.managed:
        return ("outside the VPC",)
    if store.kind == "s3":  # regional service, reached through the gateway endpoint
        return (region,)
    if store.kind in ("ec2", "efs"):  # Meilisearch and the EFS mount targets
        return (region, "VPC", "private subnets")
    return (region, "VPC", "data subnets")


def architecture(config: dict[str, t.Any], caddy_patches: dict[str, str]) -> Model:
    p = profiles.get(config["EKS_PROFILE"])
    region, vpc = _region(config), "VPC"
    public, private = "public subnets", "private subnets"
    cluster = f"EKS cluster {config.get('EKS_CLUSTER_NAME') or config['EKS_NAME']}"
    m = Model("architecture", f"Open edX on EKS: {config['EKS_PROFILE']} profile")

    m.add("browser", "users", "Browser")
    m.add("waf", "waf", "AWS WAF web ACL", "AWS global edge")
    m.add("cloudfront", "cloudfront", config.get("EKS_CLOUDFRONT_DOMAIN") or "CloudFront",
          "AWS global edge")
    m.add("alb", "alb", "Application Load Balancer", region, vpc, public)
    nats = 1 if p["single_nat_gateway"] else facts.az_count()
    for az in range(nats):
        m.add(f"nat{az}", "nat", f"NAT gateway AZ {az + 1}", region, vpc, public, f"AZ {az + 1}")
    nodes = f"{p['node_min_size']}-{p['node_max_size']} x {'/'.join(p['node_instance_types'])}"
    m.add("nodes", "nodegroup", f"managed nodes {nodes}, {facts.az_count()} AZs",
          region, vpc, private)
    if p["interface_endpoints"]:
        m.add("vpce", "endpoint", "interface endpoints: " + ", ".join(p["interface_endpoints"]),
              region, vpc, private)
        m.link("nodes", "vpce", "HTTPS")
    for release in facts.helm_releases():
        kind = "nginx" if release == "nginx-ingress" else "controller"
        if "prometheus" in release or "grafana" in release:
            kind = "monitoring"  # stage 2's monitoring release, once it exists
        label = "NGINX Ingress Controller" if kind == "nginx" else f"helm {release}"
        m.add(f"helm-{release}", kind, label, region, vpc, private, cluster)

    m.link("browser", "waf", "HTTPS")
    m.link("waf", "cloudfront")
    m.link("cloudfront", "alb", "HTTPS + origin header")
    m.link("alb", "helm-nginx-ingress", "HTTP")

    services: dict[str, str] = {}
    for ingress in public_hosts(config, caddy_patches):
        host_id = m.add(f"host-{ingress.host}", "ingress", ingress.host, region, vpc, private,
                        cluster, "Ingresses")
        m.link("helm-nginx-ingress", host_id)
        for route in ingress.routes:
            services.setdefault(route.service, route.service)
            m.link(host_id, f"svc-{route.service}", route.path if route.path != "/" else "")
    openedx = (region, vpc, private, cluster, "Open edX Deployments")
    for service in sorted(services):
        m.add(f"svc-{service}", "deployment", service, *openedx)
    m.add("svc-workers", "deployment", "lms-worker, cms-worker", *openedx)

    # The core Deployments stand for every Open edX pod that reaches the stores.
    app = [f"svc-{s}" for s in ("lms", "cms") if s in services] + ["svc-workers"]
    for store in stores(config):
        m.add(store.id, store.kind, store.label, *_store_group(store, config))
        for src in app:
            m.link(src, store.id)
    m.link("nodes", "nat0", "egress")
    if facts.has_backup_module():
        m.add("backup", "backup", "AWS Backup plan", region)
        m.link("backup", "mysql", "snapshots")
    m.add("kms", "kms", "KMS key + Secrets Manager", region)
    return m


def network(config: dict[str, t.Any], caddy_patches: dict[str, str]) -> Model:
    p = profiles.get(config["EKS_PROFILE"])
    region, vpc = _region(config), "VPC"
    http_port = facts.edge_variable_default("nginx_http_port")
    health_port = facts.edge_variable_default("nginx_health_check_port")
    m = Model("network", f"Network flows: {config['EKS_PROFILE']} profile")
    m.add("browser", "users", "Internet clients")
    m.add("cloudfront", "cloudfront", "CloudFront + WAF", "AWS global edge")
    m.add("alb", "alb", "ALB security group: 443 from the CloudFront origin-facing prefix list",
          region, vpc, "public subnets")
    m.add("nginx", "nginx", "NGINX Ingress pods (cluster security group)", region, vpc,
          "private subnets")
    m.add("openedx", "deployment", "Open edX pods (cluster security group)", region, vpc,
          "private subnets")
    m.link("browser", "cloudfront", "HTTPS 443, TLS (viewer certificate), WAF rules")
    header = facts.edge_variable_default("origin_header_name")
    m.link("cloudfront", "alb", f"HTTPS 443, TLS; {header} header required, else 403")
    m.link("alb", "nginx", f"HTTP {http_port}/tcp, TLS ends at the ALB; health {health_port}")
    ports = sorted({r.port for i in public_hosts(config, caddy_patches) for r in i.routes})
    m.link("nginx", "openedx", "HTTP " + ", ".join(str(x) for x in ports) + "/tcp, in cluster")
    for store in stores(config):
        m.add(store.id, store.kind, store.label, *_store_group(store, config))
        m.link("openedx", store.id, store.flow)
    nats = 1 if p["single_nat_gateway"] else facts.az_count()
    m.add("nat", "nat", f"{nats} NAT gateway(s)", region, vpc, "public subnets")
    m.link("openedx", "nat", "HTTPS 443 egress (images, APIs)")
    if p["interface_endpoints"]:
        m.add("vpce", "endpoint", "interface endpoints: " + ", ".join(p["interface_endpoints"]),
              region, vpc, "private subnets")
        m.link("openedx", "vpce", "HTTPS 443, TLS, private DNS")
    return m


def build(config: dict[str, t.Any], caddy_patches: dict[str, str]) -> list[Model]:
    return [architecture(config, caddy_patches), network(config, caddy_patches)]

