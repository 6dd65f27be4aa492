"""One setting drives both sides: EKS_NETWORK_POLICIES and EKS_VPC_CIDR reach the stage-1
stack as `network_policies` (VPC CNI enforcement) and `vpc_cidr` (the range the
NetworkPolicies open to the data stores)."""

from __future__ import annotations

from pathlib import Path

from tutor_eks_plugin import config
from tutor_eks_plugin.infra import variables

STACK = Path(__file__).resolve().parents[2] / "terraform" / "stacks" / "aws"


def test_policy_settings_become_stack_variables() -> None:
    base = {**dict(config.defaults()), "LMS_HOST": "learn.example", "CMS_HOST": "studio.learn.example"}
    tfvars = variables.for_stage(STACK, base)
    assert tfvars["network_policies"] is True and tfvars["vpc_cidr"] == "10.0.0.0/16"
    tfvars = variables.for_stage(STACK, {**base, "EKS_NETWORK_POLICIES": False,
                                         "EKS_VPC_CIDR": "10.20.0.0/16"})
    assert tfvars["network_policies"] is False and tfvars["vpc_cidr"] == "10.20.0.0/16"
