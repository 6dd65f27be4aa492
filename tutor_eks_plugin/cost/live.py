"""Hourly on-demand instance prices from the AWS Price List API (boto3 `pricing`).

The Price List API is served from us-east-1 (and ap-south-1) whatever region is
priced. Each product is one `get_products` call filtered by service code, region
and instance type; the answer's PriceList entries are JSON documents whose
terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD is the hourly price.
"""

from __future__ import annotations

import json
import typing as t

from .. import profiles
from ..diagram.model import derived

PRICING_REGION = "us-east-1"


def _filters(region: str, extra: dict[str, str]) -> list[dict[str, str]]:
    items = {"regionCode": region, **extra}
    return [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in items.items()]


# Price table key -> (service code, filters besides region and instance type).
SERVICES: dict[str, tuple[str, dict[str, str]]] = {
    "ec2_hour": ("AmazonEC2", {"operatingSystem": "Linux", "tenancy": "Shared",
                               "preInstalledSw": "NA", "capacitystatus": "Used"}),
    "rds_mysql_hour": ("AmazonRDS", {"databaseEngine": "MySQL",
                                     "deploymentOption": "Single-AZ"}),
    "docdb_hour": ("AmazonDocDB", {}),
    "elasticache_hour": ("AmazonElastiCache", {"cacheEngine": "Redis"}),
    "opensearch_hour": ("AmazonES", {}),
}


def wanted(config: dict[str, t.Any]) -> dict[str, set[str]]:
    """Instance types to price, per price-table key, for this config's profile."""
    p = profiles.get(config["EKS_PROFILE"])
    found = {
        "ec2_hour": {p["node_instance_types"][0], p["meilisearch_type"]},
        "rds_mysql_hour": {p["mysql_instance_class"]},
        "elasticache_hour": {p["redis_node_type"]},
    }
    if not derived(config, "bring_your_own_mongodb"):
        found["docdb_hour"] = {p["docdb_instance_class"]}
    if derived(config, "opensearch_enabled"):
        found["opensearch_hour"] = {p["opensearch_type"]}
    return found


def hourly_price(price_item: str) -> float:
    """The on-demand hourly USD price of one PriceList document."""
    doc = json.loads(price_item)
    for term in doc["terms"]["OnDemand"].values():
        for dim in term["priceDimensions"].values():
            if dim.get("unit") in ("Hrs", "Hours", "hours") and "USD" in dim["pricePerUnit"]:
                return float(dim["pricePerUnit"]["USD"])
    raise LookupError(f"no hourly on-demand USD price for SKU {doc.get('product', {}).get('sku')}")


def fetch(client: t.Any, region: str, want: dict[str, set[str]]) -> dict[str, dict[str, float]]:
    """{price key: {instance type: $/h}} read through a boto3 `pricing` client."""
    out: dict[str, dict[str, float]] = {}
    for key, types in want.items():
        service, extra = SERVICES[key]
        for instance in sorted(types):
            answer = client.get_products(
                ServiceCode=service,
                Filters=_filters(region, {**extra, "instanceType": instance}),
                FormatVersion="aws_v1",
                MaxResults=10,
            )
            prices = [hourly_price(item) for item in answer["PriceList"]]
            prices = [x for x in prices if x > 0]
            if not prices:
                raise LookupError(f"the Price List API has no {service} price for {instance} "
                                  f"in {region}")
            # Several SKUs can match (license models, storage variants): the cheapest
            # non-zero one is the plain on-demand instance.
            out.setdefault(key, {})[instance] = min(prices)
    return out


def client() -> t.Any:
    import boto3

    return boto3.client("pricing", region_name=PRICING_REGION)
