"""Monthly cost per component, from the profile, the config and usage assumptions.

Every line is `quantity x unit price` (or a sum of such terms) so that the table
shows how it was computed; only the worker nodes differ between the minimum and
the maximum scale of the node group.
"""

from __future__ import annotations

import json
import typing as t
from dataclasses import asdict, dataclass, field
from importlib import resources

from .. import profiles
from ..diagram import facts
from ..diagram.model import derived

FALLBACK_REGION = "us-east-1"


class PriceError(ValueError):
    """No price for a region or an item: the message says what to do."""


@dataclass(frozen=True)
class Assumptions:
    """Usage that no config knows; each is a `tutor eks cost` option."""

    traffic_gb: float = 500.0  # CloudFront data out to viewers per month
    requests_millions: float = 20.0  # viewer requests per month
    media_gb: float = 50.0  # uploaded media (EFS or S3)
    log_gb: float = 20.0  # CloudWatch Logs ingested per month
    nat_gb: float = 100.0  # data through the NAT gateways per month
    docdb_storage_gb: float = 20.0
    docdb_io_millions: float = 50.0


@dataclass
class Line:
    component: str
    detail: str
    monthly_min: float
    monthly_max: float


@dataclass
class Estimate:
    profile: str
    region: str
    price_date: str
    price_source: str
    assumptions: Assumptions
    lines: list[Line] = field(default_factory=list)

    @property
    def total_min(self) -> float:
        return round(sum(line.monthly_min for line in self.lines), 2)

    @property
    def total_max(self) -> float:
        return round(sum(line.monthly_max for line in self.lines), 2)

    def as_dict(self) -> dict[str, t.Any]:
        return {
            "profile": self.profile,
            "region": self.region,
            "currency": "USD",
            "price_date": self.price_date,
            "price_source": self.price_source,
            "assumptions": asdict(self.assumptions),
            "lines": [asdict(line) for line in self.lines],
            "total_min": self.total_min,
            "total_max": self.total_max,
        }


def price_table() -> dict[str, t.Any]:
    text = (resources.files("tutor_eks_plugin.cost") / "prices.json").read_text(encoding="utf-8")
    return t.cast(dict, json.loads(text))


class Prices:
    """The prices of one region: the table's, optionally overlaid with live ones."""

    def __init__(
        self,
        region: str,
        table: dict[str, t.Any],
        overlay: t.Optional[dict[str, dict[str, float]]] = None,
    ) -> None:
        self.region = region
        self.hours = float(table["hours_per_month"])
        self.date, self.source = table["date"], table["source"]
        known = ", ".join(sorted(table["regions"]))
        if region in table["regions"]:
            self.items = dict(table["regions"][region])
        elif overlay:
            # Live instance prices for a region the table lacks: the per-GB and
            # per-request items fall back to the reference region, and the source says so.
            self.items = dict(table["regions"][FALLBACK_REGION])
            self.source = (
                f"per-GB, per-request and per-hour service items are {FALLBACK_REGION}'s "
                f"(the table has no {region}); " + self.source
            )
        else:
            raise PriceError(
                f"region {region!r} is not in the price table ({known}): pass --region with "
                "one of those, or --live to read its instance prices from the AWS Price List API"
            )
        for key, per_type in (overlay or {}).items():
            self.items[key] = {**self.items.get(key, {}), **per_type}

    def __call__(self, key: str, instance: t.Optional[str] = None) -> float:
        value = self.items.get(key)
        if instance is not None:
            value = value.get(instance) if isinstance(value, dict) else None
        if value is None:
            what = f"{key} {instance}" if instance else key
            raise PriceError(
                f"no price for {what} in {self.region}: use --live, or add it to "
                "tutor_eks_plugin/cost/prices.json"
            )
        return float(value)


def secrets(config: dict[str, t.Any]) -> list[str]:
    """Secrets Manager secrets the stage-1 stack creates for this config."""
    found = ["edge origin header", "Redis AUTH token", "Meilisearch master key",
             "RDS master password", "Open edX MySQL user password"]
    if not derived(config, "bring_your_own_mongodb"):
        found.append("DocumentDB master password")
    if derived(config, "opensearch_enabled"):
        found.append("OpenSearch master user")
    return found


def _money(x: float) -> float:
    return round(x, 2)


def estimate(
    config: dict[str, t.Any], prices: Prices, assume: Assumptions = Assumptions()
) -> Estimate:
    profile_name = config["EKS_PROFILE"]
    p = profiles.get(profile_name)
    h = prices.hours
    azs = facts.az_count()
    est = Estimate(profile_name, prices.region, prices.date, prices.source, assume)

    def add(component: str, detail: str, low: float, high: t.Optional[float] = None) -> None:
        top = low if high is None else high
        est.lines.append(Line(component, detail, _money(low), _money(top)))

    add("EKS control plane", f"{h:g} h x ${prices('eks_cluster_hour')}/h",
        h * prices("eks_cluster_hour"))

    disk = int(facts.module_variable_default("eks", "node_disk_size"))
    ebs = prices("ebs_gp3_gb_month")
    node_types = p["node_instance_types"]
    node_price = prices("ec2_hour", node_types[0])  # the first type is the one launched first
    per_node = h * node_price + disk * ebs
    add("Worker nodes", f"{p['node_min_size']}..{p['node_max_size']} x {node_types[0]} "
        f"(${node_price}/h) + {disk} GB gp3 each",
        p["node_min_size"] * per_node, p["node_max_size"] * per_node)

    nats = 1 if p["single_nat_gateway"] else azs
    add("NAT gateways", f"{nats} x {h:g} h x ${prices('nat_hour')}/h + "
        f"{assume.nat_gb:g} GB x ${prices('nat_gb')}/GB",
        nats * h * prices("nat_hour") + assume.nat_gb * prices("nat_gb"))

    endpoints = len(p["interface_endpoints"])
    if endpoints:
        add("VPC interface endpoints", f"{endpoints} endpoints x {azs} AZs x {h:g} h x "
            f"${prices('vpce_hour')}/h", endpoints * azs * h * prices("vpce_hour"))

    # LCU: the larger of two dimensions, processed bytes (1 GB/h per LCU) and new
    # connections (25/s per LCU, counting every request as one: an upper bound).
    lcu = max(assume.traffic_gb / h, assume.requests_millions * 1e6 / (h * 3600) / 25)
    add("Application Load Balancer", f"{h:g} h x ${prices('alb_hour')}/h + {lcu:.2f} LCU x "
        f"{h:g} h x ${prices('alb_lcu_hour')}/LCU-h",
        h * prices("alb_hour") + lcu * h * prices("alb_lcu_hour"))

    add("CloudFront", f"{assume.traffic_gb:g} GB x ${prices('cloudfront_gb')}/GB + "
        f"{assume.requests_millions:g} M requests x ${prices('cloudfront_million_requests')}/M",
        assume.traffic_gb * prices("cloudfront_gb")
        + assume.requests_millions * prices("cloudfront_million_requests"))

    rules = facts.waf_rule_count()
    add("WAF", f"1 web ACL x ${prices('waf_acl_month')} + {rules} rules x "
        f"${prices('waf_rule_month')} + {assume.requests_millions:g} M requests x "
        f"${prices('waf_million_requests')}/M",
        prices("waf_acl_month") + rules * prices("waf_rule_month")
        + assume.requests_millions * prices("waf_million_requests"))

    copies = 2 if p["mysql_multi_az"] else 1
    rds = prices("rds_mysql_hour", p["mysql_instance_class"])
    add("RDS MySQL", f"{copies} x {p['mysql_instance_class']} (${rds}/h)"
        f"{' Multi-AZ' if copies == 2 else ''} + {copies} x {p['mysql_storage']} GB gp3",
        copies * (h * rds + p["mysql_storage"] * prices("rds_gp3_gb_month")))

    if not derived(config, "bring_your_own_mongodb"):
        docdb = prices("docdb_hour", p["docdb_instance_class"])
        add("DocumentDB", f"{p['docdb_instance_count']} x {p['docdb_instance_class']} "
            f"(${docdb}/h) + {assume.docdb_storage_gb:g} GB + {assume.docdb_io_millions:g} M I/O",
            p["docdb_instance_count"] * h * docdb
            + assume.docdb_storage_gb * prices("docdb_gb_month")
            + assume.docdb_io_millions * prices("docdb_million_io"))

    cache = prices("elasticache_hour", p["redis_node_type"])
    add("ElastiCache Redis", f"{p['redis_num_nodes']} x {p['redis_node_type']} (${cache}/h)",
        p["redis_num_nodes"] * h * cache)

    if derived(config, "opensearch_enabled"):
        os_price = prices("opensearch_hour", p["opensearch_type"])
        nodes = p["opensearch_count"] + p["opensearch_masters"]
        volume = int(facts.module_variable_default("search", "opensearch_volume_size"))
        add("OpenSearch", f"{nodes} x {p['opensearch_type']} (${os_price}/h) + "
            f"{p['opensearch_count']} x {volume} GB gp3",
            nodes * h * os_price
            + p["opensearch_count"] * volume * prices("opensearch_gp3_gb_month"))

    meili = prices("ec2_hour", p["meilisearch_type"])
    meili_gb = int(facts.module_variable_default("search", "meilisearch_volume_size")) + 10
    add("Meilisearch host", f"1 x {p['meilisearch_type']} (${meili}/h) + {meili_gb} GB gp3 "
        "(data + root)", h * meili + meili_gb * ebs)

    if derived(config, "media_bucket_enabled"):
        add("S3 media", f"{assume.media_gb:g} GB x ${prices('s3_gb_month')}/GB",
            assume.media_gb * prices("s3_gb_month"))
    else:
        add("EFS media", f"{assume.media_gb:g} GB x ${prices('efs_gb_month')}/GB",
            assume.media_gb * prices("efs_gb_month"))
        # EFS is backed up by the stack's AWS Backup plan, or by EFS automatic backups.
        if p["efs_backup_enabled"] or facts.has_backup_module():
            add("EFS backups", f"{assume.media_gb:g} GB x ${prices('backup_efs_gb_month')}/GB",
                assume.media_gb * prices("backup_efs_gb_month"))

    stored = assume.log_gb * p["log_retention_days"] / 30
    add("CloudWatch Logs", f"{assume.log_gb:g} GB ingested x ${prices('logs_ingest_gb')}/GB + "
        f"{stored:g} GB kept ({p['log_retention_days']} days) x "
        f"${prices('logs_store_gb_month')}/GB",
        assume.log_gb * prices("logs_ingest_gb") + stored * prices("logs_store_gb_month"))

    kept = secrets(config)
    add("KMS and Secrets Manager", f"1 key x ${prices('kms_key_month')} + {len(kept)} secrets x "
        f"${prices('secret_month')}",
        prices("kms_key_month") + len(kept) * prices("secret_month"))
    return est


def format_table(est: Estimate) -> list[str]:
    width = max(len(line.component) for line in est.lines)
    out = [f"{'component':<{width}}  {'min $/month':>12}  {'max $/month':>12}  how"]
    for line in est.lines:
        out.append(f"{line.component:<{width}}  {line.monthly_min:>12,.2f}  "
                   f"{line.monthly_max:>12,.2f}  {line.detail}")
    out.append(f"{'TOTAL':<{width}}  {est.total_min:>12,.2f}  {est.total_max:>12,.2f}  "
               f"profile {est.profile}, {est.region}, USD per month of 730 h")
    out.append(f"Prices of {est.price_date}: {est.price_source}.")
    return out
