"""The capacity policy of `tutor eks check` (real CLI, real render): it prints the node
and MySQL figures for the profile, passes with the profile's own defaults and fails,
with the numbers, on an override that does not fit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from eks_in_process import config_save_set
from tutor_cli import new_root, run_tutor


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("capacity")
    new_root(root)
    return root


def _check(base: Path, tmp_path: Path, **settings: object) -> tuple[int, str]:
    """The real `tutor eks check` on a copy of the base root with these settings saved.
    The settings are saved in this process (the guarded save of `tutor config save
    --set`, tests/eks_in_process.py): the check renders its own copy from config.yml, so
    the env the CLI's save would also render is not needed."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "config.yml").write_bytes((base / "config.yml").read_bytes())
    assert config_save_set(root, settings) == ""
    result = run_tutor(root, "eks", "check", check=False)
    return result.returncode, result.stdout + result.stderr


def _cpu(output: str) -> tuple[int, int]:
    match = re.search(r"the pods request (\d+)m of (\d+)m CPU", output)
    assert match, output
    return int(match.group(1)), int(match.group(2))


def test_small_profile_defaults_fit_four_large_nodes(base: Path, tmp_path: Path) -> None:
    code, output = _check(base, tmp_path, EKS_PROFILE="small")
    assert code == 0, output
    assert "Capacity, EKS_PROFILE=small: at most 4 x m6i.large nodes" in output
    requested, total = _cpu(output)
    assert requested <= total == 4 * 1930
    assert "lms x2" in output and "cms x2" in output
    assert re.search(r"MySQL connections at the autoscaling maxima: \d+ .* of a budget of "
                     r"245 \(80 % of max_connections ~307 on db.t4g.medium", output), output


def test_production_defaults_fit(base: Path, tmp_path: Path) -> None:
    code, output = _check(base, tmp_path, EKS_PROFILE="production")
    assert code == 0, output
    assert "at most 9 x m6i.xlarge nodes" in output and "lms x10" in output
    assert "MySQL connections at the autoscaling maxima: 52 " in output, output


def test_production_maxima_on_the_small_profile_fail_with_the_numbers(
    base: Path, tmp_path: Path
) -> None:
    """The defaults before this policy (lms 10, cms 6, workers 6 and 4) on 4 x m6i.large."""
    code, output = _check(base, tmp_path, EKS_PROFILE="small", EKS_LMS_MAX_REPLICAS=10,
                          EKS_CMS_MAX_REPLICAS=6, EKS_LMS_WORKER_MAX_REPLICAS=6,
                          EKS_CMS_WORKER_MAX_REPLICAS=4)
    assert code != 0
    requested, total = _cpu(output)
    assert requested > total
    assert (f"FAIL policy capacity.node_capacity: at the autoscaling maxima the pods request "
            f"{requested}m CPU, more than the {total}m that 4 x m6i.large nodes") in output
    assert "Traceback" not in output


def test_mysql_connections_over_budget_fail_with_the_numbers(base: Path,
                                                             tmp_path: Path) -> None:
    # Small lms pods so that the nodes hold them: only the connections overflow.
    code, output = _check(base, tmp_path, EKS_PROFILE="production",
                          OPENEDX_LMS_UWSGI_WORKERS=4, EKS_LMS_CPU_REQUEST="10m",
                          EKS_LMS_MEMORY_REQUEST="64Mi", EKS_LMS_MAX_REPLICAS=150)
    assert code != 0
    assert "capacity.node_capacity" not in output, output
    assert ("FAIL policy capacity.mysql_connections: at the autoscaling maxima Open edX opens "
            "632 MySQL connections, more than 80 % of max_connections (491 of ~614 on "
            "db.m7g.large") in output, output
