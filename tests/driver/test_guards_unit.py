"""The driver's guards, decision by decision (infra/driver.py, stages.py): a bad stage,
a missing backend setting, stage 2 without stage-1 outputs, a saved plan for two
stages, deletion protection, the typed instance name (the lock guards: test_locks_unit.py).

Fast enough to run once per mutant (scripts/mutation.sh). The end-to-end proofs (real
terraform on the fixture stacks, moto as a server, the `tutor` CLI) are in
test_lifecycle.py, test_failures.py, test_signals.py and test_s3_backend.py; here:

- `FakeTerraform` is a TEST DOUBLE for infra.terraform.Terraform (one per stage): it
  records the commands the driver asks for and returns what a terraform run would
  (plan exit codes, outputs, the resources in the state). Real terraform takes seconds
  per command, too slow to repeat for each of a few hundred mutants. The driver's own
  code (stage order, upstream check, protection, sync calls) runs unchanged; only
  `Driver.stage` (which prepares a working directory and runs `terraform init`) and
  `Driver.sync_config` (tested in test_config_sync_unit.py) are replaced on the instance.
"""

from __future__ import annotations

import contextlib
import json
import types
import typing as t
from pathlib import Path

import pytest
import yaml
from tutor import exceptions

from tutor_eks_plugin.infra import driver as driver_module
from tutor_eks_plugin.infra import stages
from tutor_eks_plugin.infra.terraform import Result

NO_UPSTREAM = "run `tutor eks infra apply --stage aws` first"


def typed(text: str) -> str:
    """The text as click or YAML hands it over: a new string object, never the interned
    literal of the code, so that an `==` turned into `is` is noticed."""
    return "".join(list(text))


# ---- stages -------------------------------------------------------------------------


def test_selected_stages_in_apply_order() -> None:
    assert stages.selected({}) == ["aws", "cluster"]
    assert stages.selected({"EKS_INFRA_STAGES": ["cluster", "aws"]}) == ["aws", "cluster"]
    assert stages.selected({"EKS_INFRA_STAGES": ["cluster"]}) == ["cluster"]
    assert stages.selected({"EKS_INFRA_STAGES": []}) == []
    assert stages.selected({"EKS_INFRA_STAGES": ["aws"]}, "cluster") == ["cluster"]
    assert stages.selected({}, "aws") == ["aws"]
    assert stages.reverse(["aws", "cluster"]) == ["cluster", "aws"]


@pytest.mark.parametrize("bad", ["eks", "", "AWS"])
def test_unknown_stage_is_refused(bad: str) -> None:
    with pytest.raises(exceptions.TutorError) as error:
        stages.selected({}, bad)
    assert str(error.value) == f"Unknown stage {bad!r}: use one of aws, cluster."


# ---- driver -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _dns_records_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run replaces the two DNS functions; monkeypatch puts them back afterwards."""
    monkeypatch.setattr(driver_module.dns_records, "watching",
                        driver_module.dns_records.watching)
    monkeypatch.setattr(driver_module.dns_records, "final", driver_module.dns_records.final)


class FakeTerraform:
    """Stands for infra.terraform.Terraform of one stage (see the module docstring)."""

    def __init__(self, name: str, log: list[tuple[str, ...]]) -> None:
        self.name = name
        self.log = log
        self.plan_code = 0
        self.outputs_value: dict[str, dict[str, t.Any]] = {}
        self.resources: list[str] = []

    def plan(self, out: t.Optional[str] = None) -> Result:
        self.log.append(("plan", self.name, out or ""))
        return Result(self.plan_code, "", "")

    def apply(self, plan_file: t.Optional[str] = None) -> Result:
        self.log.append(("apply", self.name, plan_file or ""))
        return Result(0, "", "")

    def destroy(self) -> Result:
        self.log.append(("destroy", self.name))
        return Result(0, "", "")

    def force_unlock(self, lock_id: str) -> Result:
        self.log.append(("force_unlock", self.name, lock_id))
        return Result(0, "", "")

    def outputs(self) -> dict[str, dict[str, t.Any]]:
        self.log.append(("outputs", self.name))
        return self.outputs_value

    def state_resources(self) -> list[str]:
        self.log.append(("state_resources", self.name))
        return self.resources


class Run:
    """A Driver whose stages are FakeTerraforms, and what it did."""

    def __init__(self, tmp_path: Path, **config: t.Any) -> None:
        source = tmp_path / "source"
        for name in ("aws", "cluster"):
            (source / "stacks" / name).mkdir(parents=True)
            (source / "stacks" / name / "main.tf").write_text("")
        self.log: list[tuple[str, ...]] = []
        self.fakes = {name: FakeTerraform(name, self.log) for name in ("aws", "cluster")}
        d = driver_module.Driver.__new__(driver_module.Driver)
        d.root = str(tmp_path)
        d.source = source
        d.config = {
            "EKS_NAME": "openedx",
            "EKS_STATE_BACKEND": "s3",
            "EKS_STATE_BUCKET": "state",
            "EKS_AWS_REGION": "us-east-1",
            "EKS_ROUTE53_ZONE_ID": "Z0123456789",  # no DNS watcher thread
            **config,
        }
        d._binary = "terraform"
        d._ready = {}
        d._outputs = {}
        d._warned_local = False

        def stage(name: str, stream_init: bool = False, **init: t.Any) -> FakeTerraform:
            self.log.append(("stage", name))
            return self.fakes[name]

        d.stage = stage  # type: ignore[method-assign]
        d.sync_config = lambda: self.log.append(("sync",))  # type: ignore[method-assign]
        self.driver = d
        # Spies for the DNS records shown during and after a stage-1 apply (the real
        # watcher polls ACM in a thread: infra/dns_records.py, tested in tests/lifecycle).
        driver_module.dns_records.watching = self._watching  # type: ignore[assignment]
        driver_module.dns_records.final = (  # type: ignore[assignment]
            lambda config, outputs, hosts: self.log.append(("dns_final", *hosts))
        )

    @contextlib.contextmanager
    def _watching(self, config: dict[str, t.Any]) -> t.Iterator[t.Any]:
        self.log.append(("dns_watch",))
        yield types.SimpleNamespace(hosts=lambda: ["learn.example.com"])

    def applied(self, outputs: t.Optional[dict[str, t.Any]] = None) -> Run:
        self.fakes["aws"].outputs_value = outputs or {"name": {"value": "openedx"}}
        return self

    def commands(self) -> list[tuple[str, ...]]:
        return [entry for entry in self.log if entry[0] not in ("stage", "outputs")]


def refused(call: t.Callable[[], t.Any]) -> str:
    with pytest.raises(exceptions.TutorError) as error:
        call()
    return str(error.value)


def test_missing_bucket_stops_before_any_stage(tmp_path: Path) -> None:
    calls: dict[str, tuple[t.Any, ...]] = {
        "plan": (None, None), "apply": (None, None), "output": (None,),
        "init": (None, False, False),
    }
    for name, args in calls.items():
        run = Run(tmp_path / name, EKS_STATE_BUCKET="")
        method = getattr(run.driver, name)
        assert "EKS_STATE_BUCKET is empty" in refused(lambda m=method, a=args: m(*a))
        assert run.log == []
    run = Run(tmp_path / "destroy", EKS_STATE_BUCKET="")
    assert "EKS_STATE_BUCKET is empty" in refused(
        lambda: run.driver.destroy(None, True, True, lambda: ""))
    run = Run(tmp_path / "unlock", EKS_STATE_BUCKET="")
    assert "EKS_STATE_BUCKET is empty" in refused(lambda: run.driver.unlock("aws", "L"))
    assert run.log == []


def test_local_backend_warns_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = Run(tmp_path, EKS_STATE_BACKEND="local")
    run.driver.check_backends(["aws", "cluster"])
    assert capsys.readouterr().err.count("EKS_STATE_BACKEND=local") == 1


def test_plan_both_stages_codes(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    run.fakes["cluster"].plan_code = 2
    assert run.driver.plan(None, None) == 2
    assert run.commands() == [("plan", "aws", ""), ("plan", "cluster", "")]
    run = Run(tmp_path / "b").applied()
    run.fakes["aws"].plan_code = 2
    assert run.driver.plan(None, None) == 2
    run = Run(tmp_path / "c").applied()
    assert run.driver.plan(None, None) == 0
    # No stage selected: nothing planned, "no changes" (terraform's exit code 0).
    run = Run(tmp_path / "d", EKS_INFRA_STAGES=[]).applied()
    assert run.driver.plan(None, None) == 0
    assert run.commands() == []


def test_plan_without_stage1_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = Run(tmp_path)  # stage 1 has no outputs: never applied
    assert run.driver.plan(None, None) == 2
    assert run.commands() == [("plan", "aws", "")]
    assert "Stage cluster: not planned yet. Stage cluster takes" in capsys.readouterr().err
    assert NO_UPSTREAM in refused(
        lambda: Run(tmp_path / "b").driver.plan(typed("cluster"), None))


def test_plan_out_needs_one_stage(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    message = refused(lambda: run.driver.plan(None, "plan.bin"))
    assert message == "--out saves the plan of one stage: add --stage aws or --stage cluster."
    assert run.log == []
    run = Run(tmp_path / "none", EKS_INFRA_STAGES=[]).applied()
    assert "--out saves the plan of one stage" in refused(lambda: run.driver.plan(None, "p"))
    run.driver.plan("aws", str(tmp_path / "plan.bin"))
    assert run.commands() == [("plan", "aws", str((tmp_path / "plan.bin").resolve()))]


def test_apply_syncs_after_stage1_then_runs_stage2(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    run.driver.apply(None, None)
    assert run.commands() == [
        ("dns_watch",), ("apply", "aws", ""), ("sync",), ("dns_final", "learn.example.com"),
        ("apply", "cluster", ""),
    ]
    run = Run(tmp_path / "b").applied()
    run.driver.apply(typed("cluster"), None)
    assert run.commands() == [("apply", "cluster", ""), ("sync",)]
    run = Run(tmp_path / "c").applied()
    run.driver.apply(typed("aws"), None)
    assert run.commands() == [
        ("dns_watch",), ("apply", "aws", ""), ("sync",), ("dns_final", "learn.example.com"),
    ]


def test_apply_forgets_the_outputs_of_the_applied_stage(tmp_path: Path) -> None:
    run = Run(tmp_path).applied({"name": {"value": "before"}})
    assert run.driver.stage1_outputs() == {"name": {"value": "before"}}
    run.fakes["aws"].outputs_value = {"name": {"value": "after"}}
    run.driver.apply("aws", None)
    assert run.driver.stage1_outputs() == {"name": {"value": "after"}}


def test_apply_stage2_without_stage1_is_refused(tmp_path: Path) -> None:
    run = Run(tmp_path)
    assert NO_UPSTREAM in refused(lambda: run.driver.apply(typed("cluster"), None))
    assert run.commands() == []
    run = Run(tmp_path / "b")
    assert NO_UPSTREAM in refused(lambda: run.driver.apply(None, None))
    # Stage 1 ran and its outputs were synced before stage 2 was refused.
    assert run.commands() == [
        ("dns_watch",), ("apply", "aws", ""), ("sync",), ("dns_final", "learn.example.com"),
    ]


def test_apply_saved_plan(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    plan = tmp_path / "aws.plan"
    message = refused(lambda: run.driver.apply(None, str(plan)))
    assert message == "A saved plan belongs to one stage: add --stage aws or --stage cluster."
    assert refused(lambda: run.driver.apply("aws", str(plan))) == (
        f"Plan file {plan} does not exist."
    )
    assert run.commands() == []
    plan.write_text("plan")
    run.driver.apply("aws", str(plan))
    assert run.commands() == [
        ("dns_watch",), ("apply", "aws", str(plan.resolve())), ("sync",),
        ("dns_final", "learn.example.com"),
    ]
    run = Run(tmp_path / "none", EKS_INFRA_STAGES=[]).applied()
    assert "A saved plan belongs to one stage" in refused(lambda: run.driver.apply(None, "p"))


def test_output_prints_masked_and_syncs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = Run(tmp_path).applied({"b": {"value": "x"}, "a": {"value": "s3cr3t", "sensitive": True}})
    run.driver.output("aws")
    assert capsys.readouterr().out == '# stage aws\na = (sensitive)\nb = "x"\n'
    assert run.commands() == [("sync",)]


def test_destroy_reverse_order_after_the_typed_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = Run(tmp_path, EKS_NAME=typed("openedx")).applied()
    run.driver.destroy(None, False, False, lambda: typed("openedx"))
    assert run.commands() == [("destroy", "cluster"), ("destroy", "aws")]
    assert "The state bucket s3://state is left in place" in capsys.readouterr().out
    for number, wrong in enumerate(("other", "a", "")):
        run = Run(tmp_path / f"wrong-{number}").applied()
        destroy = run.driver.destroy
        assert refused(lambda d=destroy, w=wrong: d(None, False, False, lambda: w)) == (
            "Destroy cancelled: the name typed is not the instance name ('openedx')."
        )
        assert run.commands() == []
    run = Run(tmp_path / "c").applied()
    run.driver.destroy("aws", True, False, lambda: pytest.fail("asked despite --yes"))
    assert run.commands() == [("destroy", "aws")]


def test_destroy_refuses_production(tmp_path: Path) -> None:
    run = Run(tmp_path, EKS_PROFILE=typed("production")).applied()
    message = refused(lambda: run.driver.destroy(None, True, False, lambda: "openedx"))
    assert message.startswith(
        "Deletion protection is on (EKS_PROFILE is 'production'): nothing was destroyed."
    )
    # The config alone refuses: no terraform (not even for the outputs).
    assert run.log == []
    run = Run(tmp_path / "b").applied({"profile": {"value": typed("production")}})
    message = refused(lambda: run.driver.destroy(None, True, False, lambda: "openedx"))
    assert "(the stage-1 output profile is 'production')" in message
    assert run.commands() == []
    run = Run(tmp_path / "c", EKS_PROFILE="production").applied(
        {"profile": {"value": "production"}})
    run.driver.destroy(None, True, True, lambda: "openedx")
    assert run.commands() == [("destroy", "cluster"), ("destroy", "aws")]
    run = Run(tmp_path / "d").applied({"profile": {"value": "small"}})
    run.driver.destroy(None, True, False, lambda: "openedx")
    assert run.commands() == [("destroy", "cluster"), ("destroy", "aws")]


def test_destroy_without_stage1_outputs(tmp_path: Path) -> None:
    run = Run(tmp_path)
    run.driver.destroy(None, True, False, lambda: "openedx")
    # Stage 2's state is empty: nothing to destroy there; stage 1 runs.
    assert run.commands() == [("state_resources", "cluster"), ("destroy", "aws")]
    run = Run(tmp_path / "b")
    run.fakes["cluster"].resources = ["helm_release.x"]
    assert NO_UPSTREAM in refused(lambda: run.driver.destroy(None, True, False, lambda: "x"))
    assert run.commands() == [("state_resources", "cluster")]


def test_unlock(tmp_path: Path) -> None:
    run = Run(tmp_path)
    assert NO_UPSTREAM in refused(lambda: run.driver.unlock(typed("cluster"), "L-1"))
    assert run.commands() == []
    run.driver.unlock("aws", "L-1")
    assert run.commands() == [("force_unlock", "aws", "L-1")]
    run = Run(tmp_path / "b").applied()
    run.driver.unlock("cluster", "L-2")
    assert run.commands() == [("force_unlock", "cluster", "L-2")]


def test_stage1_outputs_without_a_stack(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    (run.driver.source / "stacks" / "aws" / "main.tf").unlink()
    assert run.driver.stage1_outputs() == {}
    assert run.log == []


def test_outputs_are_read_once(tmp_path: Path) -> None:
    run = Run(tmp_path).applied()
    run.driver.outputs("aws")
    run.driver.outputs("aws")
    assert run.log.count(("outputs", "aws")) == 1


def test_masked() -> None:
    assert driver_module.masked({"z": {"value": [1]}, "k": {"value": "v", "sensitive": True},
                                 "n": {"value": None, "sensitive": False}}) == [
        "k = (sensitive)", "n = null", "z = [1]"
    ]


# ---- the driver's own preparation and sync (real config.yml and working directory) ----


class RecordingTerraform(FakeTerraform):
    """FakeTerraform as `Terraform(path, stage, binary)` builds it, recording its init."""

    made: list[RecordingTerraform] = []

    def __init__(self, workdir: Path, stage: str, binary: t.Optional[str] = None) -> None:
        super().__init__(stage, [])
        self.workdir, self.binary, self.inits = workdir, binary, []
        RecordingTerraform.made.append(self)

    def init(self, backend: t.Any, plugin_dir: t.Optional[str] = None, **options: t.Any) -> Result:
        self.inits.append({"backend": backend, "plugin_dir": plugin_dir, **options})
        return Result(0, "", "")


def _stack_source(path: Path) -> Path:
    """A two-stage source with a few variables and outputs (the fixture stacks declare
    every output of the contract, so nothing would ever be reported missing)."""
    (path / "stacks" / "aws").mkdir(parents=True)
    (path / "stacks" / "cluster").mkdir(parents=True)
    (path / "stacks" / "aws" / "main.tf").write_text(
        'variable "name" {}\nvariable "profile" {}\noutput "name" { value = var.name }\n'
        'output "region" { value = "x" }\noutput "mysql_host" { value = "x" }\n'
    )
    (path / "stacks" / "cluster" / "main.tf").write_text(
        'variable "name" {}\nvariable "cluster_name" {}\n'
    )
    return path


class Staged:
    """A real Driver on a Tutor root (config.yml without plugins: Tutor would import and
    register the plugin to load it); terraform is RecordingTerraform, `terraform version`
    a counter, and Tutor's env rendering a recorder (tested for real in test_lifecycle)."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **config: t.Any) -> None:
        from tutor_eks_plugin.infra import config_sync

        self.root = tmp_path / "root"
        self.root.mkdir(parents=True)
        user = {"PLUGINS": [], "EKS_NAME": "openedx", "EKS_STATE_BACKEND": "local",
                "EKS_AWS_REGION": "us-east-1", "EKS_PROFILE": "small", **config}
        (self.root / "config.yml").write_text(yaml.safe_dump(user))
        self.finds: list[str] = []
        self.regions: list[str] = []
        RecordingTerraform.made = []
        monkeypatch.setattr(driver_module, "Terraform", RecordingTerraform)
        monkeypatch.setattr(driver_module.tools, "terraform",
                            lambda: self.finds.append("found") or "/bin/terraform-1")
        monkeypatch.setattr(driver_module.tools, "provider_mirror", lambda: "/mirror")
        monkeypatch.setattr(config_sync.tutor_env, "save", lambda root, config: None)
        monkeypatch.setattr(driver_module, "SecretReader",
                            lambda region: self.regions.append(region) or object())
        self.driver = driver_module.Driver(str(self.root), str(_stack_source(tmp_path / "src")))

    def saved(self) -> dict[str, t.Any]:
        loaded: dict[str, t.Any] = yaml.safe_load((self.root / "config.yml").read_text())
        return loaded



def test_binary_is_looked_up_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = Staged(tmp_path, monkeypatch)
    assert run.driver.binary == "/bin/terraform-1"
    assert run.driver.binary == "/bin/terraform-1"
    assert run.finds == ["found"]


def test_stage_prepares_inits_once_and_feeds_stage1_outputs_to_stage2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run = Staged(tmp_path, monkeypatch)
    d = run.driver
    aws = d.stage("aws")
    assert isinstance(aws, RecordingTerraform)
    assert (aws.workdir, aws.name, aws.binary) == (
        run.root / "eks-infra" / "stacks" / "aws", "aws", "/bin/terraform-1")
    assert aws.inits == [{"backend": backends_local("aws"), "plugin_dir": "/mirror",
                          "stream": False}]
    tfvars = json.loads((aws.workdir / "tutor.auto.tfvars.json").read_text())
    assert tfvars == {"name": "openedx", "profile": "small"}
    out = capsys.readouterr()
    assert f"Stage aws: terraform init in {aws.workdir}" in out.out
    assert out.err.count("EKS_STATE_BACKEND=local") == 1
    # Ready: the same object, no second init; init options mean init again.
    assert d.stage("aws") is aws and len(aws.inits) == 1
    again = d.stage("aws", reconfigure=True)
    assert again is not aws and again.inits[0]["reconfigure"] is True
    # Stage 2 reads stage 1's outputs (not secret ones) into its variables.
    again.outputs_value = {"cluster_name": {"value": "eks-1"}, "name": {"value": "openedx"}}
    capsys.readouterr()
    cluster = d.stage(typed("cluster"), stream_init=True)
    tfvars = json.loads((cluster.workdir / "tutor.auto.tfvars.json").read_text())
    assert tfvars == {"name": "openedx", "cluster_name": "eks-1"}
    assert "terraform init in" not in capsys.readouterr().out
    assert capsys.readouterr().err == ""  # the local-state warning is given once


def backends_local(stage: str) -> t.Any:
    from tutor_eks_plugin.infra import backend

    return backend.Backend("local", {"path": f"../../state/{stage}.tfstate"})


def test_init_streams_with_the_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = Staged(tmp_path, monkeypatch)
    run.driver.init(None, True, False)
    assert [(m.name, m.inits) for m in RecordingTerraform.made] == [
        ("aws", [{"backend": backends_local("aws"), "plugin_dir": "/mirror", "stream": True,
                  "reconfigure": True, "migrate_state": False}]),
        ("cluster", [{"backend": backends_local("cluster"), "plugin_dir": "/mirror",
                      "stream": True, "reconfigure": True, "migrate_state": False}]),
    ]


def test_validate_without_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = Staged(tmp_path, monkeypatch)
    monkeypatch.setattr(RecordingTerraform, "validate", lambda self: Result(0, "ok\n", ""),
                        raising=False)
    run.driver.validate("aws")
    assert [(m.name, m.inits) for m in RecordingTerraform.made] == [
        ("aws", [{"backend": None, "plugin_dir": "/mirror"}])
    ]


def test_sync_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:
    run = Staged(tmp_path / "none", monkeypatch)
    before = (run.root / "config.yml").read_bytes()
    run.driver.sync_config()
    assert "No stage-1 outputs yet: the Tutor config was not changed." in capsys.readouterr().out
    assert (run.root / "config.yml").read_bytes() == before
    run = Staged(tmp_path, monkeypatch, SMTP_PASSWORD="left-in-config")
    d = run.driver
    before_config = run.saved()
    d.stage("aws").outputs_value = {
        "name": {"value": "openedx"}, "region": {"value": "eu-west-1"},
        "mysql_host": {"value": "db.example.com"},
        "redis_auth_secret_arn": {"value": "arn:aws:secretsmanager:eu-west-1:1:secret:r"},
    }
    d.sync_config()
    saved = run.saved()
    assert saved["MYSQL_HOST"] == "db.example.com"
    assert saved["EKS_SECRETS_SOURCE"] == "secretsmanager"
    assert saved["REDIS_PASSWORD"] == "${EKS_SECRET_REDIS_PASSWORD}"
    assert run.regions == ["eu-west-1"]
    out = capsys.readouterr()
    assert "Tutor config updated from the stage-1 outputs:" in out.out
    assert "    MYSQL_HOST = 'db.example.com'" in out.out
    # The outputs the small stack does not declare are reported, the notices given.
    assert "The stage-1 stack does not publish these contract outputs" in out.err
    assert "cluster_name" in out.err and "mysql_host," not in out.err
    notice = out.err.split("Still in config.yml, no Secrets Manager secret behind them: ")[1]
    assert "SMTP_PASSWORD." in notice.split("\n")[0]
    assert before_config != saved
    d.sync_config()
    assert "Tutor config already matches the stage-1 outputs." in capsys.readouterr().out


def test_sync_config_values_source_and_region_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run = Staged(tmp_path, monkeypatch, EKS_SECRETS_SOURCE="config",
                 SMTP_PASSWORD="left-in-config", OPENEDX_MYSQL_PASSWORD="old")
    d = run.driver
    d.stage("aws").outputs_value = {
        "name": {"value": "openedx"}, "mysql_host": {"value": "db.example.com"},
        "mysql_app_secret_arn": {"value": None},
    }
    d.sync_config()
    saved = run.saved()
    assert saved["EKS_SECRETS_SOURCE"] == "config"
    assert saved["MYSQL_HOST"] == "db.example.com"
    assert run.regions == ["us-east-1"]  # no region output: EKS_AWS_REGION
    assert "Still in config.yml" not in capsys.readouterr().err


def test_sync_config_refuses_another_instance(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    run = Staged(tmp_path, monkeypatch)
    run.driver.stage("aws").outputs_value = {"name": {"value": "other"}}
    before = (run.root / "config.yml").read_bytes()
    assert "belongs to instance 'other'" in refused(run.driver.sync_config)
    assert (run.root / "config.yml").read_bytes() == before


def test_app_password_notice_is_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    run = Staged(tmp_path, monkeypatch, OPENEDX_MYSQL_PASSWORD="generated",
                 EKS_SECRETS_SOURCE="secretsmanager")
    run.driver.stage("aws").outputs_value = {
        "name": {"value": "openedx"},
        "mysql_app_secret_arn": {"value": "arn:aws:secretsmanager:us-east-1:1:secret:app"},
    }
    run.driver.sync_config()
    assert "OPENEDX_MYSQL_PASSWORD now comes from the stage-1 secret" in capsys.readouterr().err
