"""The Meilisearch host's first-boot script: rendered by Terraform's own
templatefile() (through `terraform console`) and syntax-checked by bash."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from stage1_tf_helpers import TERRAFORM_SRC, run

TEMPLATE = TERRAFORM_SRC / "modules/search/templates/meilisearch-user-data.sh.tftpl"
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mk-AbCdEf"


def _render(terraform_bin: str, workdir: Path, sha256: str) -> str:
    expression = (
        f'templatefile("{TEMPLATE}", {{version = "v1.36.0", sha256 = "{sha256}", '
        f'volume_id = "vol-0123456789abcdef0", region = "eu-west-1", '
        f'secret_arn = "{SECRET_ARN}"}})'
    )
    wrapped = f"jsonencode({expression})"
    result = subprocess.run(
        [terraform_bin, "console"],
        input=wrapped,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(json.loads(result.stdout.strip()))


@pytest.mark.parametrize("sha256", ["", "a" * 64])
def test_user_data_renders_to_valid_bash(terraform_bin: str, tmp_path: Path, sha256: str) -> None:
    script = _render(terraform_bin, tmp_path, sha256)
    assert script.startswith("#!/bin/bash\n")
    (tmp_path / "user-data.sh").write_text(script, encoding="utf-8")
    bash = shutil.which("bash")
    assert bash, "bash is needed to syntax-check the user data"
    check = run([bash, "-n", str(tmp_path / "user-data.sh")], tmp_path)
    assert check.returncode == 0, check.stderr

    assert "meilisearch/releases/download/v1.36.0/meilisearch-linux-amd64" in script
    assert "Amazon_Elastic_Block_Store_${VOLUME_ID//-/}" in script
    assert f'--secret-id "{SECRET_ARN}"' in script
    # The key is fetched at service start into tmpfs, never written by user data.
    assert "EnvironmentFile=/run/meilisearch/env" in script
    assert ("sha256sum --check" in script) is bool(sha256)
