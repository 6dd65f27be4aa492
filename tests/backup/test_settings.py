"""EKS_BACKUP_COPY_REGION through the real CLI: a bad value or the deployment's own
region is refused in one line, config.yml unchanged; a good one reaches the stack as
`backup_copy_region`."""

from __future__ import annotations

from pathlib import Path

from tutor_cli import run_tutor, set_args

from tutor_eks_plugin.infra import variables


def test_copy_region_is_checked_and_reaches_the_stack(tutor_root: Path, tmp_path: Path) -> None:
    before = (tutor_root / "config.yml").read_bytes()
    for value, message in (
        ("mars-1", "EKS_BACKUP_COPY_REGION"),
        ("us-east-1", "is the deployment's own region (EKS_AWS_REGION)"),
    ):
        result = run_tutor(tutor_root, "config", "save", *set_args({"EKS_BACKUP_COPY_REGION": value}),
                           check=False)
        output = result.stdout + result.stderr
        assert result.returncode == 1 and message in output and "Traceback" not in output, output
        assert (tutor_root / "config.yml").read_bytes() == before
    tfvars = variables.from_config({"EKS_BACKUP_COPY_REGION": "eu-central-1"})
    assert tfvars["backup_copy_region"] == "eu-central-1"
    stack = Path(__file__).resolve().parents[2] / "terraform" / "stacks" / "aws"
    assert "backup_copy_region" in variables.declared(stack)
