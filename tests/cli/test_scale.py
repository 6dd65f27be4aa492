"""`tutor eks scale <deployment> --min N --max M` (real CLI): validates, patches the live
HPA, then writes config.yml and env/.

No cluster runs here: a recording stand-in `kubectl` (set as EKS_KUBECTL, the way the
cleanup and jobs tests do it) stands for the API server. It hands `version` and
`kustomize` to the real kubectl, records every call, and answers `patch` the way
kubectl does ("horizontalpodautoscaler.autoscaling/lms patched"), or fails like it
does when the HPA is missing (STUB_HPA_MISSING=1).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from tutor_cli import new_root, run_tutor

STUB = r'''#!{python}
import json, os, sys
args = sys.argv[1:]
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(args) + "\n")
if args[:1] in (["version"], ["kustomize"]):
    os.execv({real!r}, [{real!r}, *args])
if args[:2] == ["patch", "horizontalpodautoscaler"]:
    if os.environ.get("STUB_HPA_MISSING"):
        print('Error from server (NotFound): horizontalpodautoscalers.autoscaling "'
              + args[2] + '" not found', file=sys.stderr)
        sys.exit(1)
    print("horizontalpodautoscaler.autoscaling/" + args[2] + " patched")
    sys.exit(0)
print("stub kubectl: unexpected call " + " ".join(args), file=sys.stderr)
sys.exit(2)
'''


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale")
    new_root(root)
    return root


@pytest.fixture
def cluster(tmp_path: Path, kubectl_bin: str, base: Path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "config.yml").write_bytes((base / "config.yml").read_bytes())
    log = tmp_path / "kubectl-calls.jsonl"
    log.write_text("")
    stub = tmp_path / "kubectl"
    stub.write_text(STUB.format(python=sys.executable, log=str(log), real=kubectl_bin))
    stub.chmod(0o755)

    def scale(*args: str, env: dict[str, str] | None = None):
        result = run_tutor(root, "eks", "scale", *args, check=False,
                           env={"EKS_KUBECTL": str(stub), **(env or {})})
        patches = [json.loads(line) for line in log.read_text().splitlines()
                   if json.loads(line)[:1] == ["patch"]]
        return result, patches

    return root, scale


def test_scale_patches_the_live_hpa_and_saves_the_bounds(cluster) -> None:
    root, scale = cluster
    result, patches = scale("lms", "--min", "3", "--max", "8")
    assert result.returncode == 0, result.stderr
    assert patches == [["patch", "horizontalpodautoscaler", "lms", "--namespace", "openedx",
                        "--type", "merge", "--patch",
                        '{"spec": {"minReplicas": 3, "maxReplicas": 8}}']]
    saved = yaml.safe_load((root / "config.yml").read_text())
    assert (saved["EKS_LMS_MIN_REPLICAS"], saved["EKS_LMS_MAX_REPLICAS"]) == (3, 8)
    hpas = [d for d in yaml.safe_load_all(
        (root / "env/plugins/eks/k8s/autoscaling.yml").read_text()) if d]
    lms = next(h for h in hpas if h["metadata"]["name"] == "lms")
    assert (lms["spec"]["minReplicas"], lms["spec"]["maxReplicas"]) == (3, 8)
    assert "keeps 3 to 8 pods" in result.stdout


def test_only_max_keeps_the_configured_min(cluster) -> None:
    root, scale = cluster
    result, patches = scale("cms-worker", "--max", "5")
    assert result.returncode == 0, result.stderr
    assert patches[0][-1] == '{"spec": {"minReplicas": 1, "maxReplicas": 5}}'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lms", "--min", "5", "--max", "3"),
         "EKS_LMS_MIN_REPLICAS=5 is above EKS_LMS_MAX_REPLICAS=3"),
        (("cms", "--max", "0"), "EKS_CMS_MAX_REPLICAS=0 is not valid: expected a whole number"),
        (("lms",), "give --min, --max or both"),
        # 40 lms pods of 1 CPU cannot fit 9 x m6i.xlarge next to the rest at its maxima.
        (("lms", "--max", "40"), "at the autoscaling maxima the pods request"),
    ],
)
def test_bad_bounds_change_nothing(cluster, args: tuple[str, ...], message: str) -> None:
    root, scale = cluster
    before = (root / "config.yml").read_bytes()
    result, patches = scale(*args)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert message in output and "Traceback" not in output, output
    assert patches == []
    assert (root / "config.yml").read_bytes() == before


def test_a_failed_patch_changes_nothing(cluster) -> None:
    root, scale = cluster
    before = (root / "config.yml").read_bytes()
    result, patches = scale("lms", "--max", "6", env={"STUB_HPA_MISSING": "1"})
    assert result.returncode == 1
    assert 'horizontalpodautoscalers.autoscaling "lms" not found' in result.stderr
    assert "Nothing was changed" in result.stderr and "--config-only" in result.stderr
    assert len(patches) == 1
    assert (root / "config.yml").read_bytes() == before


def test_config_only_leaves_the_cluster_alone(cluster) -> None:
    root, scale = cluster
    result, patches = scale("mfe", "--min", "2", "--max", "3", "--config-only")
    assert result.returncode == 0, result.stderr
    assert patches == []
    assert "EKS_MFE_MAX_REPLICAS: 3" in (root / "config.yml").read_text()
