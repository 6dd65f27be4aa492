"""`tutor eks cost` and `tutor eks diagram` through the real CLI, once each (subprocess)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from tutor_cli import new_root, run_tutor

from tutor_eks_plugin.cost import estimate


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cost-cli")
    # tutor-mfe (a test dependency) adds its own public host through its Caddyfile patch.
    new_root(root, settings={"EKS_PROFILE": "small", "EKS_AWS_REGION": "eu-west-1"})
    return root


def test_cost_json_prices_the_configured_profile_and_region(root: Path) -> None:
    result = run_tutor(root, "eks", "cost", "--json", "--traffic-gb", "800")
    data = json.loads(result.stdout)
    assert (data["profile"], data["region"]) == ("small", "eu-west-1")
    assert data["assumptions"]["traffic_gb"] == 800
    assert data["price_date"] == estimate.price_table()["date"]
    assert data["total_min"] == pytest.approx(sum(x["monthly_min"] for x in data["lines"]), abs=0.01)
    assert "DocumentDB" in {x["component"] for x in data["lines"]}


def test_cost_table_prints_the_price_date_next_to_the_total(root: Path) -> None:
    out = run_tutor(root, "eks", "cost", "--profile", "production").stdout
    assert "TOTAL" in out and "profile production, eu-west-1" in out
    assert f"Prices of {estimate.price_table()['date']}: " in out


def test_unknown_region_is_one_line_exit_1_config_unchanged(root: Path) -> None:
    before = (root / "config.yml").read_bytes()
    result = run_tutor(root, "eks", "cost", "--region", "ap-south-1", check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "region 'ap-south-1' is not in the price table (eu-west-1, us-east-1)" in output
    assert "--live" in output
    assert (root / "config.yml").read_bytes() == before


def test_unknown_profile_names_the_option_and_the_profiles(root: Path) -> None:
    result = run_tutor(root, "eks", "cost", "--profile", "medium", check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert "--profile='medium' is not a profile" in output
    assert "use one of 'production', 'small'" in output


def test_diagram_command_writes_a_self_contained_svg(root: Path, tmp_path: Path) -> None:
    run_tutor(root, "eks", "diagram", "--format", "svg", "--output", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["architecture.svg", "network.svg"]
    mfe_host = run_tutor(root, "config", "printvalue", "MFE_HOST").stdout.strip()
    titles = {
        t.text for t in ET.parse(tmp_path / "architecture.svg").getroot().iter(
            "{http://www.w3.org/2000/svg}title")
    }
    assert f"host-{mfe_host}" in titles, titles
    svg = (tmp_path / "network.svg").read_text()
    ET.fromstring(svg)
    assert 'xlink:href="/' not in svg
    assert "DocumentDB 1 x" in svg and "db.t4g.medium" in svg
