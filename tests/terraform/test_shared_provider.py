"""The shared AWS provider process of the mocked Terraform runs (shared_provider.py): the
real provider still validates every argument through it, terraform really talks to it
(not to a process of its own), a dead server is replaced, and it can be turned off."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.terraform import shared_provider
from tests.terraform.tf_common import run

CONFIG = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "media" {
  bucket            = "shared-provider-check"
  %s
}
"""


def _folder(tmp_path: Path, terraform: str, mirror: str, extra: str) -> Path:
    (tmp_path / "main.tf").write_text(CONFIG % extra)
    result = run([terraform, "init", "-backend=false", "-input=false", "-no-color",
                  f"-plugin-dir={mirror}"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path


def _diagnostics(stdout: str) -> list[str]:
    return [d["summary"] + ": " + d.get("detail", "") for d in json.loads(stdout)["diagnostics"]]


def test_the_shared_provider_validates_arguments_with_the_real_schema(
    tmp_path: Path, terraform_bin: str, provider_mirror: str
) -> None:
    folder = _folder(tmp_path, terraform_bin, provider_mirror, 'not_an_argument = "x"')
    env = shared_provider.reattach_env(folder)
    assert set(env) == {"TF_REATTACH_PROVIDERS"}, "the shared provider is off or not installed"
    result = run([terraform_bin, "validate", "-json", "-no-color"], folder)
    assert result.returncode == 1
    problems = _diagnostics(result.stdout)
    assert any("not_an_argument" in p and "Unsupported argument" in p for p in problems), problems

    (folder / "main.tf").write_text(CONFIG % 'force_destroy = "not a bool"')
    result = run([terraform_bin, "validate", "-json", "-no-color"], folder)
    assert result.returncode == 1, "the provider's type check did not run"


def test_terraform_talks_to_the_shared_process_and_a_dead_one_is_replaced(
    tmp_path: Path, terraform_bin: str, provider_mirror: str
) -> None:
    folder = _folder(tmp_path, terraform_bin, provider_mirror, "")
    first = shared_provider.reattach_env(folder)
    assert shared_provider.reattach_env(folder) == first, "one process per binary, reused"
    pid = json.loads(first["TF_REATTACH_PROVIDERS"])[shared_provider.ADDRESS]["Pid"]
    assert Path(f"/proc/{pid}").is_dir()
    assert run([terraform_bin, "validate", "-no-color"], folder).returncode == 0

    os.kill(pid, 9)
    os.waitpid(pid, 0)
    # With the dead server's address terraform cannot validate: it uses that process, not
    # one of its own.
    env = {**os.environ, **first}
    dead = subprocess.run([terraform_bin, "validate", "-no-color"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert dead.returncode != 0, "terraform started its own provider despite the reattach"

    second = shared_provider.reattach_env(folder)
    assert second != first, "a dead server is replaced"
    assert run([terraform_bin, "validate", "-no-color"], folder).returncode == 0


def test_it_can_be_turned_off_and_needs_an_initialised_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert shared_provider.reattach_env(tmp_path) == {}, "no provider installed: no server"
    monkeypatch.setenv("EKS_TF_SHARED_PROVIDER", "off")
    monkeypatch.setattr(shared_provider, "provider_binary", lambda folder: Path("/bin/true"))
    assert shared_provider.reattach_env(tmp_path) == {}
