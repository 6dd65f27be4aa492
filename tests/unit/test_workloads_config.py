"""Bad values for every workloads and media key are refused when config.yml is saved:
one line naming key and allowed values, config.yml byte-identical. Plus the cross-key
rules and the default numbers.

Every key goes through what `tutor config save --set KEY=bad` runs (Tutor's
load_minimal, the --set value parsed and rendered as Tutor does, then the
save_config_file that the eks plugin guards), in this process with the plugin loaded as
Tutor loads it (tests/eks_in_process.py): one process instead of one per key. The real
CLI (exit code 1, the message on stderr) is run for one bad value of each kind and for
a cross-key rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from eks_in_process import eks_plugin_in_process
from tutor import config as tutor_config
from tutor import env as tutor_env
from tutor import exceptions, serialize
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
    if key == "EKS_WORKLOADS":
        return "{notes: {cpu_requst: 1}}"
    return "0" if key.endswith(("_TARGET",)) else "-3"


@pytest.fixture(scope="module")
def base_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workloads-config")
    run_tutor(root, "config", "save")
    run_tutor(root, "plugins", "enable", "eks")
    return root


def _try(base_root: Path, tmp: Path, key: str, value: str) -> tuple[str, str, bool]:
    """`tutor config save --set KEY=value`, in process: (key, error, config unchanged)."""
    root = tmp / key.lower()
    root.mkdir()
    shutil.copyfile(base_root / "config.yml", root / "config.yml")
    before = (root / "config.yml").read_bytes()
    config = tutor_config.load_minimal(str(root))
    config[key] = tutor_env.render_unknown(config, serialize.parse(value))
    try:
        tutor_config.save_config_file(str(root), config)
        error = ""
    except exceptions.TutorError as e:
        error = str(e)
    return key, error, (root / "config.yml").read_bytes() == before


def _one_line(key: str, output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(f"Error: {key}=")
             or line.startswith(f"{key}=")]
    assert len(lines) == 1, (key, output)
    assert "is not valid: expected" in lines[0], lines[0]
    return lines[0]


def test_every_key_rejects_a_bad_value(base_root: Path, tmp_path: Path) -> None:
    with eks_plugin_in_process(mark_loaded=True):
        results = [_try(base_root, tmp_path, k, _bad(k)) for k in KEYS]
    for key, error, unchanged in results:
        assert error, f"{key}={_bad(key)} was saved"
        assert unchanged, key
        _one_line(key, error)


@pytest.mark.parametrize("key", ["EKS_LMS_CPU_REQUEST", "EKS_ZONE_SPREAD", "EKS_WORKLOADS"])
def test_the_cli_exits_1_on_a_bad_value(base_root: Path, tmp_path: Path, key: str) -> None:
    """The real CLI for one key of each validator kind: exit 1, no traceback."""
    root = tmp_path / "r"
    root.mkdir()
    shutil.copyfile(base_root / "config.yml", root / "config.yml")
    before = (root / "config.yml").read_bytes()
    result = run_tutor(root, "config", "save", "--set", f"{key}={_bad(key)}", check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    _one_line(key, result.stderr)
    assert (root / "config.yml").read_bytes() == before


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


@pytest.mark.parametrize(
    ("workloads", "expected"),
    [
        ({"notes": {"cpu_requst": "1"}}, "notes.cpu_requst to be one of the keys cpu_request"),
        ({"notes": {"cpu_request": "lots"}},
         "notes.cpu_request='lots' to be a CPU quantity such as '500m' or '2'"),
        ({"notes": {"probe": "grpc"}}, "notes.probe='grpc' to be one of 'http', 'tcp', 'none'"),
        ({"notes": {"probe_path": "health"}}, "notes.probe_path='health' to be an absolute"),
        ({"lms": {"cpu_request": "1"}}, "no entry for lms: its values have their own keys, "
         "EKS_LMS_*"),
        ({"Notes": {}}, "Deployment names as keys ('Notes' is not a Kubernetes name)"),
        ({"notes": {"min_replicas": 4, "max_replicas": 3}},
         "notes.min_replicas to be at most notes.max_replicas"),
        ({"notes": {"memory_request": "2Gi", "memory_limit": "1Gi"}},
         "notes.memory_request to be at most notes.memory_limit"),
        ({"notes": {"skips": {"CKV_K8S_8": "why"}}}, "notes.skips="),
        (["notes"], "a mapping of workload (Deployment) name -> overrides"),
    ],
)
def test_workload_overrides_are_validated(full, workloads, expected: str) -> None:
    """EKS_WORKLOADS: one line naming the workload, the key, the value and what is
    allowed (the config.problems wording: `EKS_WORKLOADS=... is not valid: expected`)."""
    found = _problems(full(EKS_WORKLOADS=workloads))
    assert len(found) == 1 and found[0].startswith("EKS_WORKLOADS: ") and expected in found[0], (
        found
    )


def test_workload_override_bounds_against_the_table(full) -> None:
    """max_replicas alone below the table's production minimum (notes: 2) is refused;
    with EKS_PROFILE=small (notes: 1..1) the same override passes."""
    found = _problems(full(PLUGINS=["eks", "mfe", "notes"],
                           EKS_WORKLOADS={"notes": {"max_replicas": 1}}))
    assert len(found) == 1 and "notes would run between 2 and 1 pods" in found[0], found
    assert _problems(full(PLUGINS=["eks", "mfe", "notes"], EKS_PROFILE="small",
                          EKS_WORKLOADS={"notes": {"max_replicas": 1}})) == []
