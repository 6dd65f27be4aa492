"""scripts/backup.sh and scripts/restore.sh: thin wrappers that run the real commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TUTOR = str(Path(sys.executable).parent / "tutor")


def _run(script: str, root: Path, *args: str, tutor: str = TUTOR) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUTOR_ROOT": str(root), "TUTOR": tutor,
           "TUTOR_PLUGINS_ROOT": str(root / ".no-plugins")}
    return subprocess.run(["bash", str(REPO / "scripts" / script), *args], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_restore_script_runs_tutor_eks_restore(tutor_root: Path) -> None:
    result = _run("restore.sh", tutor_root, "nosuch")
    assert result.returncode == 1
    assert "store 'nosuch' does not exist" in result.stdout + result.stderr


def test_backup_script_runs_tutor_eks_backup(tutor_root: Path) -> None:
    result = _run("backup.sh", tutor_root, "--store", "mysql", "--logical", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "kind: Job" in result.stdout


def test_missing_tutor_is_named(tmp_path: Path) -> None:
    result = _run("backup.sh", tmp_path, tutor="tutor-that-does-not-exist")
    assert result.returncode == 1
    assert "'tutor-that-does-not-exist' not found" in result.stderr
