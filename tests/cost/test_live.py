"""--live: instance prices from the AWS Price List API.

botocore's Stubber stands for the Price List endpoint (no network here; moto does not
implement the `pricing` service). The Stubber validates every request against the
real `pricing` service model shipped with botocore, and the answers are PriceList
documents shaped like the API's (aws_v1 format: product, terms.OnDemand/Reserved).
"""

from __future__ import annotations

import importlib
import json
import typing as t

import boto3
import pytest
from botocore.stub import Stubber
from eks_configs import make_config
from tutor import exceptions

from tutor_eks_plugin.cost import estimate, live

# The package exports the click command under the module's name: import the module.
cost_command = importlib.import_module("tutor_eks_plugin.commands.cost")


def price_document(service: str, instance: str, usd: str, sku: str) -> str:
    term = f"{sku}.JRTCKXETXF"
    return json.dumps({
        "product": {
            "productFamily": "Compute Instance",
            "attributes": {"instanceType": instance, "regionCode": "eu-west-1",
                           "operatingSystem": "Linux", "servicecode": service},
            "sku": sku,
        },
        "serviceCode": service,
        "terms": {
            "OnDemand": {term: {
                "priceDimensions": {f"{term}.6YS6EN2CT7": {
                    "unit": "Hrs", "endRange": "Inf", "beginRange": "0", "appliesTo": [],
                    "description": f"${usd} per On Demand {instance} Instance Hour",
                    "rateCode": f"{term}.6YS6EN2CT7", "pricePerUnit": {"USD": usd},
                }},
                "sku": sku, "effectiveDate": "2026-11-01T00:00:00Z",
                "offerTermCode": "JRTCKXETXF", "termAttributes": {},
            }},
            "Reserved": {f"{sku}.4NA7Y494T4": {
                "priceDimensions": {f"{sku}.4NA7Y494T4.6YS6EN2CT7": {
                    "unit": "Hrs", "pricePerUnit": {"USD": "0.0500000000"},
                    "description": "1 yr reserved", "beginRange": "0", "endRange": "Inf",
                    "appliesTo": [], "rateCode": "x",
                }},
                "sku": sku, "effectiveDate": "2026-11-01T00:00:00Z",
                "offerTermCode": "4NA7Y494T4", "termAttributes": {"LeaseContractLength": "1yr"},
            }},
        },
        "version": "20261101000000",
        "publicationDate": "2026-11-01T00:00:00Z",
    })


def _client() -> t.Any:
    return boto3.client("pricing", region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def _request(region: str, key: str, instance: str) -> dict[str, t.Any]:
    service, extra = live.SERVICES[key]
    items = {"regionCode": region, **extra, "instanceType": instance}
    return {
        "ServiceCode": service,
        "Filters": [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in items.items()],
        "FormatVersion": "aws_v1",
        "MaxResults": 10,
    }


def test_live_prices_come_from_get_products_and_feed_the_estimate() -> None:
    cfg = make_config("production")
    client = _client()
    calls = [
        ("ec2_hour", "m6i.large", "AmazonEC2", ["0.1070000000"]),
        # A capacity-reservation SKU at 0.00 matches the same filters: it is ignored.
        ("ec2_hour", "m6i.xlarge", "AmazonEC2", ["0.0000000000", "0.2140000000"]),
        ("rds_mysql_hour", "db.m7g.large", "AmazonRDS", ["0.1860000000"]),
        ("elasticache_hour", "cache.m7g.large", "AmazonElastiCache", ["0.1760000000"]),
        ("docdb_hour", "db.r6g.large", "AmazonDocDB", ["0.3050000000"]),
    ]
    with Stubber(client) as stub:
        for key, instance, service, usds in calls:
            docs = [price_document(service, instance, usd, f"SKU{i}{instance}")
                    for i, usd in enumerate(usds)]
            stub.add_response("get_products", {"FormatVersion": "aws_v1", "PriceList": docs},
                              _request("eu-west-1", key, instance))
        got = live.fetch(client, "eu-west-1", live.wanted(cfg))
        stub.assert_no_pending_responses()
    assert got == {
        "ec2_hour": {"m6i.large": 0.107, "m6i.xlarge": 0.214},
        "rds_mysql_hour": {"db.m7g.large": 0.186},
        "elasticache_hour": {"cache.m7g.large": 0.176},
        "docdb_hour": {"db.r6g.large": 0.305},
    }
    prices = estimate.Prices("eu-west-1", estimate.price_table(), got)
    est = estimate.estimate(cfg, prices)
    nodes = next(line for line in est.lines if line.component == "Worker nodes")
    assert "($0.214/h)" in nodes.detail


def test_a_product_without_a_price_is_a_clear_error() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_response("get_products", {"FormatVersion": "aws_v1", "PriceList": []},
                          _request("eu-west-1", "elasticache_hour", "cache.x1.nope"))
        with pytest.raises(LookupError, match="no AmazonElastiCache price for cache.x1.nope"):
            live.fetch(client, "eu-west-1", {"elasticache_hour": {"cache.x1.nope"}})


def test_an_api_refusal_becomes_one_line_naming_live(monkeypatch: pytest.MonkeyPatch) -> None:
    client = _client()
    monkeypatch.setattr(live, "client", lambda: client)
    with Stubber(client) as stub:
        stub.add_client_error("get_products", "AccessDeniedException", "not authorized",
                              expected_params=_request("eu-west-1", "ec2_hour", "m6i.large"))
        with pytest.raises(exceptions.TutorError, match=r"^--live: the AWS Price List API did "
                           r"not answer \(AccessDeniedException.*run without --live"):
            cost_command._live_prices(make_config("small"), "eu-west-1")
