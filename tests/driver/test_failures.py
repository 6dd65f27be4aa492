"""Failure paths: one clear message, exit code 1, config.yml byte-identical, no traceback."""

from __future__ import annotations

import shutil
import stat
import subprocess
import typing as t
from pathlib import Path

import pytest

from .conftest import Instance, broken_source, path_without_terraform

SYNTAX_ERROR = 'resource "terraform_data" "broken" {\n  input = [\n}\n'
# Fails during apply proper: terraform_data.id is only known once created.
FAILING_APPLY = """\
resource "terraform_data" "doomed" {
  input = "x"

  lifecycle {
    postcondition {
      condition     = self.id == "never"
      error_message = "The doomed resource failed its postcondition."
    }
  }
}
"""

FAKE_OLD_TERRAFORM = """\
#!/bin/sh
# Test stand-in for an old terraform binary: no real Terraform 1.5 exists on this
# machine, and the driver's version check only runs `terraform version`.
if [ "$1" = "version" ]; then
  if [ "$2" = "-json" ]; then
    echo '{"terraform_version": "1.5.7", "platform": "linux_amd64"}'
  else
    echo "Terraform v1.5.7"
    echo "on linux_amd64"
  fi
  exit 0
fi
echo "stand-in terraform: refusing to run $*" >&2
exit 3
"""


def _fails_cleanly(
    instance: Instance, args: t.Sequence[str], *needles: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `tutor eks infra ARGS`: exit 1, config.yml byte-identical, every needle in stderr."""
    before = instance.config_bytes()
    result = instance.infra(*args, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert instance.config_bytes() == before, "config.yml changed on a failed run"
    for needle in needles:
        assert needle in result.stderr, f"{needle!r} not in stderr:\n{result.stderr}"
    return result


def test_syntax_error_in_stack(instance: Instance, fixture_source: Path, tmp_path: Path) -> None:
    source = broken_source(fixture_source, tmp_path / "src", {"broken.tf": SYNTAX_ERROR})
    _fails_cleanly(
        instance, ["apply"], "Error: terraform init failed in stage 'aws'", "on broken.tf line",
        env={"EKS_TERRAFORM_SOURCE": str(source)},
    )


def test_failing_apply_keeps_config(
    instance: Instance, fixture_source: Path, tmp_path: Path
) -> None:
    # A first good apply writes the outputs; the failing one must not touch them.
    assert instance.infra("apply", "--stage", "aws").returncode == 0
    source = broken_source(fixture_source, tmp_path / "src", {"doomed.tf": FAILING_APPLY})
    result = _fails_cleanly(
        instance,
        ["apply"],
        "terraform apply failed in stage 'aws' (exit code 1)",
        "Error: Resource postcondition failed",
        "The doomed resource failed its postcondition.",
        env={"EKS_TERRAFORM_SOURCE": str(source)},
    )
    # The stage-2 apply never ran: the driver stops at the first failed stage.
    assert "Stage cluster: terraform apply" not in result.stdout


def test_terraform_missing_from_path(instance: Instance) -> None:
    _fails_cleanly(instance, ["plan"], "terraform was not found on PATH",
                   env={"PATH": path_without_terraform()})


def test_unsupported_terraform_version(instance: Instance, tmp_path: Path) -> None:
    bin_dir = tmp_path / "old-bin"
    bin_dir.mkdir()
    fake = bin_dir / "terraform"
    fake.write_text(FAKE_OLD_TERRAFORM)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    result = _fails_cleanly(
        instance, ["apply"], "is Terraform 1.5.7; tutor-contrib-eks needs Terraform 1.x >= 1.10",
        env={"PATH": f"{bin_dir}:{path_without_terraform()}"},
    )
    assert "stand-in terraform: refusing" not in result.stderr


@pytest.fixture(scope="module")
def s3_without_bucket(template_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template root saved once (real `tutor config save`) with EKS_STATE_BACKEND=s3 and
    no bucket; each case below runs in its own copy."""
    root = tmp_path_factory.mktemp("s3-without-bucket") / "root"
    shutil.copytree(template_root, root)
    saved = Instance(root, {}, []).tutor("config", "save", "--set", "EKS_STATE_BACKEND=s3")
    assert saved.returncode == 0, saved.stdout + saved.stderr
    return root


@pytest.mark.parametrize("command", [("init",), ("plan",), ("apply",), ("destroy", "--yes")])
def test_s3_backend_without_bucket(
    instance: Instance, s3_without_bucket: Path, command: tuple[str, ...]
) -> None:
    shutil.rmtree(instance.root)
    shutil.copytree(s3_without_bucket, instance.root)
    _fails_cleanly(instance, command, "EKS_STATE_BACKEND is 's3' but EKS_STATE_BUCKET is empty")
    # Checked before terraform runs: no working directory was even prepared.
    assert not (instance.root / "eks-infra").exists()


def test_plan_usage_error_exits_1_not_2(instance: Instance) -> None:
    result = instance.infra("plan", "--no-such-option")
    assert result.returncode == 1, "exit 2 means 'changes' for plan"


def test_plan_out_needs_one_stage(instance: Instance, tmp_path: Path) -> None:
    _fails_cleanly(instance, ["plan", "--out", str(tmp_path / "x.tfplan")],
                   "--out saves the plan of one stage")


def test_stage_two_alone_before_stage_one(instance: Instance) -> None:
    _fails_cleanly(instance, ["plan", "--stage", "cluster"],
                   "run `tutor eks infra apply --stage aws` first")
