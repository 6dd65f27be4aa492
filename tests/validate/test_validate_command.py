"""`tutor eks validate` end to end through the real tutor CLI: moto for AWS, the kubectl
stand-in for the cluster, local HTTPS stand-ins for the front door (via --resolve)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
from tutor_cli import Rendered, run_tutor

from tutor_eks_plugin.live import checks, front_door

from . import aws_world, kubectl_standin
from .conftest import MOTO_ENV, make_target
from .http_standin import FrontDoor
from .pki import TestCa

README = Path(__file__).parents[2] / "README.md"


@pytest.fixture(scope="module")
def deployment(site: Rendered, moto: str, ca: TestCa, tmp_path_factory: pytest.TempPathFactory
               ) -> t.Iterator[dict[str, t.Any]]:
    """A whole deployment's worth of stand-ins, and the arguments that reach them."""
    world = aws_world.build(ca, "cli", multi_az=True)
    folder = tmp_path_factory.mktemp("cli-outputs")
    args = []
    for stage, values in world.outputs.items():
        path = folder / f"{stage}.json"
        # The shape of `terraform output -json`.
        path.write_text(json.dumps({k: {"value": v, "type": "string", "sensitive": False}
                                    for k, v in values.items()}))
        args += ["--outputs", f"{stage}={path}"]
    hosts = [h for h, _ in front_door.public_hosts(make_target(site))]
    door = FrontDoor(ca, hosts, world.outputs["aws"]["alb_dns_name"])
    for item in door.resolve:
        args += ["--resolve", item]
    args += ["--cacert", str(ca.path), "--timeout", "5"]
    yield {"world": world, "args": args, "door": door}
    door.close()


def _validate(site: Rendered, deployment: dict[str, t.Any], standin: Path,
              responses: dict[str, t.Any], *extra: str) -> t.Any:
    responses[f"get targetgroupbindings.elbv2.k8s.aws {kubectl_standin.NGINX_NS}"]["items"][0][
        "spec"]["targetGroupARN"] = deployment["world"].outputs["aws"]["alb_target_group_arn"]
    kubectl_standin.serve(standin, responses)
    env = {**MOTO_ENV, **{k: v for k, v in os.environ.items()
                          if k.startswith(("AWS_ENDPOINT", "EKS_KUBECTL", "STANDIN_"))}}
    return run_tutor(site.root, "eks", "validate", *deployment["args"], *extra, check=False,
                     env=env)


def test_a_healthy_deployment_reports_every_check_ok(
    site: Rendered, deployment: dict[str, t.Any], standin: Path, tmp_path: Path
) -> None:
    run = _validate(site, deployment, standin, kubectl_standin.healthy_cluster(site.objects))
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    names = {line.split()[1].rstrip(":") for line in lines if line.startswith("OK")}
    assert names == {c.name for c in checks.CHECKS}
    assert lines[-1].endswith("0 warn, 0 fail.")
    # Kept for the README's sample report (see test_readme_sample_lists_every_check).
    (tmp_path.parent / "validate-sample.txt").write_text(run.stdout)
    # Read-only on the cluster, apart from the connectivity Job it created and deleted.
    verbs = [c["args"][0] for c in kubectl_standin.calls(standin)]
    assert set(verbs) == {"get", "create", "delete", "logs"} and verbs[-1] == "delete"


def test_failures_exit_1_and_json_lists_them(
    site: Rendered, deployment: dict[str, t.Any], standin: Path, tmp_path: Path
) -> None:
    run = _validate(site, deployment, standin, kubectl_standin.broken_cluster(site.objects),
                    "--json", "--only", "cluster")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    text = _validate(site, deployment, standin, kubectl_standin.broken_cluster(site.objects),
                     "--only", "cluster")
    assert text.returncode == 1
    fails = [line for line in text.stdout.splitlines() + text.stderr.splitlines()
             if line.startswith("FAIL")]
    assert len(fails) == sum(1 for r in report["results"] if r["status"] == "fail")
    assert all(" -> " in line for line in fails)  # each failure says what to do
    (tmp_path.parent / "validate-failures.txt").write_text("\n".join(fails) + "\n")
    assert report["ok"] is False
    failed = {(r["check"], r["subject"]) for r in report["results"] if r["status"] == "fail"}
    assert ("cluster.hpa", "lms") in failed and ("cluster.volumes", "openedx-media") in failed
    assert any(c == "cluster.crashloops" for c, _ in failed)
    assert {r["check"].split(".")[0] for r in report["results"]} == {"cluster"}


@pytest.mark.parametrize("args, message", [
    (["--resolve", "learn.test"], "--resolve 'learn.test': expected HOST[:PORT]=ADDR[:PORT]"),
    (["--outputs", "stage3=x.json"], "--outputs 'stage3=x.json': expected aws=FILE"),
])
def test_bad_input_is_one_line_and_exit_1(site: Rendered, args: list[str], message: str) -> None:
    run = run_tutor(site.root, "eks", "validate", *args, check=False)
    assert run.returncode == 1
    assert message in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


def test_readme_sample_lists_every_check() -> None:
    text = README.read_text(encoding="utf-8")
    sample = text[text.index("<!-- validate-sample:begin"):text.index("<!-- validate-sample:end")]
    for check in checks.CHECKS:
        assert f" {check.name}" in sample, f"README sample lacks {check.name}"


def test_docs_table_is_generated_from_the_checks_list() -> None:
    docs = README.parent / "docs" / "validate-and-loadtest.md"
    text = docs.read_text(encoding="utf-8")
    assert checks.splice(text) == text, (
        "docs table out of date: run python -m tutor_eks_plugin.live.checks --write "
        "docs/validate-and-loadtest.md")


def test_the_plugin_imports_neither_boto3_nor_locust_nor_the_checks() -> None:
    """The plugin loads on every `tutor` command: the live code loads only when it runs."""
    code = ("import sys, tutor_eks_plugin.plugin; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('boto3', 'botocore', 'locust', 'gevent') or m.startswith('tutor_eks_plugin.live')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_the_command_offers_exactly_the_areas_of_the_checks() -> None:
    """--only's choices live in the command (imported at plugin load, without the checks)."""
    import importlib

    command = importlib.import_module("tutor_eks_plugin.commands.validate")

    assert command.AREAS == checks.AREAS
    assert {c.area for c in checks.CHECKS} == set(checks.AREAS)
    assert len({c.name for c in checks.CHECKS}) == len(checks.CHECKS)
