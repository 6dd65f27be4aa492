"""Every line of the estimate is the arithmetic it claims, with the table's prices.

The expected figures are computed here from the price table, profiles.tf (read by
python-hcl2, not by the plugin's parser) and the Terraform defaults, term by term.
"""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

import hcl2
import pytest
from eks_configs import BYO_S3_OPENSEARCH, make_config

from tutor_eks_plugin.cost import estimate

ROOT = Path(__file__).resolve().parents[2]
H = 730
ASSUME = estimate.Assumptions(
    traffic_gb=1000, requests_millions=40, media_gb=200, log_gb=30, nat_gb=250,
    docdb_storage_gb=40, docdb_io_millions=80,
)


def _hcl_profiles() -> dict[str, dict[str, t.Any]]:
    parsed = hcl2.loads((ROOT / "terraform/stacks/aws/profiles.tf").read_text())
    raw = next(b["profiles"] for b in parsed["locals"] if "profiles" in b)

    def unquote(v: t.Any) -> t.Any:
        if isinstance(v, str):
            return v.strip('"')
        if isinstance(v, list):
            return [unquote(x) for x in v]
        return v

    return {name: {k: unquote(v) for k, v in p.items()} for name, p in raw.items()}


def _expected(profile: str, region: str, byo: bool, opensearch: bool, s3: bool) -> dict[str, float]:
    pr = json.loads((ROOT / "tutor_eks_plugin/cost/prices.json").read_text())["regions"][region]
    p = _hcl_profiles()[profile]
    a = ASSUME
    node = H * pr["ec2_hour"][p["node_instance_types"][0]] + 50 * pr["ebs_gp3_gb_month"]
    nats = 1 if p["single_nat_gateway"] else 3
    lcu = max(a.traffic_gb / H, a.requests_millions * 1e6 / (H * 3600) / 25)
    copies = 2 if p["mysql_multi_az"] else 1
    secrets = 5 + (0 if byo else 1) + (1 if opensearch else 0)
    out = {
        "EKS control plane": H * 0.10,
        "Worker nodes": (p["node_min_size"] * node, p["node_max_size"] * node),
        "NAT gateways": nats * H * pr["nat_hour"] + a.nat_gb * pr["nat_gb"],
        "Application Load Balancer": H * pr["alb_hour"] + lcu * H * pr["alb_lcu_hour"],
        "CloudFront": a.traffic_gb * pr["cloudfront_gb"]
        + a.requests_millions * pr["cloudfront_million_requests"],
        # 3 managed rule groups + known bad inputs + rate limit + 2 host-scoped rules.
        "WAF": 5.0 + 7 * 1.0 + a.requests_millions * 0.60,
        "RDS MySQL": copies * (H * pr["rds_mysql_hour"][p["mysql_instance_class"]]
                               + p["mysql_storage"] * pr["rds_gp3_gb_month"]),
        "ElastiCache Redis": p["redis_num_nodes"] * H * pr["elasticache_hour"][p["redis_node_type"]],
        "Meilisearch host": H * pr["ec2_hour"][p["meilisearch_type"]] + 30 * pr["ebs_gp3_gb_month"],
        "CloudWatch Logs": a.log_gb * pr["logs_ingest_gb"]
        + a.log_gb * p["log_retention_days"] / 30 * pr["logs_store_gb_month"],
        "KMS and Secrets Manager": 1.0 + secrets * 0.40,
    }
    if p["interface_endpoints"]:
        out["VPC interface endpoints"] = len(p["interface_endpoints"]) * 3 * H * pr["vpce_hour"]
    if not byo:
        out["DocumentDB"] = (p["docdb_instance_count"] * H * pr["docdb_hour"][p["docdb_instance_class"]]
                             + a.docdb_storage_gb * pr["docdb_gb_month"]
                             + a.docdb_io_millions * pr["docdb_million_io"])
    if opensearch:
        out["OpenSearch"] = ((p["opensearch_count"] + p["opensearch_masters"]) * H
                             * pr["opensearch_hour"][p["opensearch_type"]]
                             + p["opensearch_count"] * 20 * pr["opensearch_gp3_gb_month"])
    if s3:
        out["S3 media"] = a.media_gb * pr["s3_gb_month"]
    else:
        out["EFS media"] = a.media_gb * pr["efs_gb_month"]
        out["EFS backups"] = a.media_gb * pr["backup_efs_gb_month"]
    return out


CASES = [
    ("small", "us-east-1", {}, False, False, False),
    ("production", "us-east-1", {}, False, False, False),
    ("production", "eu-west-1", BYO_S3_OPENSEARCH, True, True, True),
    ("small", "eu-west-1", BYO_S3_OPENSEARCH, True, True, True),
]


@pytest.mark.parametrize("profile,region,overrides,byo,opensearch,s3", CASES,
                         ids=[f"{c[0]}-{c[1]}-{'mix' if c[2] else 'default'}" for c in CASES])
def test_every_line_is_its_arithmetic(profile: str, region: str, overrides: dict[str, t.Any],
                                      byo: bool, opensearch: bool, s3: bool) -> None:
    cfg = make_config(profile, **overrides)
    est = estimate.estimate(cfg, estimate.Prices(region, estimate.price_table()), ASSUME)
    expected = _expected(profile, region, byo, opensearch, s3)
    got = {line.component: line for line in est.lines}
    assert set(got) == set(expected)
    for name, value in expected.items():
        low, high = value if isinstance(value, tuple) else (value, value)
        assert got[name].monthly_min == pytest.approx(low, abs=0.006), name
        assert got[name].monthly_max == pytest.approx(high, abs=0.006), name
    assert est.total_min == pytest.approx(sum(line.monthly_min for line in est.lines), abs=0.01)
    assert est.total_max == pytest.approx(sum(line.monthly_max for line in est.lines), abs=0.01)


def test_table_prints_the_price_date_and_source_next_to_the_total() -> None:
    table = estimate.price_table()
    est = estimate.estimate(make_config("small"), estimate.Prices("us-east-1", table))
    lines = estimate.format_table(est)
    assert lines[-2].startswith("TOTAL")
    assert f"{est.total_min:,.2f}" in lines[-2]
    assert lines[-1].startswith(f"Prices of {table['date']}: ")
    assert "not read from the Price List API" in lines[-1]


def test_region_outside_the_table_is_refused_with_a_hint() -> None:
    with pytest.raises(estimate.PriceError, match=r"'ap-south-1' is not in the price table "
                       r"\(eu-west-1, us-east-1\).*--live"):
        estimate.Prices("ap-south-1", estimate.price_table())


def test_live_instance_prices_override_the_table_and_say_where_the_rest_comes_from() -> None:
    prices = estimate.Prices("ap-south-1", estimate.price_table(),
                             {"ec2_hour": {"m6i.xlarge": 0.2}})
    assert prices("ec2_hour", "m6i.xlarge") == 0.2
    assert prices("nat_hour") == estimate.price_table()["regions"]["us-east-1"]["nat_hour"]
    assert "us-east-1's (the table has no ap-south-1)" in prices.source


def test_an_instance_type_without_a_price_names_it() -> None:
    prices = estimate.Prices("us-east-1", estimate.price_table())
    with pytest.raises(estimate.PriceError, match="no price for ec2_hour c7i.48xlarge"):
        prices("ec2_hour", "c7i.48xlarge")
