"""`tutor eks up` and `tutor eks down` on the driver's fixture stacks.

Real `tutor` CLI, real terraform on tests/driver/fixtures, moto on 127.0.0.1 for the
secrets; the cluster is played by the stand-ins of tests/jobs/stub_cluster.py (a
recording kubectl, the Jobs API on 127.0.0.1), since no Kubernetes runs here.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tutor_cli import TUTOR

from tests.driver.conftest import Instance
from tests.jobs.stub_cluster import StubJobsApi, calls, install_stub_kubectl

UP_PHASES = ["init", "apply", "cluster", "launch", "validate"]
LB_SERVICE = {
    "apiVersion": "v1", "kind": "Service",
    "metadata": {"name": "public-lb", "namespace": "openedx"},
    "spec": {"type": "LoadBalancer"},
}
CLUSTERIP_SERVICE = {
    "apiVersion": "v1", "kind": "Service",
    "metadata": {"name": "lms", "namespace": "openedx"},
    "spec": {"type": "ClusterIP"},
}
EFS_CLASS = {
    "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
    "metadata": {"name": "efs-media"}, "provisioner": "efs.csi.aws.com",
}
EFS_PVC = {
    "apiVersion": "v1", "kind": "PersistentVolumeClaim",
    "metadata": {"name": "openedx-media", "namespace": "openedx"},
    "spec": {"storageClassName": "efs-media"},
}
GP3_PVC = {
    "apiVersion": "v1", "kind": "PersistentVolumeClaim",
    "metadata": {"name": "scratch", "namespace": "openedx"},
    "spec": {"storageClassName": "gp3"},
}
UNREACHABLE = '''#!{python}
"""Stand-in for kubectl before the cluster answers: the client works, the API does not."""
import os, sys
if sys.argv[1:2] == ["version"]:
    os.execv({real!r}, [{real!r}, *sys.argv[1:]])
print("Unable to connect to the server: dial tcp: i/o timeout", file=sys.stderr)
sys.exit(1)
'''


class Cluster:
    def __init__(self, instance: Instance, tmp_path: Path, kubectl_bin: str,
                 deployments: list[str]) -> None:
        self.instance = instance
        self.tmp = tmp_path
        self.kubectl_bin = kubectl_bin
        self.deployments = deployments
        _, self.log = install_stub_kubectl(
            tmp_path / "bin", kubectl_bin, self.deployments,
            [LB_SERVICE, CLUSTERIP_SERVICE, EFS_CLASS, EFS_PVC, GP3_PVC],
        )
        unreachable = tmp_path / "unreachable-bin" / "kubectl"
        unreachable.parent.mkdir()
        unreachable.write_text(UNREACHABLE.format(python=sys.executable, real=kubectl_bin))
        unreachable.chmod(0o755)

    def env(self, api: StubJobsApi | None, reachable: bool = True) -> dict[str, str]:
        folder = self.tmp / ("bin" if reachable else "unreachable-bin")
        kubeconfig = (api.kubeconfig(self.tmp / "kubeconfig", "openedx") if api
                      else self.tmp / "missing-kubeconfig")
        # Tutor runs `kubectl` from PATH; the plugin prefers EKS_KUBECTL (then the wheel's
        # kubectl beside the interpreter): both get the stand-in.
        return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}",
                "EKS_KUBECTL": str(folder / "kubectl"),
                "KUBECONFIG": str(kubeconfig)}

    def eks(self, *args: str, api: StubJobsApi | None = None, reachable: bool = True,
            ) -> subprocess.CompletedProcess[str]:
        return self.instance.tutor("eks", *args, env=self.env(api, reachable))

    def calls(self) -> list[list[str]]:
        return [c["args"] for c in calls(self.log)]


@pytest.fixture(scope="module")
def template_deployments(template_root: Path, kubectl_bin: str) -> list[str]:
    """The Deployments of the template root's render, which every instance starts as a
    copy of: one `kubectl kustomize` per module instead of one per test (the stand-in
    cluster runs them; a test that changes the render before `up` needs its own list)."""
    out = subprocess.run([kubectl_bin, "kustomize", str(template_root / "env")],
                         capture_output=True, text=True, check=True).stdout
    return [d["metadata"]["name"] for d in yaml.safe_load_all(out)
            if d and d["kind"] == "Deployment"]


@pytest.fixture
def cluster(instance: Instance, tmp_path: Path, kubectl_bin: str,
            template_deployments: list[str]) -> Cluster:
    return Cluster(instance, tmp_path, kubectl_bin, template_deployments)


def _summary(out: str, command: str) -> dict[str, tuple[str, float]]:
    block = out[out.index(f"Summary of `tutor eks {command}`:"):]
    found = {}
    for line in block.splitlines()[1:]:
        match = re.match(r"^\s+(\S+)\s+(.+?)\s+(\d+\.\d) s$", line)
        if not match:
            break
        found[match[1]] = (match[2].strip(), float(match[3]))
    return found


def _phase_order(out: str, command: str) -> list[str]:
    return re.findall(rf"== {command} phase (\S+):", out)


def test_up_then_down(cluster: Cluster) -> None:
    with StubJobsApi() as api:
        result = cluster.eks("up", "--yes", "--cluster-timeout", "30", "--skip-validate", api=api)
    out = result.stdout + result.stderr
    print(result.stdout)  # the transcript, with -s
    assert result.returncode == 0, out
    assert _phase_order(out, "up") == UP_PHASES
    summary = _summary(result.stdout, "up")
    assert [name for name in summary] == [*UP_PHASES, "total"]
    assert all(status == "ok" for name, (status, _) in summary.items() if name != "total")
    assert summary["apply"][1] > 0 and summary["total"][1] >= summary["apply"][1]
    assert "`tutor eks validate` skipped (--skip-validate)" in out
    assert not (cluster.instance.root / "eks-infra" / "lifecycle.json").exists()
    # The cluster is asked before the launch, whose jobs come after its deployments.
    recorded = cluster.calls()
    reach = recorded.index(["get", "namespaces", "--request-timeout=20s"])
    applied = [i for i, args in enumerate(recorded) if args[:1] == ["apply"]]
    assert applied and reach < applied[0]
    config = yaml.safe_load(cluster.instance.config_bytes())
    assert config["MYSQL_HOST"].startswith("drvtest-mysql."), "apply synced the outputs"

    before = len(recorded)
    result = cluster.eks("down", "--yes")
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert _phase_order(out, "down") == ["k8s-objects", "destroy"]
    deletes = [args for args in cluster.calls()[before:] if args[:1] == ["delete"]]
    assert [a[:3] for a in deletes] == [
        ["delete", "service", "public-lb"],
        ["delete", "persistentvolumeclaim", "openedx-media"],
    ], "only the objects that hold AWS resources, before any destroy"
    assert out.index("Deleting PersistentVolumeClaim openedx/openedx-media") < out.index(
        "Stage cluster: terraform destroy"
    ) < out.index("Stage aws: terraform destroy")
    state = json.loads((cluster.instance.root / "eks-infra" / "state" / "aws.tfstate").read_text())
    assert state["resources"] == []
    assert _summary(result.stdout, "down")["destroy"][0] == "ok"


def test_up_resumes_where_it_stopped(cluster: Cluster) -> None:
    # Stopped at "cluster": the cluster does not answer yet.
    result = cluster.eks("up", "--cluster-timeout", "0", reachable=False)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "The cluster did not answer within 0 s" in result.stderr
    assert "Unable to connect to the server" in result.stderr
    summary = _summary(result.stdout, "up")
    assert [summary[p][0] for p in UP_PHASES] == ["ok", "ok", "FAILED", "not run", "not run"]

    # Stopped at "launch": the cluster answers, its Jobs API does not.
    result = cluster.eks("up", "--cluster-timeout", "30")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Resuming `tutor eks up`: already done: init, apply" in out
    assert "terraform apply" not in out, "apply is not run again"
    assert _phase_order(out, "up") == ["cluster", "launch"]
    assert _summary(result.stdout, "up")["launch"][0] == "FAILED"

    with StubJobsApi() as api:
        result = cluster.eks("up", "--cluster-timeout", "30", "--skip-validate", api=api)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "already done: init, apply, cluster" in out
    assert _phase_order(out, "up") == ["launch", "validate"]
    summary = _summary(result.stdout, "up")
    assert summary["init"] == ("done earlier, skipped", 0.0)
    assert summary["launch"][0] == "ok"
    assert not (cluster.instance.root / "eks-infra" / "lifecycle.json").exists()


def test_up_resumes_after_an_interrupted_apply(cluster: Cluster, terraform_bin: str) -> None:
    """SIGINT while terraform applies (a stand-in that waits before the real apply, see
    tests/bootstrap/standin_terraform.py): exit 130, and the next `up` applies again."""
    wrapper = cluster.tmp / "tf" / "terraform"
    wrapper.parent.mkdir()
    standin = Path(__file__).parents[1] / "bootstrap" / "standin_terraform.py"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{standin}" "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, **cluster.instance.env, **cluster.env(None),
           "TUTOR_ROOT": str(cluster.instance.root),
           "TUTOR_PLUGINS_ROOT": str(cluster.instance.root / ".no-plugins"),
           "EKS_TERRAFORM": str(wrapper), "REAL_TERRAFORM": terraform_bin,
           "STANDIN_WAIT": "60", "EKS_ROUTE53_ZONE_ID": ""}
    process = subprocess.Popen([TUTOR, "eks", "up"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if "stand-in terraform: waiting for certificate validation" in line:
            process.send_signal(signal.SIGINT)
    code = process.wait(timeout=120)
    out = "".join(seen)
    assert code == 130, out
    summary = _summary(out, "up")
    assert [summary[p][0] for p in UP_PHASES] == [
        "ok", "INTERRUPTED", "not run", "not run", "not run"
    ], out

    with StubJobsApi() as api:
        result = cluster.eks("up", "--cluster-timeout", "30", "--skip-validate", api=api)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "already done: init" in out
    assert _phase_order(out, "up") == ["apply", "cluster", "launch", "validate"]


def test_the_last_phase_runs_tutor_eks_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --skip-validate, `up` ends with the real `tutor eks validate` (run as a
    child `tutor` process; recorded here, since the fixture stacks have no AWS to check)."""
    from tutor_eks_plugin.commands import eks_command, lifecycle

    ran: list[tuple[str, ...]] = []
    monkeypatch.setattr(lifecycle, "_tutor", lambda root, *args: ran.append(args))
    lifecycle.validate_phase("/tmp/root", skip=False)
    assert ran == [("eks", "validate")]
    import click

    assert eks_command.get_command(click.Context(eks_command), "validate") is not None
    lifecycle.validate_phase("/tmp/root", skip=True)
    assert ran == [("eks", "validate")]
