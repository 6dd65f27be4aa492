"""Bad values for every workloads and media key are refused by the real CLI
(`tutor config save --set KEY=bad`): exit 1, one line naming key and allowed values,
config.yml byte-identical. Plus the cross-key rules and the default numbers."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tutor import config as tutor_config
from tutor_cli import run_tutor

from tutor_eks_plugin.settings import media, workloads

KEYS = [s.key for s in workloads.SETTINGS + media.SETTINGS]


def _bad(key: str) -> str:
    if key.endswith(("_CPU_REQUEST", "_CPU_LIMIT")):
        return "lots"
    if key.endswith(("_MEMORY_REQUEST", "_MEMORY_LIMIT")):
        return "2GB"
    if key in ("EKS_ZONE_SPREAD", "EKS_MEDIA_BACKEND", "EKS_MEDIA_IAM"):
        return "sometimes"
    if key in ("EKS_MEDIA_STORAGE_CLASS", "EKS_OPENEDX_SERVICE_ACCOUNT"):
        return "Not_A_Name"
    if key == "EKS_MEDIA_VOLUME_SIZE":
        return "0Gi"
    return "0" if key.endswith(("_TARGET",)) else "-3"


@pytest.fixture(scope="module")
def base_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workloads-config")
    run_tutor(root, "config", "save")
    run_tutor(root, "plugins", "enable", "eks")
    return root


def _try(base_root: Path, tmp: Path, key: str, value: str) -> tuple[str, int, str, bool]:
    root = tmp / key.lower()
    root.mkdir()
    shutil.copyfile(base_root / "config.yml", root / "config.yml")
    before = (root / "config.yml").read_bytes()
    result = run_tutor(root, "config", "save", "--set", f"{key}={value}", check=False)
    unchanged = (root / "config.yml").read_bytes() == before
    return key, result.returncode, result.stderr + result.stdout, unchanged


def test_every_key_rejects_a_bad_value(base_root: Path, tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda k: _try(base_root, tmp_path, k, _bad(k)), KEYS))
    for key, code, output, unchanged in results:
        assert code == 1, (key, output)
        assert unchanged, key
        lines = [line for line in output.splitlines() if line.startswith(f"Error: {key}=")
                 or line.startswith(f"{key}=")]
        assert len(lines) == 1, (key, output)
        assert "is not valid: expected" in lines[0], lines[0]


def _rendered(**user) -> dict:
    """This concern's defaults rendered the way Tutor renders them (render_full)."""
    config = {"OPENEDX_LMS_UWSGI_WORKERS": 2, "OPENEDX_CMS_UWSGI_WORKERS": 2,
              "PLUGINS": ["eks", "mfe"], "EKS_PROFILE": "production"}
    config.update({s.key: s.default for s in workloads.SETTINGS + media.SETTINGS})
    config.update(user)
    tutor_config.render_full(config)
    return config


@pytest.fixture
def full():
    return _rendered


def _problems(config: dict) -> list[str]:
    """This concern's checks, the way config.problems runs them (keys, then rules)."""
    found = [
        f"{s.key}: {s.validator.problem(config[s.key])}"
        for s in workloads.SETTINGS + media.SETTINGS
        if s.validator.problem(config[s.key])
    ]
    if found:
        return found
    return [p for rule in workloads.RULES + media.RULES for p in rule(config)]


def test_defaults_follow_the_process_counts() -> None:
    config = _rendered()
    assert config["EKS_LMS_CPU_REQUEST"] == "1000m"
    assert config["EKS_LMS_MEMORY_REQUEST"] == "2048Mi"
    assert config["EKS_LMS_CPU_LIMIT"] == "2"
    assert config["EKS_LMS_MEMORY_LIMIT"] == "3072Mi"
    assert config["EKS_LMS_WORKER_CPU_REQUEST"] == "500m"
    assert _problems(config) == []
    more = _rendered(OPENEDX_LMS_UWSGI_WORKERS=4, EKS_CMS_WORKER_CONCURRENCY=4)
    assert more["EKS_LMS_CPU_REQUEST"] == "2000m" and more["EKS_LMS_CPU_LIMIT"] == "4"
    assert more["EKS_CMS_WORKER_MEMORY_REQUEST"] == "2560Mi"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"EKS_LMS_MIN_REPLICAS": 5, "EKS_LMS_MAX_REPLICAS": 3},
         "EKS_LMS_MIN_REPLICAS=5 is above EKS_LMS_MAX_REPLICAS=3"),
        ({"EKS_CMS_CPU_REQUEST": "3", "EKS_CMS_CPU_LIMIT": "2500m"},
         "EKS_CMS_CPU_REQUEST=3 is above EKS_CMS_CPU_LIMIT=2500m"),
        ({"EKS_MFE_MEMORY_REQUEST": "1Gi", "EKS_MFE_MEMORY_LIMIT": "512Mi"},
         "EKS_MFE_MEMORY_REQUEST=1Gi is above EKS_MFE_MEMORY_LIMIT=512Mi"),
        ({"EKS_PRESTOP_SLEEP_SECONDS": 60, "EKS_TERMINATION_GRACE_PERIOD_SECONDS": 30},
         "EKS_TERMINATION_GRACE_PERIOD_SECONDS=30 must be above EKS_PRESTOP_SLEEP_SECONDS=60"),
        ({"PLUGINS": ["eks", "k8s"]}, "tutor plugins enable mfe"),
        ({"EKS_MEDIA_BACKEND": "s3", "OPENEDX_AWS_ACCESS_KEY": "AKIAEXAMPLE"},
         "unset OPENEDX_AWS_ACCESS_KEY"),
        ({"EKS_MEDIA_BACKEND": "s3", "EKS_MEDIA_IAM": "irsa", "EKS_MEDIA_ROLE_ARN": ""},
         "EKS_MEDIA_IAM='irsa' needs EKS_MEDIA_ROLE_ARN"),
    ],
)
def test_cross_key_rules(full, overrides: dict, expected: str) -> None:
    found = _problems(full(**overrides))
    assert len(found) == 1 and expected in found[0], found


def test_min_above_max_refused_by_the_cli(base_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    shutil.copyfile(base_root / "config.yml", root / "config.yml")
    before = (root / "config.yml").read_bytes()
    result = run_tutor(root, "config", "save", "--set", "EKS_CMS_MIN_REPLICAS=9", check=False)
    assert result.returncode == 1
    assert "EKS_CMS_MIN_REPLICAS=9 is above EKS_CMS_MAX_REPLICAS=6" in result.stderr
    assert (root / "config.yml").read_bytes() == before
