"""The facts read from the Terraform code with small regular expressions agree with
python-hcl2's full parse of the same files (so a reformatted file cannot silently
change a picture or a price)."""

from __future__ import annotations

import typing as t
from pathlib import Path

import hcl2

from tutor_eks_plugin.diagram import facts

TF = Path(__file__).resolve().parents[2] / "terraform"


def _q(value: t.Any) -> t.Any:
    return value.strip('"') if isinstance(value, str) else value


def _resources(path: Path, kind: str) -> dict[str, dict[str, t.Any]]:
    found: dict[str, dict[str, t.Any]] = {}
    for block in hcl2.loads(path.read_text()).get("resource", []):
        for rtype, items in block.items():
            if _q(rtype) == kind:
                found.update({_q(k): v for k, v in items.items()})
    return found


def test_stage2_controllers_are_the_helm_releases() -> None:
    names = []
    for path in sorted((TF / "stacks/cluster").glob("*.tf")):
        names += [_q(r["name"]) for r in _resources(path, "helm_release").values()]
    assert facts.helm_releases() == names and names


def test_waf_rule_count_matches_the_web_acl() -> None:
    waf = hcl2.loads((TF / "modules/edge/waf.tf").read_text())
    local = {k: v for block in waf["locals"] for k, v in block.items()}
    acl = _resources(TF / "modules/edge/waf.tf", "aws_wafv2_web_acl")["this"]
    static = len(acl.get("rule", []))
    variables = {
        _q(k): v for block in hcl2.loads((TF / "modules/edge/variables.tf").read_text())["variable"]
        for k, v in block.items()
    }
    scoped = variables["waf_host_scoped_common_rules"]["default"]
    expected = len(local["managed_rule_groups"]) + static + len(scoped)
    assert facts.waf_rule_count() == expected


def test_module_defaults_and_az_count_match_hcl() -> None:
    for module, name in (("eks", "node_disk_size"), ("search", "opensearch_volume_size"),
                         ("search", "meilisearch_volume_size"), ("edge", "nginx_http_port"),
                         ("edge", "origin_header_name")):
        variables = {
            _q(k): v
            for block in hcl2.loads((TF / f"modules/{module}/variables.tf").read_text())["variable"]
            for k, v in block.items()
        }
        assert facts.module_variable_default(module, name) == _q(variables[name]["default"])
    main = hcl2.loads((TF / "stacks/aws/main.tf").read_text())
    network = next(b['"network"'] for b in main["module"] if '"network"' in b)
    assert facts.az_count() == network["az_count"]
