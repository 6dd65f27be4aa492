"""`tutor k8s init`, `tutor k8s do` and `tutor k8s launch` with Caddy gone.

There is no Kubernetes cluster here, so these run Tutor's real command code against
stand-ins (see stub_cluster.py): a recording `kubectl` first on PATH (kustomize is the
real one) and a 127.0.0.1 HTTP server for the Jobs API calls Tutor makes through the
kubernetes Python client. The stand-in cluster runs exactly the Deployments of the
render, so a wait on caddy fails the way it would on EKS.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from tutor_cli import new_root, run_tutor

from tests.jobs.stub_cluster import StubJobsApi, calls, install_stub_kubectl


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, kubectl_bin: str):
    root = tmp_path_factory.mktemp("jobs-root")
    new_root(root, ("mfe", "eks"))
    out = subprocess.run([kubectl_bin, "kustomize", str(root / "env")],
                         capture_output=True, text=True, check=True).stdout
    deployments = [d["metadata"]["name"] for d in yaml.safe_load_all(out)
                   if d and d["kind"] == "Deployment"]
    assert "caddy" not in deployments
    return root, deployments


def _run(platform, tmp_path: Path, kubectl_bin: str, *args: str):
    root, deployments = platform
    _, log = install_stub_kubectl(tmp_path / "bin", kubectl_bin, deployments)
    with StubJobsApi() as api:
        env = {
            "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "KUBECONFIG": str(api.kubeconfig(tmp_path / "kubeconfig", "openedx")),
        }
        result = run_tutor(root, *args, env=env, check=False)
        requests = list(api.requests)
    return result, calls(log), requests


def _applied_jobs(recorded: list[dict]) -> list[str]:
    names = []
    for call in recorded:
        if call["args"][:1] == ["apply"] and "manifest" in call:
            job = yaml.safe_load(call["manifest"])
            names.append(job["metadata"]["name"].rsplit("-", 1)[0])
    return names


def _waits(recorded: list[dict]) -> list[str]:
    return [" ".join(c["args"]) for c in recorded if c["args"][:1] == ["wait"]]


def test_init_runs_every_job_without_waiting_for_caddy(platform, tmp_path, kubectl_bin) -> None:
    result, recorded, requests = _run(platform, tmp_path, kubectl_bin, "k8s", "init")
    assert result.returncode == 0, result.stdout + result.stderr
    # `tutor k8s init` invokes the init job directly, outside the `do` group whose
    # DO_JOB callback waits for caddy: Tutor 22 waits for nothing here.
    assert not [w for w in _waits(recorded) if "caddy" in w]
    jobs = _applied_jobs(recorded)
    # Tutor's init order: (mounted directories in lms), the database, then the LMS
    # migrations, then Studio's.
    first_mysql = jobs.index("mysql-job")
    after_mysql = jobs[first_mysql:]
    assert "lms-job" in after_mysql and "cms-job" in after_mysql, jobs
    assert after_mysql.index("lms-job") < after_mysql.index("cms-job"), jobs
    # Jobs are rendered by the real kustomize before each apply.
    assert sum(1 for c in recorded if c["args"][:1] == ["kustomize"]) == len(jobs)
    # The jobs carry the media volume (efs mode).
    for call in recorded:
        if "manifest" in call and ("lms-job" in call["manifest"] or "cms-job" in call["manifest"]):
            job = yaml.safe_load(call["manifest"])
            volumes = job["spec"]["template"]["spec"].get("volumes", [])
            if job["metadata"]["name"].startswith(("lms-job", "cms-job")):
                assert any(v.get("persistentVolumeClaim", {}).get("claimName") == "openedx-media"
                           for v in volumes), job["metadata"]["name"]
    # Tutor polled the Jobs API for every job it started.
    assert sum("fieldSelector" in r for r in requests) == len(jobs)


def test_do_runs_a_job(platform, tmp_path, kubectl_bin) -> None:
    """`tutor k8s do` runs Tutor's DO_JOB callback, which waits for caddy: skipped."""
    result, recorded, _ = _run(platform, tmp_path, kubectl_bin, "k8s", "do", "settheme", "mytheme")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [w for w in _waits(recorded) if "caddy" in w]
    assert "Not waiting for a caddy deployment" in result.stdout
    assert _applied_jobs(recorded) == ["lms-job"]


def test_launch_starts_then_inits(platform, tmp_path, kubectl_bin) -> None:
    result, recorded, _ = _run(
        platform, tmp_path, kubectl_bin, "k8s", "launch", "--non-interactive"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    applies = [c["args"] for c in recorded if c["args"][:1] == ["apply"]]
    assert any("--kustomize" in a for a in applies), applies
    assert not [w for w in _waits(recorded) if "caddy" in w]
    assert "mysql-job" in _applied_jobs(recorded)


def test_the_stub_fails_a_wait_on_caddy_like_kubectl(tmp_path, kubectl_bin) -> None:
    """The stand-in must fail where the real kubectl fails, or the tests above prove nothing."""
    script, _ = install_stub_kubectl(tmp_path / "bin", kubectl_bin, ["lms"])
    missing = subprocess.run(
        [str(script), "wait", "--namespace", "openedx",
         "--selector=app.kubernetes.io/instance=openedx-x,app.kubernetes.io/name=caddy",
         "--for=condition=Available=True", "deployment"],
        capture_output=True, text=True, check=False,
    )
    assert missing.returncode == 1
    assert missing.stderr.strip() == "error: no matching resources found"
