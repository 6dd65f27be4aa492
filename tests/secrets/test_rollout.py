"""`tutor eks secrets rollout` restarts exactly the Deployments whose pod template
carries another secrets hash than the synced Kubernetes Secret.

There is no cluster here: a stand-in `kubectl` (written below) keeps the Secret and the
Deployments as JSON files and hands every JSONPath query and merge patch to the REAL
kubectl in `--local` mode (`kubectl patch --local -f obj.json -o ...`), so the queries
and patches the command sends are evaluated by kubectl itself. The command runs through
the real tutor CLI.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from datastore_roots import render_root
from secrets_cases import referenced_settings
from tutor_cli import run_tutor

from tutor_eks_plugin.commands.secrets import DATA_HASH, TEMPLATE_HASH
from tutor_eks_plugin.render.secrets import DEPLOYMENTS

STANDIN = r'''#!{python}
import json, os, subprocess, sys
args, real, state = sys.argv[1:], {real!r}, {state!r}
with open(os.path.join(state, "calls.log"), "a") as log:
    log.write(json.dumps(args) + "\n")
if args[:1] == ["version"]:
    os.execv(real, [real, *args])
verb, kind, name = args[0], args[1], args[2]
path = os.path.join(state, f"{{kind}}-{{name}}.json")
if not os.path.exists(path):
    print(f'Error from server (NotFound): {{kind}} "{{name}}" not found', file=sys.stderr)
    sys.exit(1)
if verb == "get":
    output = args[args.index("-o") + 1]
    sys.exit(subprocess.run([real, "patch", "--local", "-f", path, "--type", "merge",
                             "-p", "{{}}", "-o", output]).returncode)
if verb == "patch":
    patch = args[args.index("--patch") + 1]
    done = subprocess.run([real, "patch", "--local", "-f", path, "--type", "merge", "-p",
                           patch, "-o", "json"], capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.returncode)
    open(path, "w").write(done.stdout)
    print(f"deployment.apps/{{name}} patched")
    sys.exit(0)
sys.exit(f"stand-in kubectl: unexpected call {{args}}")
'''


def _deployment(name: str, secrets_hash: str | None) -> dict:
    annotations = {TEMPLATE_HASH: secrets_hash} if secrets_hash else {}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": "openedx"},
        "spec": {"selector": {"matchLabels": {"app": name}}, "template": {
            "metadata": {"labels": {"app": name}, "annotations": annotations},
            "spec": {"containers": [{"name": name, "image": "openedx"}]}}},
    }


@pytest.fixture
def cluster(tmp_path: Path, kubectl_bin: str) -> tuple[Path, dict[str, str]]:
    state = tmp_path / "cluster"
    state.mkdir()
    secret = {"apiVersion": "v1", "kind": "Secret",
              "metadata": {"name": "eks-datastore-secrets", "namespace": "openedx",
                           "annotations": {DATA_HASH: "hash-after-rotation"}}}
    (state / "secret-eks-datastore-secrets.json").write_text(json.dumps(secret))
    for name in DEPLOYMENTS:
        # lms already restarted by an earlier run; the others started before the rotation.
        current = "hash-after-rotation" if name == "lms" else "hash-before-rotation"
        (state / f"deployment-{name}.json").write_text(json.dumps(_deployment(name, current)))
    standin = tmp_path / "kubectl"
    standin.write_text(STANDIN.format(python=sys.executable, real=kubectl_bin, state=str(state)))
    standin.chmod(0o755)
    return state, {"EKS_KUBECTL": str(standin), "PATH": os.environ["PATH"]}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = referenced_settings()
    settings["K8S_NAMESPACE"] = "openedx"
    return render_root(tmp_path_factory.mktemp("rollout"), settings)


def _template_hash(state: Path, name: str) -> str | None:
    obj = json.loads((state / f"deployment-{name}.json").read_text())
    return obj["spec"]["template"]["metadata"].get("annotations", {}).get(TEMPLATE_HASH)


def test_rollout_restarts_only_stale_deployments(root: Path, cluster) -> None:
    state, env = cluster
    result = run_tutor(root, "eks", "secrets", "rollout", env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "deployment/lms: already runs with the current secrets" in result.stdout
    for name in DEPLOYMENTS:
        assert _template_hash(state, name) == "hash-after-rotation", name
        if name != "lms":
            assert f"deployment/{name}: rolling restart (secrets changed)" in result.stdout
    patched = [json.loads(line) for line in (state / "calls.log").read_text().splitlines()]
    assert sorted(c[2] for c in patched if c[0] == "patch") == sorted(
        n for n in DEPLOYMENTS if n != "lms"
    )
    # A second run finds everything current and patches nothing.
    before = (state / "calls.log").read_text().count('"patch"')
    result = run_tutor(root, "eks", "secrets", "rollout", env=env, check=False)
    assert result.returncode == 0
    assert (state / "calls.log").read_text().count('"patch"') == before


def test_rollout_refuses_an_unsynced_secret(root: Path, cluster) -> None:
    state, env = cluster
    path = state / "secret-eks-datastore-secrets.json"
    secret = json.loads(path.read_text())
    secret["metadata"]["annotations"] = {}
    path.write_text(json.dumps(secret))
    result = run_tutor(root, "eks", "secrets", "rollout", env=env, check=False)
    assert result.returncode == 1
    assert "has not synced it yet" in result.stderr
    assert "Traceback" not in result.stderr
    assert all(_template_hash(state, n) != "hash-after-rotation" or n == "lms"
               for n in DEPLOYMENTS)
