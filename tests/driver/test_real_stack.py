"""The real stage-1 stack (terraform/stacks/aws) through the driver: init from the local
provider mirror (EKS_TF_PLUGIN_MIRROR) and validate. No state, no AWS call.

This runs against whatever the packaged stack holds: a broken stack fails here with
Terraform's own error lines.
"""

from __future__ import annotations

from .conftest import Instance


def test_real_stage1_stack_validates(instance: Instance, provider_mirror: str) -> None:
    env = {"EKS_TERRAFORM_SOURCE": "", "EKS_TF_PLUGIN_MIRROR": provider_mirror}
    before = instance.config_bytes()
    result = instance.infra("validate", "--stage", "aws", env=env)
    assert result.returncode == 0, (
        f"the real stage-1 stack does not validate:\n{result.stdout}\n{result.stderr}"
    )
    assert "Success! The configuration is valid." in result.stdout
    workdir = instance.root / "eks-infra" / "stacks" / "aws"
    # The provider came from the mirror (no registry is reachable here).
    assert list(
        (workdir / ".terraform" / "providers" / "registry.terraform.io").glob("hashicorp/aws/5.*")
    )
    assert (workdir / "tutor_backend_override.tf").read_text().count('backend "local" {}') == 1
    assert instance.config_bytes() == before
