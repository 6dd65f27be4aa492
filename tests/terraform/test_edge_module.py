"""terraform/modules/edge: fmt, init, validate and `terraform test` with the real AWS
provider schema (both provider configurations mocked), checkov, and the outputs contract.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.terraform.edge_tf_helpers import (
    EDGE_MODULE,
    blocks,
    edge_contract_outputs,
    load_dir,
    resources,
    run,
)
from tests.terraform.module_checks import assert_fmt_clean, initialised_copy, validate_as_child
from tests.terraform.tf_common import assert_checkov_clean

# Every run block of every tests/*.tftest.hcl file: a renamed or dropped run (or file)
# fails here. Each file runs in its own `terraform test -filter=...` call, so the files
# spread over the pytest workers: edge.tftest.hcl applies (one state: the default inputs,
# which are also the origin header's first generation, then its rotation), and
# edge_plan.tftest.hcl holds every plan-only run (from an empty state).
EXPECTED_RUNS = {
    "tests/edge.tftest.hcl": {
        "default_inputs",
        "origin_header_rotation_window",
        "origin_header_rotation_done",
    },
    "tests/edge_plan.tftest.hcl": {
        "route53_zone_and_count_only_rollout",
        "rejects_invalid_inputs",
    },
}

WRAPPER = """
terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws" }}
  }}
}}

provider "aws" {{
  region = "eu-west-1"
}}

provider "aws" {{
  alias  = "us_east_1"
  region = "us-east-1"
}}

module "edge" {{
  source    = "{source}"
  providers = {{ aws = aws, aws.us_east_1 = aws.us_east_1 }}

  name = "demo"
  hosts = {{
    lms         = "learn.example.com"
    cms         = "studio.learn.example.com"
    mfe         = "apps.learn.example.com"
    meilisearch = "search.learn.example.com"
  }}
  vpc_id            = "vpc-0123456789abcdef0"
  vpc_cidr_blocks   = ["10.0.0.0/16"]
  public_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  route53_zone_id   = "Z0123456789ABCDEFGHIJ"
}}

output "edge" {{
  value = module.edge.alb_target_group_arn
}}
"""


@pytest.fixture(scope="module")
def edge_copy(
    tmp_path_factory: pytest.TempPathFactory, terraform_bin: str, provider_mirror: str
) -> Path:
    """The module copied to a temp dir and initialised once (tests never write in the repo)."""
    return initialised_copy(EDGE_MODULE, tmp_path_factory.mktemp("edge") / "edge", terraform_bin,
                            provider_mirror)


def test_fmt_is_clean(terraform_bin: str) -> None:
    assert_fmt_clean(terraform_bin, EDGE_MODULE)


def test_validate_through_wrapper_root(
    tmp_path: Path, edge_copy: Path, terraform_bin: str, provider_mirror: str
) -> None:
    """A module with configuration_aliases validates as a child of a root that passes both."""
    report = validate_as_child(terraform_bin, provider_mirror, tmp_path,
                               WRAPPER.format(source=edge_copy.as_posix()))
    assert report["valid"], json.dumps(report["diagnostics"], indent=2)
    assert report["error_count"] == 0


def test_every_test_file_is_listed() -> None:
    on_disk = {f"tests/{path.name}" for path in (EDGE_MODULE / "tests").glob("*.tftest.hcl")}
    assert on_disk == set(EXPECTED_RUNS), f"list every edge test file: on disk {sorted(on_disk)}"


@pytest.mark.parametrize("test_file", sorted(EXPECTED_RUNS))
def test_terraform_test_with_mocked_providers(
    edge_copy: Path, terraform_bin: str, test_file: str
) -> None:
    result = run([terraform_bin, "test", "-no-color", f"-filter={test_file}"], edge_copy,
                 timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    passed = set(re.findall(r'run "([a-z0-9_]+)"\.\.\. pass', output))
    expected = EXPECTED_RUNS[test_file]
    assert passed == expected, f"{test_file}: runs passed: {sorted(passed)}\n{output}"
    assert re.search(rf"Success! {len(expected)} passed, 0 failed", output), output


def test_outputs_cover_the_edge_contract() -> None:
    outputs = blocks(load_dir(EDGE_MODULE), "output")
    missing = edge_contract_outputs() - set(outputs)
    assert not missing, f"edge outputs named in docs/outputs-contract.md but absent: {missing}"
    for name, body in outputs.items():
        assert body.get("description"), f"output {name} has no description"
        assert not body.get("sensitive"), f"output {name}: secrets must not be outputs"


def test_secret_value_is_never_an_output() -> None:
    text = (EDGE_MODULE / "outputs.tf").read_text(encoding="utf-8")
    for forbidden in ("secret_string", "random_password", "origin_header_value"):
        assert forbidden not in text, f"outputs.tf exposes {forbidden}"


def test_alb_security_group_has_one_ingress_rule_only() -> None:
    """Statically: no other ingress rule, inline or separate, exists in the module."""
    parsed = load_dir(EDGE_MODULE)
    ingress_rules = resources(parsed, "aws_vpc_security_group_ingress_rule")
    assert list(ingress_rules) == ["alb_https_from_cloudfront"]
    assert not resources(parsed, "aws_security_group_rule")
    for name, body in resources(parsed, "aws_security_group").items():
        assert "ingress" not in body, f"aws_security_group.{name} has inline ingress"


def test_every_variable_is_documented_and_typed() -> None:
    for name, body in blocks(load_dir(EDGE_MODULE), "variable").items():
        assert body.get("description"), f"variable {name} has no description"
        assert body.get("type"), f"variable {name} has no type"


def test_checkov_finds_no_failed_check(checkov_bin: str) -> None:
    assert_checkov_clean(checkov_bin, EDGE_MODULE, min_passed=50)
