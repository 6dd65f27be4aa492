"""`tutor eks cost`: monthly AWS cost estimate of this deployment, per component."""

from __future__ import annotations

import json
import typing as t

import click
from tutor import exceptions, fmt

from .. import profiles


@click.command(
    help="Estimate the monthly AWS cost of this deployment per component (730 h/month), "
    "from the profile, the config and the usage assumptions below. Prices come from the "
    "dated price table shipped with the plugin, or with --live from the AWS Price List API."
)
@click.option("--json", "as_json", is_flag=True, help="Print the estimate as JSON.")
@click.option("--region", help="Price this region instead of EKS_AWS_REGION.")
@click.option("--profile", help="Price this profile (one of terraform/stacks/aws/profiles.tf) "
              "instead of EKS_PROFILE.")
@click.option("--traffic-gb", type=click.FloatRange(min=0), default=500.0, show_default=True,
              help="CloudFront data out to viewers, GB per month.")
@click.option("--requests-millions", type=click.FloatRange(min=0), default=20.0,
              show_default=True, help="Viewer requests, millions per month.")
@click.option("--media-gb", type=click.FloatRange(min=0), default=50.0, show_default=True,
              help="Media stored on EFS or S3, GB.")
@click.option("--log-gb", type=click.FloatRange(min=0), default=20.0, show_default=True,
              help="CloudWatch Logs ingested, GB per month.")
@click.option("--nat-gb", type=click.FloatRange(min=0), default=100.0, show_default=True,
              help="Data through the NAT gateways, GB per month.")
@click.option("--live", is_flag=True,
              help="Read instance prices from the AWS Price List API (needs AWS credentials).")
@click.pass_obj
def cost(context: t.Any, as_json: bool, region: t.Optional[str], profile: t.Optional[str],
         traffic_gb: float, requests_millions: float, media_gb: float, log_gb: float,
         nat_gb: float, live: bool) -> None:
    from ..cost import estimate
    from ..diagram import config as diagram_config

    cfg = dict(diagram_config.from_root(context.root))
    if profile:
        try:
            profiles.get(profile, "--profile")
        except profiles.ProfileFileError as exc:
            raise exceptions.TutorError(str(exc)) from None
        cfg["EKS_PROFILE"] = profile
    region = region or cfg["EKS_AWS_REGION"]
    assume = estimate.Assumptions(traffic_gb=traffic_gb, requests_millions=requests_millions,
                                  media_gb=media_gb, log_gb=log_gb, nat_gb=nat_gb)
    table = estimate.price_table()
    overlay = None
    try:
        if live:
            overlay = _live_prices(cfg, region)
        prices = estimate.Prices(region, table, overlay)
        if overlay:
            prices.source = "instance prices read now from the AWS Price List API; " + prices.source
        result = estimate.estimate(cfg, prices, assume)
    except (estimate.PriceError, profiles.ProfileFileError, LookupError) as exc:
        raise exceptions.TutorError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    for line in estimate.format_table(result):
        fmt.echo_info(line)


def _live_prices(cfg: dict[str, t.Any], region: str) -> dict[str, dict[str, float]]:
    from botocore.exceptions import BotoCoreError, ClientError

    from ..cost import live

    try:
        return live.fetch(live.client(), region, live.wanted(cfg))
    except (BotoCoreError, ClientError) as exc:
        raise exceptions.TutorError(
            f"--live: the AWS Price List API did not answer ({exc.__class__.__name__}: {exc}); "
            "check AWS credentials and network, or run without --live for the price table"
        ) from None
