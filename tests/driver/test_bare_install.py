"""A bare install (tutor and tutor-contrib-eks, no tutor-mfe) plans and applies.

The test virtualenv has tutor-mfe (other layers render with it), so this runs `tutor`
in an interpreter that does not have it: a folder of symbolic links to every entry of
this virtualenv's site-packages except tutor-mfe's package (``tutormfe``) and its
``.dist-info`` (which holds its ``tutor.plugin.v1`` entry point), loaded with
``python -S`` and ``site.addsitedir``. For that interpreter tutor-mfe is not
installed: ``import tutormfe`` fails, ``importlib.metadata`` does not list it, and
Tutor's plugin discovery never sees it, as after a ``pip install tutor-contrib-eks``
without it. The ``.pth`` files (the editable install of this project) are processed
as usual. Faster than building a second virtualenv, and it is the same interpreter
and the same packages minus one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from .conftest import TRACEBACK

HIDDEN = ("tutormfe", "tutor_mfe-")
LAUNCHER = (
    "import site, sys; site.addsitedir(sys.argv.pop(1)); sys.argv[0] = 'tutor'; "
    "from tutor.commands.cli import main; sys.exit(main())"
)


@pytest.fixture(scope="module")
def bare_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    purelib = Path(sysconfig.get_paths()["purelib"])
    view = tmp_path_factory.mktemp("site-without-tutor-mfe")
    hidden = []
    for entry in purelib.iterdir():
        if entry.name.startswith(HIDDEN):
            hidden.append(entry.name)
            continue
        (view / entry.name).symlink_to(entry)
    assert "tutormfe" in hidden, "tutor-mfe is not in the test virtualenv: nothing to hide"
    return view


def _bare(root: Path, site: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        **env,
        "TUTOR_ROOT": str(root),
        "TUTOR_PLUGINS_ROOT": str(root / ".no-plugins"),
    }
    full_env.pop("PYTHONPATH", None)
    # cwd outside any checkout: `-c` puts the current directory first on sys.path.
    result = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, str(site), *args],
        capture_output=True, text=True, env=full_env, check=False, timeout=300,
        cwd=root.parent,
    )
    assert TRACEBACK not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def test_the_interpreter_really_lacks_tutor_mfe(bare_site: Path, tmp_path: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-S", "-c",
         "import site, sys, importlib.util, importlib.metadata as m; site.addsitedir(sys.argv[1]);"
         "print(importlib.util.find_spec('tutormfe') is None,"
         " sorted(e.name for e in m.entry_points(group='tutor.plugin.v1')))",
         str(bare_site)],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    missing, names = probe.stdout.split(" ", 1)
    assert missing == "True"
    assert "eks" in names and "'mfe'" not in names, names
    listed = _bare(tmp_path, bare_site, {}, "plugins", "list")
    assert listed.returncode == 0, listed.stderr
    assert "eks" in listed.stdout and "mfe" not in listed.stdout.split()


def test_bare_install_plans_and_applies(
    bare_site: Path, tmp_path: Path, fixture_source: Path, aws_env: dict[str, str],
    terraform_bin: str,
) -> None:
    root = tmp_path / "root"
    env = {**aws_env, "EKS_TERRAFORM_SOURCE": str(fixture_source)}
    assert _bare(root, bare_site, env, "plugins", "enable", "eks").returncode == 0
    saved = _bare(
        root, bare_site, env, "config", "save",
        "--set", "EKS_STATE_BACKEND=local", "--set", "EKS_NAME=bare",
        "--set", "EKS_CA_BUNDLE_CONFIGMAP=rds-ca-bundle",
    )
    assert saved.returncode == 0, saved.stderr
    config = yaml.safe_load((root / "config.yml").read_text())
    assert "MFE_HOST" not in config and "mfe" not in config["PLUGINS"]

    result = _bare(root, bare_site, env, "eks", "infra", "plan", "--stage", "aws")
    assert "No value for required variable" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stdout + result.stderr
    tfvars = json.loads(
        (root / "eks-infra" / "stacks" / "aws" / "tutor.auto.tfvars.json").read_text()
    )
    # tutor-mfe's own default, so that enabling it later changes no AWS resource.
    assert tfvars["mfe_host"] == "apps.local.openedx.io"

    result = _bare(root, bare_site, env, "eks", "infra", "apply", "--stage", "aws")
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load((root / "config.yml").read_text())
    assert config["EKS_CLUSTER_NAME"] == "bare-eks"
    assert "MFE_HOST" not in config, "the derived host is a stack input, not a Tutor key"
