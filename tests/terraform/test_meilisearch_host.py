"""The Meilisearch host's first boot, run for real as far as this machine allows.

Terraform's own templatefile() (through `terraform console`) renders the user data;
`meilisearch_sandbox.sh` then runs it in private mount and PID namespaces with a real
systemd (a user manager standing in for PID 1, which cannot run here) starting the
unit the script writes. The stand-ins (release download, AWS CLI, the EBS volume)
are described in that script. The assertions read what the started service really
got: its process environment, user and mounts. Before the `EnvironmentFile=-` fix
systemd refused to start the unit ("unavailable resources": the environment file
that ExecStartPre writes did not exist yet when systemd loaded it), and
`systemd-analyze verify` alone did not notice.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from stage1_tf_helpers import TERRAFORM_SRC

TEMPLATE = TERRAFORM_SRC / "modules/search/templates/meilisearch-user-data.sh.tftpl"
SANDBOX = Path(__file__).with_name("meilisearch_sandbox.sh")
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mk-AbCdEf"
VOLUME_ID = "vol-0123456789abcdef0"
MASTER_KEY = "k3y-From-Secrets-Manager-0123456789abcdefABCDEF"


def _render(terraform_bin: str, workdir: Path, sha256: str) -> str:
    expression = (
        f'templatefile("{TEMPLATE}", {{version = "v1.36.0", sha256 = "{sha256}", '
        f'volume_id = "{VOLUME_ID}", region = "eu-west-1", secret_arn = "{SECRET_ARN}"}})'
    )
    result = subprocess.run(
        [terraform_bin, "console"],
        input=f"jsonencode({expression})",
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(json.loads(result.stdout.strip()))


def _tools() -> list[str]:
    """The real programs the sandbox needs; a missing one fails the test by name."""
    missing = [
        tool
        for tool in ("unshare", "systemd-analyze", "systemctl", "useradd", "findmnt", "bash")
        if shutil.which(tool) is None
    ]
    if not Path("/usr/lib/systemd/systemd").exists():
        missing.append("systemd (/usr/lib/systemd/systemd)")
    if missing:
        pytest.fail(
            f"the Meilisearch sandbox needs {', '.join(missing)}: apt-get install systemd "
            "util-linux passwd (see .ci/run)",
            pytrace=False,
        )
    unshare = ["unshare", "--mount", "--pid", "--fork", "--mount-proc"]
    if os.geteuid() != 0:
        unshare.insert(1, "--map-root-user")
    return unshare


def _boot(terraform_bin: str, tmp_path: Path, sha256: str = "") -> dict[str, str]:
    """Run the rendered user data in the sandbox; return the files it recorded."""
    script = tmp_path / "user-data.sh"
    script.write_text(_render(terraform_bin, tmp_path, sha256), encoding="utf-8")
    sandbox = tmp_path / "sandbox"
    cmd = [*_tools(), "bash", str(SANDBOX), str(sandbox), str(script), MASTER_KEY]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, (
        f"the sandbox itself failed (not the user data):\n{result.stdout}\n{result.stderr}"
    )
    out = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in (sandbox / "out").iterdir()}
    out["user-data.log"] = (sandbox / "user-data.log").read_text(encoding="utf-8")
    out["calls.log"] = (sandbox / "calls.log").read_text(encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def booted(terraform_bin: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _boot(terraform_bin, tmp_path_factory.mktemp("meili"))


def test_user_data_starts_meilisearch(booted: dict[str, str]) -> None:
    assert booted["user_data_rc"].strip() == "0", booted["user-data.log"]
    assert booted["state"].strip() == "active", booted["user-data.log"]
    assert booted["result"].strip() == "success"


def test_service_runs_the_installed_binary_as_its_own_user(booted: dict[str, str]) -> None:
    argv = booted["cmdline"].split("\0")
    assert argv[0] == "/usr/local/bin/meilisearch"
    assert booted["user"].strip() == "meilisearch"
    assert (
        "curl --fail --silent --show-error --location --retry 5 --output /tmp/meilisearch "
        "https://github.com/meilisearch/meilisearch/releases/download/v1.36.0/"
        "meilisearch-linux-amd64"
    ) in booted["calls.log"]


def test_service_gets_the_master_key_from_the_secret(booted: dict[str, str]) -> None:
    env = dict(line.split("=", 1) for line in booted["environ"].split("\0") if "=" in line)
    assert env["MEILI_MASTER_KEY"] == MASTER_KEY
    assert (
        f"aws secretsmanager get-secret-value --region eu-west-1 --secret-id {SECRET_ARN} "
        "--query SecretString --output text"
    ) in booted["calls.log"]
    # The key file sits in tmpfs, readable by the service user only, never in user data.
    assert booted["key_file"].split() == ["600", "meilisearch"]
    assert MASTER_KEY not in booted["user-data.log"]


def test_service_listens_on_7700_in_production_mode(booted: dict[str, str]) -> None:
    env = dict(line.split("=", 1) for line in booted["environ"].split("\0") if "=" in line)
    assert env["MEILI_HTTP_ADDR"] == "0.0.0.0:7700"
    assert env["MEILI_ENV"] == "production"
    assert env["MEILI_NO_ANALYTICS"] == "true"


def test_data_directory_is_on_the_attached_volume(booted: dict[str, str]) -> None:
    env = dict(line.split("=", 1) for line in booted["environ"].split("\0") if "=" in line)
    assert env["MEILI_DB_PATH"] == "/var/lib/meilisearch/data"
    # findmnt inside the sandbox: the directory the server created is backed by the
    # device behind the volume's NVMe by-id link.
    assert booted["data_source"].strip().endswith("/nvme1n1")
    assert "mkfs.xfs" in booted["calls.log"]
    assert "/var/lib/meilisearch xfs defaults,nofail 0 2" in booted["fstab"]


def test_systemd_analyze_verifies_the_unit(booted: dict[str, str]) -> None:
    assert booted["verify_rc"].strip() == "0", booted["verify"]
    assert booted["verify"].strip() == "", booted["verify"]


def test_a_binary_with_the_wrong_checksum_never_runs(terraform_bin: str, tmp_path: Path) -> None:
    out = _boot(terraform_bin, tmp_path, sha256="a" * 64)
    assert out["user_data_rc"].strip() != "0"
    assert "FAILED" in out["user-data.log"]
    assert "systemctl" not in out["calls.log"]
    assert "environ" not in out
